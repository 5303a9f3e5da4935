// The half-length trick for real transforms of even length n = 2m.
//
// Packing z_j = x_2j + i x_2j+1 and taking Z = FFT_m(z) gives the spectra of the even and odd
// samples, E_k = (Z_k + conj Z_(m-k)) / 2 and O_k = (Z_k - conj Z_(m-k)) / 2i, and
//   X_k = E_k + w^k O_k,  X_(m-k) = conj(E_k - w^k O_k),  w = exp(-2 pi i / n).
// The inverse runs the same algebra backwards. Each k is handled together with m - k, so both
// directions are one in-order pass over half the spectrum.

import { ELEM } from './fft-layout';
import { storeC } from './complex4';

/**
 * dst[0..m] = scale * X from src[0..m) = Z (lane layout, dst != src).
 * tw: [m + 1] pairs exp(-2 pi i k / n).
 */
export function unpackReal(src: usize, dst: usize, m: i32, tw: usize, scale: f32): void {
  const c = f32x4.splat(scale);
  const h = f32x4.splat(scale * 0.5);
  const zero = f32x4.splat(0);
  const z0r = v128.load(src), z0i = v128.load(src, 16);
  storeC(dst, f32x4.mul(c, f32x4.add(z0r, z0i)), zero);
  storeC(dst + <usize>m * ELEM, f32x4.mul(c, f32x4.sub(z0r, z0i)), zero);
  const half = m >> 1;
  for (let k = 1; k <= half; k++) {
    const a = src + <usize>k * ELEM, b = src + <usize>(m - k) * ELEM;
    const ar = v128.load(a), ai = v128.load(a, 16);
    const br = v128.load(b), bi = f32x4.neg(v128.load(b, 16)); // conj Z_(m-k)
    const er = f32x4.mul(h, f32x4.add(ar, br)), ei = f32x4.mul(h, f32x4.add(ai, bi));
    const or = f32x4.mul(h, f32x4.sub(ai, bi)), oi = f32x4.mul(h, f32x4.sub(br, ar)); // (A - B) / 2i
    const w = tw + <usize>k * 8;
    const wr = v128.load32_splat(w), wi = v128.load32_splat(w, 4);
    const tr = f32x4.sub(f32x4.mul(wr, or), f32x4.mul(wi, oi));
    const ti = f32x4.add(f32x4.mul(wr, oi), f32x4.mul(wi, or));
    storeC(dst + <usize>k * ELEM, f32x4.add(er, tr), f32x4.add(ei, ti));
    storeC(dst + <usize>(m - k) * ELEM, f32x4.sub(er, tr), f32x4.sub(ti, ei));
  }
}

/**
 * dst[0..m) = Z with IFFT_m(Z) (unnormalised) = scale * m * (x_2j + i x_2j+1), from the half
 * spectrum src[0..m] = X (dst != src). The imaginary parts of X_0 and X_m are ignored, as in
 * numpy.fft.irfft. scale = 1 / n gives the normalised inverse.
 */
export function packReal(src: usize, dst: usize, m: i32, tw: usize, scale: f32): void {
  const c = f32x4.splat(scale);
  const x0 = v128.load(src), xm = v128.load(src + <usize>m * ELEM);
  storeC(dst, f32x4.mul(c, f32x4.add(x0, xm)), f32x4.mul(c, f32x4.sub(x0, xm)));
  const half = m >> 1;
  for (let k = 1; k <= half; k++) {
    const a = src + <usize>k * ELEM, b = src + <usize>(m - k) * ELEM;
    const ar = v128.load(a), ai = v128.load(a, 16);
    const br = v128.load(b), bi = f32x4.neg(v128.load(b, 16));
    const w = tw + <usize>k * 8;
    const wr = v128.load32_splat(w), wi = v128.load32_splat(w, 4);
    storeHalfPair(dst, k, m, ar, ai, br, bi, wr, wi, c);
  }
}

/**
 * Given A = Y_k and B = conj Y_(m-k) (already scaled), stores Z_k = E + iO and
 * Z_(m-k) = conj E + i conj O with E = c (A + B), O = c (A - B) conj(w^k).
 */
// @ts-ignore: decorator
@inline
export function storeHalfPair(
  dst: usize, k: i32, m: i32,
  ar: v128, ai: v128, br: v128, bi: v128, wr: v128, wi: v128, c: v128,
): void {
  const er = f32x4.mul(c, f32x4.add(ar, br)), ei = f32x4.mul(c, f32x4.add(ai, bi));
  const dr = f32x4.mul(c, f32x4.sub(ar, br)), di = f32x4.mul(c, f32x4.sub(ai, bi));
  const or = f32x4.add(f32x4.mul(dr, wr), f32x4.mul(di, wi));
  const oi = f32x4.sub(f32x4.mul(di, wr), f32x4.mul(dr, wi));
  storeC(dst + <usize>k * ELEM, f32x4.sub(er, oi), f32x4.add(ei, or));
  storeC(dst + <usize>(m - k) * ELEM, f32x4.add(er, oi), f32x4.sub(or, ei));
}
