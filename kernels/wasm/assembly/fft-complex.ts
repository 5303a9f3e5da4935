// Complex FFT of four lane-packed rows, driven by a plan (fft-layout.ts).
//
// Mixed radix 4/2/3/5 (plus a direct odd radix up to 31) Stockham passes for smooth lengths;
// Bluestein's chirp-z convolution for lengths with a larger prime factor, which turns a
// length-n DFT into a length-M (M >= 2n - 1, 2,3,5-smooth) circular convolution:
//   X_k = c_k sum_j (x_j c_j) conj(c_(k-j)),  c_j = exp(-+i pi j^2 / n).

import {
  ELEM, PLAN_KIND, PLAN_N, PLAN_INVERSE,
  STOCKHAM_STAGES, STOCKHAM_FIRST_STAGE, STAGE_BYTES, STAGE_RADIX, STAGE_M, STAGE_S, STAGE_TWIDDLES, STAGE_ROOTS,
  BLUESTEIN_M, BLUESTEIN_CHIRP, BLUESTEIN_FILTER, BLUESTEIN_FORWARD, BLUESTEIN_BACKWARD,
} from './fft-layout';
import { pass2, pass3, pass4, pass5, passGeneric } from './fft-radix';
import { mulInPlaceScalar } from './complex4';

/**
 * Transforms the plan's n elements in buf0 (lane layout); buf1 is the ping-pong partner and
 * both hold PLAN_BUF_ELEMS elements. Returns whichever of buf0 / buf1 holds the result.
 * tmp: 64 elements of scratch for the generic radix.
 */
export function cfft(plan: usize, buf0: usize, buf1: usize, tmp: usize): usize {
  if (load<i32>(plan, PLAN_KIND) == 0) return stockham(plan, buf0, buf1, tmp);
  return bluestein(plan, buf0, buf1, tmp);
}

function stockham(plan: usize, x: usize, y: usize, tmp: usize): usize {
  const inverse = load<i32>(plan, PLAN_INVERSE) != 0;
  const stages = load<i32>(plan, STOCKHAM_STAGES);
  for (let i = 0; i < stages; i++) {
    const st = plan + STOCKHAM_FIRST_STAGE + <usize>i * STAGE_BYTES;
    const r = load<i32>(st, STAGE_RADIX), m = load<i32>(st, STAGE_M), s = load<i32>(st, STAGE_S);
    const tw = load<usize>(st, STAGE_TWIDDLES);
    if (r == 4) pass4(m, s, x, y, tw, inverse);
    else if (r == 2) pass2(m, s, x, y, tw);
    else if (r == 3) pass3(m, s, x, y, tw, inverse);
    else if (r == 5) pass5(m, s, x, y, tw, inverse);
    else passGeneric(r, m, s, x, y, tw, load<usize>(st, STAGE_ROOTS), tmp);
    const t = x;
    x = y;
    y = t;
  }
  return x;
}

function bluestein(plan: usize, buf0: usize, buf1: usize, tmp: usize): usize {
  const n = load<i32>(plan, PLAN_N);
  const bigM = load<i32>(plan, BLUESTEIN_M);
  const chirp = load<usize>(plan, BLUESTEIN_CHIRP);
  const filter = load<usize>(plan, BLUESTEIN_FILTER);
  for (let j = 0; j < n; j++) mulInPlaceScalar(buf0 + <usize>j * ELEM, chirp + <usize>j * 8);
  memory.fill(buf0 + <usize>n * ELEM, 0, <usize>(bigM - n) * ELEM);
  const spectrum = stockham(load<usize>(plan, BLUESTEIN_FORWARD), buf0, buf1, tmp);
  for (let k = 0; k < bigM; k++) {
    mulInPlaceScalar(spectrum + <usize>k * ELEM, filter + <usize>k * 8);
  }
  const other = spectrum == buf0 ? buf1 : buf0;
  const out = stockham(load<usize>(plan, BLUESTEIN_BACKWARD), spectrum, other, tmp);
  for (let k = 0; k < n; k++) mulInPlaceScalar(out + <usize>k * ELEM, chirp + <usize>k * 8);
  return out;
}
