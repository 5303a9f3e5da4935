// The 4x8 register tile of the matmul: C[4, 8] (+)= Ap[kc, 4]^T . Bp[kc, 8].
//
// Ap holds four rows of A interleaved by k (Ap[p * 4 + i] = A[i, p]); Bp holds eight columns
// of B interleaved by k (Bp[p * 8 + j] = B[p, j]). Each k step broadcasts one A value per
// row (v128.load32_splat is a plain load on x64, no shuffle port) against two B vectors.
// 8 accumulators + 2 B + 1 A use 11 of the 16 xmm registers V8 allocates; a 6x8 tile needs 15
// and measured 30% slower here (spills), unrolling k by two measured slower as well, and so did
// reading unpacked operands through run-time strides (even for thin products, where packing is
// a larger share of the work: rows of B 4 KiB apart collide in L1).
//
// Plain wasm SIMD has no fused multiply-add, so each step is a mul and an add: on Zen 4 they
// issue on separate pipes (16 flops per cycle) and the limit is instruction dispatch. The
// relaxed-simd build (kernels-relaxed.wasm, used where the runtime validates relaxed SIMD:
// Node >= 22, or Node 20 with --experimental-wasm-relaxed-simd) fuses them, about 25% faster.

/** c + a b, fused in the relaxed-simd build (rounding may then differ in the last bit). */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C tile at c (row stride ldc bytes): overwritten when accumulate is false, added to otherwise.
 */
// @ts-ignore: decorator
@inline
export function microKernel4x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}
