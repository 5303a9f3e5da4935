// Causal convolution by FFT: y[r, l] = sum_(j <= l) k[r % Hk, j] u[r, l - j], l < L.
//
// Shapes: u [rows, L], k [Hk, Lk], y [rows, L]; transform length N (even, N >= L + Lk - 1 so
// the circular convolution does not wrap into the first L outputs), m = N / 2.
// The kernel spectra are computed once per "lane pattern": group g of four rows uses kernel
// rows (s + l) % Hk in lane l with s = 4g % Hk, so there are at most Hk distinct patterns
// (Hk / 4 when Hk is a multiple of 4, the S4 layout [B, H, L] with k [H, L]).
// Per group, the forward transform, the product and the inverse transform's packing are one
// fused pass over the half spectrum (real-spectrum.ts), so only two complex FFTs remain.

import { ELEM, REAL_N, REAL_COMPLEX, REAL_TWIDDLES, REAL_BUF_ELEMS } from './fft-layout';
import { cfft } from './fft-complex';
import { unpackReal, storeHalfPair } from './real-spectrum';
import { loadPairs, storePairs } from './lane-io';
import { storeC } from './complex4';

/**
 * spectra[i] = rfft_N(kernel rows of pattern i, zero padded) / N for patterns [i0, i1).
 * starts: i32 per pattern (its s); each spectrum is m + 1 lane elements. kernelLength: taps
 * used (<= L), kernelStride: floats per kernel row in memory.
 */
export function convSpectra(
  plan: usize, k: usize, kernelRows: i32, kernelLength: i32, kernelStride: i32,
  starts: usize, spectra: usize, i0: i32, i1: i32, work: usize,
): void {
  const n = load<i32>(plan, REAL_N);
  const m = n >> 1;
  const elems = <usize>load<i32>(plan, REAL_BUF_ELEMS);
  const buf0 = work, buf1 = work + elems * ELEM, tmp = buf1 + elems * ELEM;
  const stride = <usize>kernelStride * 4;
  for (let i = i0; i < i1; i++) {
    const s = load<i32>(starts + <usize>i * 4);
    const p0 = k + <usize>(s % kernelRows) * stride;
    const p1 = k + <usize>((s + 1) % kernelRows) * stride;
    const p2 = k + <usize>((s + 2) % kernelRows) * stride;
    const p3 = k + <usize>((s + 3) % kernelRows) * stride;
    loadPairs(p0, p1, p2, p3, kernelLength, m, buf0);
    const z = cfft(load<usize>(plan, REAL_COMPLEX), buf0, buf1, tmp);
    unpackReal(z, spectra + <usize>i * <usize>(m + 1) * ELEM, m, load<usize>(plan, REAL_TWIDDLES), <f32>(1.0 / <f64>n));
  }
}

/**
 * y rows of groups [g0, g1). forward / backward: real plans of length N. patterns: i32 per
 * group, the index of its kernel spectrum in `spectra`.
 */
export function convRows(
  forward: usize, backward: usize, u: usize, y: usize, rows: i32, length: i32,
  spectra: usize, patterns: usize, g0: i32, g1: i32, work: usize,
): void {
  const n = load<i32>(forward, REAL_N);
  const m = n >> 1;
  const elems = <usize>load<i32>(forward, REAL_BUF_ELEMS);
  const buf0 = work, buf1 = work + elems * ELEM, tmp = buf1 + elems * ELEM;
  const stride = <usize>length * 4;
  const tw = load<usize>(forward, REAL_TWIDDLES);
  for (let g = g0; g < g1; g++) {
    const r0 = g * 4;
    const valid = min(4, rows - r0);
    const last = rows - 1;
    loadPairs(
      u + <usize>r0 * stride, u + <usize>min(r0 + 1, last) * stride,
      u + <usize>min(r0 + 2, last) * stride, u + <usize>min(r0 + 3, last) * stride,
      length, m, buf0,
    );
    const z = cfft(load<usize>(forward, REAL_COMPLEX), buf0, buf1, tmp);
    const spectrum = spectra + <usize>load<i32>(patterns + <usize>g * 4) * <usize>(m + 1) * ELEM;
    filterHalfSpectrum(z, m, tw, spectrum);
    const out = cfft(load<usize>(backward, REAL_COMPLEX), z, z == buf0 ? buf1 : buf0, tmp);
    const d0 = y + <usize>r0 * stride;
    storePairs(out, length, d0, d0 + stride, d0 + 2 * stride, d0 + 3 * stride, valid);
  }
}

/**
 * In place: Z = FFT_m(packed u) becomes Z' with IFFT_m(Z') = packed irfft(rfft(u) K), for the
 * kernel half spectrum K (already scaled by 1 / N). Per pair (k, m - k): unpack X_k and
 * X_(m-k), multiply by K, pack again (see real-spectrum.ts).
 */
function filterHalfSpectrum(z: usize, m: i32, tw: usize, kspec: usize): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1);
  const z0r = v128.load(z), z0i = v128.load(z, 16);
  const y0 = f32x4.mul(f32x4.add(z0r, z0i), v128.load(kspec));
  const ym = f32x4.mul(f32x4.sub(z0r, z0i), v128.load(kspec + <usize>m * ELEM));
  storeC(z, f32x4.add(y0, ym), f32x4.sub(y0, ym));
  const last = m >> 1;
  for (let k = 1; k <= last; k++) {
    const a = z + <usize>k * ELEM, b = z + <usize>(m - k) * ELEM;
    const ar = v128.load(a), ai = v128.load(a, 16);
    const br = v128.load(b), bi = f32x4.neg(v128.load(b, 16));
    const w = tw + <usize>k * 8;
    const wr = v128.load32_splat(w), wi = v128.load32_splat(w, 4);
    // X_k = E + wO, X_(m-k) = conj(E - wO)
    const er = f32x4.mul(half, f32x4.add(ar, br)), ei = f32x4.mul(half, f32x4.add(ai, bi));
    const or = f32x4.mul(half, f32x4.sub(ai, bi)), oi = f32x4.mul(half, f32x4.sub(br, ar));
    const tr = f32x4.sub(f32x4.mul(wr, or), f32x4.mul(wi, oi));
    const ti = f32x4.add(f32x4.mul(wr, oi), f32x4.mul(wi, or));
    const x1r = f32x4.add(er, tr), x1i = f32x4.add(ei, ti);
    const x2r = f32x4.sub(er, tr), x2i = f32x4.sub(ti, ei);
    // Y = X K
    const k1 = kspec + <usize>k * ELEM, k2 = kspec + <usize>(m - k) * ELEM;
    const k1r = v128.load(k1), k1i = v128.load(k1, 16), k2r = v128.load(k2), k2i = v128.load(k2, 16);
    const y1r = f32x4.sub(f32x4.mul(x1r, k1r), f32x4.mul(x1i, k1i));
    const y1i = f32x4.add(f32x4.mul(x1r, k1i), f32x4.mul(x1i, k1r));
    const y2r = f32x4.sub(f32x4.mul(x2r, k2r), f32x4.mul(x2i, k2i));
    const y2i = f32x4.add(f32x4.mul(x2r, k2i), f32x4.mul(x2i, k2r));
    storeHalfPair(z, k, m, y1r, y1i, y2r, f32x4.neg(y2i), wr, wi, one);
  }
}
