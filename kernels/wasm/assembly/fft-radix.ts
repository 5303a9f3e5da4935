// One Stockham (self-sorting, decimation in frequency) pass per radix, on lane-layout data.
//
// A pass of radix r over a sub-length l = m r with stride s reads x and writes y (never in
// place, which is what makes the output come out in natural order without a bit reversal):
//   a_j = x[q + s (p + j m)],  b_k = sum_j a_j w_r^(jk),  y[q + s (r p + k)] = b_k w_l^(p k)
// for p < m, q < s, with w_r = exp(-+2 pi i / r). Twiddles w_l^(pk) come from the plan,
// [m][r - 1] (cos, sin) pairs, already carrying the sign of the transform's direction.
// Each radix has one loop body, specialised at compile time for the direction and for the
// last pass (m = 1), whose twiddles are all 1.

import { ELEM } from './fft-layout';
import { storeC, storeMul } from './complex4';

const HALF = f32x4.splat(0.5);

export function pass2(m: i32, s: i32, x: usize, y: usize, tw: usize): void {
  if (m == 1) pass2Loop(m, s, x, y, tw, false);
  else pass2Loop(m, s, x, y, tw, true);
}

// @ts-ignore: decorator
@inline
function pass2Loop(m: i32, s: i32, x: usize, y: usize, tw: usize, twiddled: bool): void {
  const sb = <usize>s * ELEM;
  const mb = <usize>m * sb;
  for (let p = 0; p < m; p++) {
    const w = tw + <usize>p * 8;
    const wr = v128.load32_splat(w), wi = v128.load32_splat(w, 4);
    let src = x + <usize>p * sb;
    let dst = y + <usize>p * 2 * sb;
    const end = src + sb;
    for (; src < end; src += ELEM, dst += ELEM) {
      const a0r = v128.load(src), a0i = v128.load(src, 16);
      const a1r = v128.load(src + mb), a1i = v128.load(src + mb, 16);
      storeC(dst, f32x4.add(a0r, a1r), f32x4.add(a0i, a1i));
      if (twiddled) storeMul(dst + sb, f32x4.sub(a0r, a1r), f32x4.sub(a0i, a1i), wr, wi);
      else storeC(dst + sb, f32x4.sub(a0r, a1r), f32x4.sub(a0i, a1i));
    }
  }
}

export function pass4(m: i32, s: i32, x: usize, y: usize, tw: usize, inverse: bool): void {
  if (m == 1) {
    if (inverse) pass4Loop(m, s, x, y, tw, true, false);
    else pass4Loop(m, s, x, y, tw, false, false);
  } else {
    if (inverse) pass4Loop(m, s, x, y, tw, true, true);
    else pass4Loop(m, s, x, y, tw, false, true);
  }
}

// @ts-ignore: decorator
@inline
function pass4Loop(m: i32, s: i32, x: usize, y: usize, tw: usize, inverse: bool, twiddled: bool): void {
  const sb = <usize>s * ELEM;
  const mb = <usize>m * sb;
  for (let p = 0; p < m; p++) {
    const w = tw + <usize>p * 24;
    const w1r = v128.load32_splat(w), w1i = v128.load32_splat(w, 4);
    const w2r = v128.load32_splat(w, 8), w2i = v128.load32_splat(w, 12);
    const w3r = v128.load32_splat(w, 16), w3i = v128.load32_splat(w, 20);
    let src = x + <usize>p * sb;
    let dst = y + <usize>p * 4 * sb;
    const end = src + sb;
    for (; src < end; src += ELEM, dst += ELEM) {
      const a0r = v128.load(src), a0i = v128.load(src, 16);
      const a1r = v128.load(src + mb), a1i = v128.load(src + mb, 16);
      const a2r = v128.load(src + 2 * mb), a2i = v128.load(src + 2 * mb, 16);
      const a3r = v128.load(src + 3 * mb), a3i = v128.load(src + 3 * mb, 16);
      const t0r = f32x4.add(a0r, a2r), t0i = f32x4.add(a0i, a2i);
      const t1r = f32x4.sub(a0r, a2r), t1i = f32x4.sub(a0i, a2i);
      const t2r = f32x4.add(a1r, a3r), t2i = f32x4.add(a1i, a3i);
      const t3r = f32x4.sub(a1r, a3r), t3i = f32x4.sub(a1i, a3i);
      // b1 = t1 + w4 t3 and b3 = t1 - w4 t3 with w4 = -i (forward) or +i (backward).
      const b1r = inverse ? f32x4.sub(t1r, t3i) : f32x4.add(t1r, t3i);
      const b1i = inverse ? f32x4.add(t1i, t3r) : f32x4.sub(t1i, t3r);
      const b3r = inverse ? f32x4.add(t1r, t3i) : f32x4.sub(t1r, t3i);
      const b3i = inverse ? f32x4.sub(t1i, t3r) : f32x4.add(t1i, t3r);
      storeC(dst, f32x4.add(t0r, t2r), f32x4.add(t0i, t2i));
      if (twiddled) {
        storeMul(dst + sb, b1r, b1i, w1r, w1i);
        storeMul(dst + 2 * sb, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), w2r, w2i);
        storeMul(dst + 3 * sb, b3r, b3i, w3r, w3i);
      } else {
        storeC(dst + sb, b1r, b1i);
        storeC(dst + 2 * sb, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i));
        storeC(dst + 3 * sb, b3r, b3i);
      }
    }
  }
}

export function pass3(m: i32, s: i32, x: usize, y: usize, tw: usize, inverse: bool): void {
  // w3 = -1/2 + i sigma sqrt(3)/2 with sigma = -1 forward, +1 backward.
  const q = f32x4.splat(inverse ? 0.8660254037844386 : -0.8660254037844386);
  if (m == 1) pass3Loop(m, s, x, y, tw, q, false);
  else pass3Loop(m, s, x, y, tw, q, true);
}

// @ts-ignore: decorator
@inline
function pass3Loop(m: i32, s: i32, x: usize, y: usize, tw: usize, q: v128, twiddled: bool): void {
  const sb = <usize>s * ELEM;
  const mb = <usize>m * sb;
  for (let p = 0; p < m; p++) {
    const w = tw + <usize>p * 16;
    const w1r = v128.load32_splat(w), w1i = v128.load32_splat(w, 4);
    const w2r = v128.load32_splat(w, 8), w2i = v128.load32_splat(w, 12);
    let src = x + <usize>p * sb;
    let dst = y + <usize>p * 3 * sb;
    const end = src + sb;
    for (; src < end; src += ELEM, dst += ELEM) {
      const a0r = v128.load(src), a0i = v128.load(src, 16);
      const a1r = v128.load(src + mb), a1i = v128.load(src + mb, 16);
      const a2r = v128.load(src + 2 * mb), a2i = v128.load(src + 2 * mb, 16);
      const t1r = f32x4.add(a1r, a2r), t1i = f32x4.add(a1i, a2i);
      const t2r = f32x4.sub(a1r, a2r), t2i = f32x4.sub(a1i, a2i);
      const mr = f32x4.sub(a0r, f32x4.mul(HALF, t1r)), mi = f32x4.sub(a0i, f32x4.mul(HALF, t1i));
      // n = i q t2
      const nr = f32x4.neg(f32x4.mul(q, t2i)), ni = f32x4.mul(q, t2r);
      storeC(dst, f32x4.add(a0r, t1r), f32x4.add(a0i, t1i));
      if (twiddled) {
        storeMul(dst + sb, f32x4.add(mr, nr), f32x4.add(mi, ni), w1r, w1i);
        storeMul(dst + 2 * sb, f32x4.sub(mr, nr), f32x4.sub(mi, ni), w2r, w2i);
      } else {
        storeC(dst + sb, f32x4.add(mr, nr), f32x4.add(mi, ni));
        storeC(dst + 2 * sb, f32x4.sub(mr, nr), f32x4.sub(mi, ni));
      }
    }
  }
}

export function pass5(m: i32, s: i32, x: usize, y: usize, tw: usize, inverse: bool): void {
  const sigma: f64 = inverse ? 1 : -1;
  const c1 = f32x4.splat(<f32>0.30901699437494745); // cos(2 pi / 5)
  const c2 = f32x4.splat(<f32>-0.8090169943749475); // cos(4 pi / 5)
  const s1 = f32x4.splat(<f32>(sigma * 0.9510565162951535)); // sigma sin(2 pi / 5)
  const s2 = f32x4.splat(<f32>(sigma * 0.5877852522924731)); // sigma sin(4 pi / 5)
  if (m == 1) pass5Loop(m, s, x, y, tw, c1, c2, s1, s2, false);
  else pass5Loop(m, s, x, y, tw, c1, c2, s1, s2, true);
}

// @ts-ignore: decorator
@inline
function pass5Loop(
  m: i32, s: i32, x: usize, y: usize, tw: usize,
  c1: v128, c2: v128, s1: v128, s2: v128, twiddled: bool,
): void {
  const sb = <usize>s * ELEM;
  const mb = <usize>m * sb;
  for (let p = 0; p < m; p++) {
    const w = tw + <usize>p * 32;
    let src = x + <usize>p * sb;
    let dst = y + <usize>p * 5 * sb;
    const end = src + sb;
    for (; src < end; src += ELEM, dst += ELEM) {
      const a0r = v128.load(src), a0i = v128.load(src, 16);
      const a1r = v128.load(src + mb), a1i = v128.load(src + mb, 16);
      const a2r = v128.load(src + 2 * mb), a2i = v128.load(src + 2 * mb, 16);
      const a3r = v128.load(src + 3 * mb), a3i = v128.load(src + 3 * mb, 16);
      const a4r = v128.load(src + 4 * mb), a4i = v128.load(src + 4 * mb, 16);
      const t1r = f32x4.add(a1r, a4r), t1i = f32x4.add(a1i, a4i);
      const t2r = f32x4.add(a2r, a3r), t2i = f32x4.add(a2i, a3i);
      const t3r = f32x4.sub(a1r, a4r), t3i = f32x4.sub(a1i, a4i);
      const t4r = f32x4.sub(a2r, a3r), t4i = f32x4.sub(a2i, a3i);
      const m1r = f32x4.add(a0r, f32x4.add(f32x4.mul(c1, t1r), f32x4.mul(c2, t2r)));
      const m1i = f32x4.add(a0i, f32x4.add(f32x4.mul(c1, t1i), f32x4.mul(c2, t2i)));
      const m2r = f32x4.add(a0r, f32x4.add(f32x4.mul(c2, t1r), f32x4.mul(c1, t2r)));
      const m2i = f32x4.add(a0i, f32x4.add(f32x4.mul(c2, t1i), f32x4.mul(c1, t2i)));
      // n1 = i (s1 t3 + s2 t4), n2 = i (s2 t3 - s1 t4)
      const v1r = f32x4.add(f32x4.mul(s1, t3r), f32x4.mul(s2, t4r));
      const v1i = f32x4.add(f32x4.mul(s1, t3i), f32x4.mul(s2, t4i));
      const v2r = f32x4.sub(f32x4.mul(s2, t3r), f32x4.mul(s1, t4r));
      const v2i = f32x4.sub(f32x4.mul(s2, t3i), f32x4.mul(s1, t4i));
      storeC(dst, f32x4.add(a0r, f32x4.add(t1r, t2r)), f32x4.add(a0i, f32x4.add(t1i, t2i)));
      if (twiddled) {
        storeMul(dst + sb, f32x4.sub(m1r, v1i), f32x4.add(m1i, v1r), v128.load32_splat(w), v128.load32_splat(w, 4));
        storeMul(dst + 2 * sb, f32x4.sub(m2r, v2i), f32x4.add(m2i, v2r), v128.load32_splat(w, 8), v128.load32_splat(w, 12));
        storeMul(dst + 3 * sb, f32x4.add(m2r, v2i), f32x4.sub(m2i, v2r), v128.load32_splat(w, 16), v128.load32_splat(w, 20));
        storeMul(dst + 4 * sb, f32x4.add(m1r, v1i), f32x4.sub(m1i, v1r), v128.load32_splat(w, 24), v128.load32_splat(w, 28));
      } else {
        storeC(dst + sb, f32x4.sub(m1r, v1i), f32x4.add(m1i, v1r));
        storeC(dst + 2 * sb, f32x4.sub(m2r, v2i), f32x4.add(m2i, v2r));
        storeC(dst + 3 * sb, f32x4.add(m2r, v2i), f32x4.sub(m2i, v2r));
        storeC(dst + 4 * sb, f32x4.add(m1r, v1i), f32x4.sub(m1i, v1r));
      }
    }
  }
}

/**
 * Any odd radix r (the plan uses it for primes 7..31) by the symmetric direct DFT:
 * with t_j = a_j + a_(r-j), u_j = a_j - a_(r-j) (j = 1..h, h = (r - 1) / 2),
 * b_k = a0 + sum_j cos(2 pi jk / r) t_j + i sum_j sigma sin(2 pi jk / r) u_j, and b_(r-k) the
 * same with -i. roots: [r] pairs (cos, sigma sin)(2 pi j / r). tmp: 2h elements of scratch.
 */
export function passGeneric(r: i32, m: i32, s: i32, x: usize, y: usize, tw: usize, roots: usize, tmp: usize): void {
  const h = (r - 1) >> 1;
  const sb = <usize>s * ELEM;
  const mb = <usize>m * sb;
  const rootStride = <usize>(r - 1) * 8;
  for (let p = 0; p < m; p++) {
    const w = tw + <usize>p * rootStride;
    for (let q = 0; q < s; q++) {
      const src = x + <usize>p * sb + <usize>q * ELEM;
      const dst = y + <usize>p * <usize>r * sb + <usize>q * ELEM;
      const a0r = v128.load(src), a0i = v128.load(src, 16);
      let sumr = a0r, sumi = a0i;
      for (let j = 1; j <= h; j++) {
        const aj = src + <usize>j * mb, ak = src + <usize>(r - j) * mb;
        const tr = f32x4.add(v128.load(aj), v128.load(ak)), ti = f32x4.add(v128.load(aj, 16), v128.load(ak, 16));
        const t = tmp + <usize>(j - 1) * 2 * ELEM;
        storeC(t, tr, ti);
        storeC(t + ELEM, f32x4.sub(v128.load(aj), v128.load(ak)), f32x4.sub(v128.load(aj, 16), v128.load(ak, 16)));
        sumr = f32x4.add(sumr, tr);
        sumi = f32x4.add(sumi, ti);
      }
      storeC(dst, sumr, sumi);
      for (let k = 1; k <= h; k++) {
        let rr = a0r, ri = a0i, vr = f32x4.splat(0), vi = f32x4.splat(0);
        let idx = 0;
        for (let j = 1; j <= h; j++) {
          idx += k;
          if (idx >= r) idx -= r;
          const root = roots + <usize>idx * 8;
          const c = v128.load32_splat(root), sn = v128.load32_splat(root, 4);
          const t = tmp + <usize>(j - 1) * 2 * ELEM;
          rr = f32x4.add(rr, f32x4.mul(c, v128.load(t)));
          ri = f32x4.add(ri, f32x4.mul(c, v128.load(t, 16)));
          vr = f32x4.add(vr, f32x4.mul(sn, v128.load(t, 32)));
          vi = f32x4.add(vi, f32x4.mul(sn, v128.load(t, 48)));
        }
        const wk = w + <usize>(k - 1) * 8, wrk = w + <usize>(r - k - 1) * 8;
        storeMul(dst + <usize>k * sb, f32x4.sub(rr, vi), f32x4.add(ri, vr), v128.load32_splat(wk), v128.load32_splat(wk, 4));
        storeMul(dst + <usize>(r - k) * sb, f32x4.add(rr, vi), f32x4.sub(ri, vr), v128.load32_splat(wrk), v128.load32_splat(wrk, 4));
      }
    }
  }
}
