// Real FFT of rows, four rows per pass (one per lane).
//   rfft:  x [rows, n] -> X [rows, n / 2 + 1, 2]   X_k = sum_j x_j exp(-2 pi i jk / n)
//   irfft: X [rows, n / 2 + 1, 2] -> x [rows, n]   x_j = (1 / n) sum_k X_k exp(+2 pi i jk / n)
//          over the Hermitian extension of X, like numpy.fft.irfft.
// Even n uses the half-length complex transform (real-spectrum.ts); odd n, rare in practice,
// transforms the zero-imaginary row at full length.

import { ELEM, REAL_N, REAL_COMPLEX, REAL_TWIDDLES, REAL_BUF_ELEMS } from './fft-layout';
import { cfft } from './fft-complex';
import { unpackReal, packReal } from './real-spectrum';
import { loadPairs, loadReals, storePairs, storeReals } from './lane-io';

/** Elements of generic-radix scratch after the two work buffers (radix <= 31 needs 30). */
const TMP_ELEMS: i32 = 64;

/** Bytes of per-thread scratch rfftRows / irfftRows / the conv kernels need for a real plan. */
export function fftWorkBytes(plan: usize): i32 {
  return (2 * load<i32>(plan, REAL_BUF_ELEMS) + TMP_ELEMS) * <i32>ELEM;
}

/** Transforms the rows of groups [g0, g1) (group g = rows 4g..4g+3). work: see fftWorkBytes. */
export function rfftRows(plan: usize, x: usize, out: usize, rows: i32, g0: i32, g1: i32, work: usize): void {
  const n = load<i32>(plan, REAL_N);
  const cplan = load<usize>(plan, REAL_COMPLEX);
  const elems = <usize>load<i32>(plan, REAL_BUF_ELEMS);
  const buf0 = work, buf1 = work + elems * ELEM, tmp = buf1 + elems * ELEM;
  const m = n >> 1;
  const bins = m + 1;
  const inStride = <usize>n * 4, outStride = <usize>bins * 8;
  for (let g = g0; g < g1; g++) {
    const r0 = g * 4;
    const valid = min(4, rows - r0);
    const last = rows - 1;
    const p0 = x + <usize>r0 * inStride;
    const p1 = x + <usize>min(r0 + 1, last) * inStride;
    const p2 = x + <usize>min(r0 + 2, last) * inStride;
    const p3 = x + <usize>min(r0 + 3, last) * inStride;
    const d0 = out + <usize>r0 * outStride;
    let spectrum: usize;
    if ((n & 1) == 0) {
      loadPairs(p0, p1, p2, p3, n, m, buf0);
      const z = cfft(cplan, buf0, buf1, tmp);
      spectrum = z == buf0 ? buf1 : buf0;
      unpackReal(z, spectrum, m, load<usize>(plan, REAL_TWIDDLES), 1);
    } else {
      loadReals(p0, p1, p2, p3, n, n, buf0);
      spectrum = cfft(cplan, buf0, buf1, tmp);
    }
    storePairs(spectrum, 2 * bins, d0, d0 + outStride, d0 + 2 * outStride, d0 + 3 * outStride, valid);
  }
}

/** Inverse of rfftRows for the rows of groups [g0, g1). `plan` is the backward real plan. */
export function irfftRows(plan: usize, spec: usize, out: usize, rows: i32, g0: i32, g1: i32, work: usize): void {
  const n = load<i32>(plan, REAL_N);
  const cplan = load<usize>(plan, REAL_COMPLEX);
  const elems = <usize>load<i32>(plan, REAL_BUF_ELEMS);
  const buf0 = work, buf1 = work + elems * ELEM, tmp = buf1 + elems * ELEM;
  const m = n >> 1;
  const bins = m + 1;
  const inStride = <usize>bins * 8, outStride = <usize>n * 4;
  const scale = <f32>(1.0 / <f64>n);
  for (let g = g0; g < g1; g++) {
    const r0 = g * 4;
    const valid = min(4, rows - r0);
    const last = rows - 1;
    const p0 = spec + <usize>r0 * inStride;
    const p1 = spec + <usize>min(r0 + 1, last) * inStride;
    const p2 = spec + <usize>min(r0 + 2, last) * inStride;
    const p3 = spec + <usize>min(r0 + 3, last) * inStride;
    const d0 = out + <usize>r0 * outStride;
    const d1 = d0 + outStride, d2 = d1 + outStride, d3 = d2 + outStride;
    if ((n & 1) == 0) {
      loadPairs(p0, p1, p2, p3, 2 * bins, bins, buf0);
      packReal(buf0, buf1, m, load<usize>(plan, REAL_TWIDDLES), scale);
      const z = cfft(cplan, buf1, buf0, tmp);
      storePairs(z, n, d0, d1, d2, d3, valid);
    } else {
      loadPairs(p0, p1, p2, p3, 2 * bins, n, buf0);
      hermitianExtend(buf0, n, bins);
      const z = cfft(cplan, buf0, buf1, tmp);
      storeReals(z, n, scale, d0, d1, d2, d3, valid);
    }
  }
}

/** buf[k] = conj buf[n - k] for k >= bins, and Im buf[0] = 0 (ignored, as numpy does). */
function hermitianExtend(buf: usize, n: i32, bins: i32): void {
  v128.store(buf, f32x4.splat(0), 16);
  for (let k = bins; k < n; k++) {
    const src = buf + <usize>(n - k) * ELEM, dst = buf + <usize>k * ELEM;
    v128.store(dst, v128.load(src));
    v128.store(dst, f32x4.neg(v128.load(src, 16)), 16);
  }
}
