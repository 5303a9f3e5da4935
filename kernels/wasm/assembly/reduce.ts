// Sums over any axes, in one pass over the input in memory order with float64 accumulators
// (the loop of kernels/reduce-fast.ts): each innermost input row either adds into one
// accumulator (a reduced innermost axis) or into a contiguous run of them (a kept one).

/**
 * acc[...] += x over rows [r0, r1) of the loop at desc: i32 dims[rank], then the
 * accumulator stride of each axis (0 on reduced axes); x is dense in that loop.
 */
export function sumRows(x: usize, acc: usize, desc: usize, rank: i32, r0: i32, r1: i32): void {
  const n = load<i32>(desc + (<usize>(rank - 1) << 2));
  const step = load<i32>(desc + (<usize>(2 * rank - 1) << 2));
  let o: i64 = 0;
  let rest = r0;
  for (let d = rank - 2; d >= 0; d--) {
    const dim = load<i32>(desc + (<usize>d << 2));
    o += <i64>(rest % dim) * load<i32>(desc + (<usize>(rank + d) << 2));
    rest /= dim;
  }
  for (let r = r0; r < r1; r++) {
    const src = x + (<usize>(<i64>r * n) << 2);
    const dst = acc + (<usize>o << 3);
    let i = 0;
    if (step == 0) {
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(src + (<usize>i << 2));
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
      const s = f64x2.add(s0, s1);
      let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      for (; i < n; i++) total += <f64>load<f32>(src + (<usize>i << 2));
      store<f64>(dst, load<f64>(dst) + total);
    } else {
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(src + (<usize>i << 2));
        const d = dst + (<usize>i << 3);
        v128.store(d, f64x2.add(v128.load(d), f64x2.promote_low_f32x4(v)));
        v128.store(d, f64x2.add(v128.load(d, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
      }
      for (; i < n; i++) {
        const d = dst + (<usize>i << 3);
        store<f64>(d, load<f64>(d) + <f64>load<f32>(src + (<usize>i << 2)));
      }
    }
    let next = r + 1;
    for (let d = rank - 2; d >= 0; d--) {
      const dim = load<i32>(desc + (<usize>d << 2));
      const s = load<i32>(desc + (<usize>(rank + d) << 2));
      if (next % dim != 0) {
        o += s;
        break;
      }
      o -= <i64>s * (dim - 1);
      next /= dim;
    }
  }
}
