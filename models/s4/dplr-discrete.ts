/**
 * The bilinear discretisation of S4's DPLR state space in float64, for what the convolution
 * kernel does not give: C̃ = C(I − dA^L) and its doubling, and the dense recurrent mode.
 * Follows state-spaces/s4 `SSMKernelDPLR._setup_linear`, `_setup_state`, `_setup_C`,
 * `_setup_step` (mode 'dense').
 *
 * Per head h, over the conjugate-pair-expanded state of size M = 2·N2 (x̂ = [x; x̄]):
 *   A_full = diag(Λ̂) − p̂ p̂ᴴ,  Λ̂ = [A; Ā], p̂ = [P; P̄], b̂ = [B; B̄], α = dt/2,
 *   dA = (I − αA_full)⁻¹ (I + αA_full),  dB = (I − αA_full)⁻¹ dt b̂,
 * and (Sherman–Morrison) with d = 1/(1 − αΛ̂), e = 1 + αΛ̂, γ = 1 + α Σ_n |p̂_n|² d_n:
 *   dA_ij = (d_i δ_ij − α d_i p̂_i p̄̂_j d_j / γ) e_j − α d_i p̂_i p̄̂_j / γ,
 *   r·dA = (r∘d − α (Σ_i r_i d_i p̂_i)(p̄̂∘d)/γ)∘e − α (Σ_i s_i p̂_i) p̄̂   (s the bracket): O(M).
 * The kernel is K_l = Ĉᵀ dA^l dB with Ĉ = [C; C̄] (no conjugation), so a row vector times dA is
 * how C moves. Deviation: computed in float64 (the official code runs it in float32/complex64).
 *
 * Shapes: H width, S copies (divides H; head h uses copy h mod S), N2 complex modes, M = 2·N2.
 */
import type { Complex64 } from './hermitian-eigen.ts';
import { luFactor, luSolve, realPower } from './real-dense.ts';

const complexZeros = (size: number): Complex64 => ({ re: new Float64Array(size), im: new Float64Array(size) });

/** A DPLR system's values in float64-ready form: complex arrays interleaved (re, im). */
export interface DplrValues {
  /** Step sizes (transformed), [H]. */
  dt: ArrayLike<number>;
  /** Diagonal A, input B, low-rank P: [S, N2, 2] each. */
  A: ArrayLike<number>;
  B: ArrayLike<number>;
  P: ArrayLike<number>;
  copies: number;
  width: number;
  modes: number;
}

/** One head's expanded system with its Sherman–Morrison factors. */
interface HeadSystem {
  size: number;
  alpha: number;
  dt: number;
  p: Complex64;
  b: Complex64;
  d: Complex64;
  e: Complex64;
  gammaRe: number;
  gammaIm: number;
}

function headSystem(values: DplrValues, h: number): HeadSystem {
  const { modes, copies } = values;
  const size = 2 * modes;
  const dt = values.dt[h];
  const alpha = dt / 2;
  const offset = (h % copies) * modes * 2;
  const expand = (src: ArrayLike<number>): Complex64 => {
    const out = complexZeros(size);
    for (let n = 0; n < modes; n++) {
      out.re[n] = out.re[n + modes] = src[offset + 2 * n];
      out.im[n] = src[offset + 2 * n + 1];
      out.im[n + modes] = -src[offset + 2 * n + 1];
    }
    return out;
  };
  const lambda = expand(values.A);
  const p = expand(values.P);
  const d = complexZeros(size);
  const e = complexZeros(size);
  let gammaRe = 1;
  let gammaIm = 0;
  for (let n = 0; n < size; n++) {
    const [ar, ai] = [1 - alpha * lambda.re[n], -alpha * lambda.im[n]];
    const dd = ar * ar + ai * ai;
    [d.re[n], d.im[n]] = [ar / dd, -ai / dd];
    [e.re[n], e.im[n]] = [1 + alpha * lambda.re[n], alpha * lambda.im[n]];
    const pp = p.re[n] * p.re[n] + p.im[n] * p.im[n];
    gammaRe += alpha * pp * d.re[n];
    gammaIm += alpha * pp * d.im[n];
  }
  return { size, alpha, dt, p, b: expand(values.B), d, e, gammaRe, gammaIm };
}

/** Complex product and quotient on pairs. */
const mulC = (ar: number, ai: number, br: number, bi: number): [number, number] => [ar * br - ai * bi, ar * bi + ai * br];
function divC(ar: number, ai: number, br: number, bi: number): [number, number] {
  const dd = br * br + bi * bi;
  return [(ar * br + ai * bi) / dd, (ai * br - ar * bi) / dd];
}

/**
 * r ← r·dA for a row vector r of the expanded state, in place, O(M) (the official linear step,
 * transposed). Scalar arithmetic only: this is the hot loop of attuneOutputMap.
 */
function rowTimesDA(r: Complex64, sys: HeadSystem): void {
  const { size, alpha, p, d, e } = sys;
  const [rr, ri, pr, pi, dr, di] = [r.re, r.im, p.re, p.im, d.re, d.im];
  // w = Σ_i r_i d_i p̂_i
  let wr = 0;
  let wi = 0;
  for (let i = 0; i < size; i++) {
    const xr = rr[i] * dr[i] - ri[i] * di[i];
    const xi = rr[i] * di[i] + ri[i] * dr[i];
    wr += xr * pr[i] - xi * pi[i];
    wi += xr * pi[i] + xi * pr[i];
  }
  // c = α w / γ
  const gg = sys.gammaRe * sys.gammaRe + sys.gammaIm * sys.gammaIm;
  const cr = (alpha * (wr * sys.gammaRe + wi * sys.gammaIm)) / gg;
  const ci = (alpha * (wi * sys.gammaRe - wr * sys.gammaIm)) / gg;
  // s = r∘d − c (p̄̂∘d); v = Σ s_i p̂_i; r ← s∘e, then r −= α v p̄̂
  let vr = 0;
  let vi = 0;
  for (let j = 0; j < size; j++) {
    const qr = pr[j] * dr[j] + pi[j] * di[j]; // p̄̂_j d_j
    const qi = pr[j] * di[j] - pi[j] * dr[j];
    const sr = rr[j] * dr[j] - ri[j] * di[j] - (cr * qr - ci * qi);
    const si = rr[j] * di[j] + ri[j] * dr[j] - (cr * qi + ci * qr);
    vr += sr * pr[j] - si * pi[j];
    vi += sr * pi[j] + si * pr[j];
    rr[j] = sr * e.re[j] - si * e.im[j];
    ri[j] = sr * e.im[j] + si * e.re[j];
  }
  for (let j = 0; j < size; j++) {
    rr[j] -= alpha * (vr * pr[j] + vi * pi[j]);
    ri[j] -= alpha * (vi * pr[j] - vr * pi[j]);
  }
}

/** Ĉ = [C; C̄] of output row (c, h) from an interleaved [channels, H, N2, 2] array. */
function expandedRow(C: ArrayLike<number>, row: number, modes: number): Complex64 {
  const out = complexZeros(2 * modes);
  for (let n = 0; n < modes; n++) {
    out.re[n] = out.re[n + modes] = C[(row * modes + n) * 2];
    out.im[n] = C[(row * modes + n) * 2 + 1];
    out.im[n + modes] = -out.im[n];
  }
  return out;
}

/**
 * The official `_setup_C(L)`: 'attune' maps a plain C to C̃ = C(I − dA^L) (l_kernel 0 → L);
 * 'double' maps C̃ attuned to L to C̃(I + dA^L), attuned to 2L. C: [channels, H, N2, 2] → same.
 * O(channels·H·N2·L): dA^L is applied to each row vector by L linear-time steps.
 */
export function attuneOutputMap(C: ArrayLike<number>, values: DplrValues, length: number, mode: 'attune' | 'double'): Float32Array {
  const { width, modes } = values;
  const rows = C.length / (2 * modes);
  const out = Float32Array.from(C);
  const sign = mode === 'attune' ? -1 : 1;
  for (let h = 0; h < width; h++) {
    const sys = headSystem(values, h);
    for (let row = h; row < rows; row += width) {
      const r = expandedRow(C, row, modes);
      for (let l = 0; l < length; l++) rowTimesDA(r, sys);
      for (let n = 0; n < modes; n++) {
        out[(row * modes + n) * 2] += sign * r.re[n];
        out[(row * modes + n) * 2 + 1] += sign * r.im[n];
      }
    }
  }
  return out;
}

/** The dense recurrent mode's matrices (see s4.ts `S4Kernel.recurrence`). */
export interface DenseRecurrence {
  /** Real transition R on the interleaved state (x_re, x_im per mode): [H, 2·N2, 2·N2]. */
  transition: Float32Array;
  /** dB, the top half of the expanded one: [H, N2, 2]. */
  inputMap: Float32Array;
  /** dC = top half of solve((I − dA^Lk)ᵀ, Ĉ̃) (C̃ itself when Lk = 0): [channels, H, N2, 2]. */
  outputMap: Float32Array;
}

/**
 * dA, dB and the output map recovered from C̃ (the official `_setup_step`, mode 'dense').
 * x' = dA_top [x; x̄] + dB u is written as a real map R on s = (Re x, Im x) interleaved, so the
 * state stays [batch, H, N2, 2]; y = 2·Re Σ_n dC_n x'_n = gᵀ s' with g = (2 Re dC, −2 Im dC).
 * In these coordinates C̃ = C(I − dA^Lk) reads g̃ᵀ = gᵀ(I − R^Lk), so dC comes from the real
 * solve (I − R^Lk)ᵀ g = g̃: a quarter of the complex work. O(H·N³·log Lk) for the power.
 */
export function denseRecurrence(Ctilde: ArrayLike<number>, values: DplrValues, kernelLength: number): DenseRecurrence {
  const { width, modes } = values;
  const size = 2 * modes;
  const rows = Ctilde.length / (2 * modes);
  const transition = new Float32Array(width * size * size);
  const inputMap = new Float32Array(width * modes * 2);
  const outputMap = Float32Array.from(Ctilde);
  for (let h = 0; h < width; h++) {
    const sys = headSystem(values, h);
    const { alpha, p, d, e, b, dt } = sys;
    // Top rows of dA_ij = (d_i δ_ij − α d_i p̂_i p̄̂_j d_j / γ) e_j − α d_i p̂_i p̄̂_j / γ.
    const top = complexZeros(modes * size);
    for (let i = 0; i < modes; i++) {
      const [ur, ui] = divC(...mulC(d.re[i], d.im[i], p.re[i], p.im[i]), sys.gammaRe, sys.gammaIm); // d_i p̂_i / γ
      for (let j = 0; j < size; j++) {
        const [qr, qi] = mulC(ur, ui, p.re[j], -p.im[j]); // d_i p̂_i p̄̂_j / γ
        const [mr, mi] = mulC(qr, qi, d.re[j], d.im[j]);
        const [xr, xi] = mulC((i === j ? d.re[i] : 0) - alpha * mr, (i === j ? d.im[i] : 0) - alpha * mi, e.re[j], e.im[j]);
        [top.re[i * size + j], top.im[i * size + j]] = [xr - alpha * qr, xi - alpha * qi];
      }
    }
    // dB = dt (d∘b̂ − α d∘p̂ (Σ_j p̄̂_j d_j b̂_j)/γ), top half only.
    let sr = 0;
    let si = 0;
    for (let j = 0; j < size; j++) {
      const [x, y] = mulC(...mulC(p.re[j], -p.im[j], d.re[j], d.im[j]), b.re[j], b.im[j]);
      sr += x;
      si += y;
    }
    const [cr, ci] = divC(alpha * sr, alpha * si, sys.gammaRe, sys.gammaIm);
    for (let n = 0; n < modes; n++) {
      const [x, y] = mulC(d.re[n], d.im[n], b.re[n] - (cr * p.re[n] - ci * p.im[n]), b.im[n] - (cr * p.im[n] + ci * p.re[n]));
      [inputMap[(h * modes + n) * 2], inputMap[(h * modes + n) * 2 + 1]] = [dt * x, dt * y];
    }
    // R from M1 = dA[top, left] (acting on x) and M2 = dA[top, right] (acting on x̄).
    const R = new Float64Array(size * size);
    for (let n = 0; n < modes; n++) {
      for (let m = 0; m < modes; m++) {
        const [m1r, m1i] = [top.re[n * size + m], top.im[n * size + m]];
        const [m2r, m2i] = [top.re[n * size + modes + m], top.im[n * size + modes + m]];
        R[2 * n * size + 2 * m] = m1r + m2r;
        R[2 * n * size + 2 * m + 1] = -m1i + m2i;
        R[(2 * n + 1) * size + 2 * m] = m1i + m2i;
        R[(2 * n + 1) * size + 2 * m + 1] = m1r - m2r;
      }
    }
    transition.set(R, h * size * size);
    if (kernelLength === 0) continue;
    // (I − R^Lk)ᵀ, factorised once for every output row of this head.
    const power = realPower(R, size, kernelLength);
    const system = new Float64Array(size * size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) system[i * size + j] = (i === j ? 1 : 0) - power[j * size + i];
    const factors = luFactor(system, size);
    for (let row = h; row < rows; row += width) {
      const g = luSolve(
        factors,
        Float64Array.from({ length: size }, (_, k) => (k % 2 === 0 ? 2 : -2) * Ctilde[row * size + k]),
      );
      for (let n = 0; n < modes; n++) [outputMap[(row * modes + n) * 2], outputMap[(row * modes + n) * 2 + 1]] = [g[2 * n] / 2, -g[2 * n + 1] / 2];
    }
  }
  return { transition, inputMap, outputMap };
}
