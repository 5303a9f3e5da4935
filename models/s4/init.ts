/**
 * Initialisations and parameter transforms of the S4 family's state spaces, computed in float64
 * and stored as float32: the diagonal inits of S4D (Gu et al. 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models", §4), the NPLR init of S4 (hippo.ts), the
 * log-uniform step size and the complex-normal output map.
 *
 * Follows state-spaces/s4 `models/s4/s4.py`: `dplr()`, `ssm()`, `combination()`,
 * `SSMKernel.init_dt`, `init_ssm_dplr`, `param_transform`, `inv_transform`.
 * Deviations: only the transforms 'exp', 'softplus' and 'none', and the inits below ('legt',
 * 'fourier', 'hippo' combinations and the random-imaginary variants are not ported).
 *
 * Shapes: H width, S copies of (A, B, P) (divides H), N state size, N2 = N/2 complex modes.
 * Complex arrays are interleaved (re, im), the layout of complex tensors.
 */
import type { Random, Tensor } from '../../src/index.ts';
import type { Complex64 } from './hermitian-eigen.ts';
import { nplrLegS } from './hippo.ts';

/** How a positive quantity (dt, −Re A, −Im A) is stored: value = transform(stored). */
export type PositiveTransform = 'exp' | 'softplus' | 'none';

/** The official `param_transform`: exp(x), log(1 + eˣ) or x. */
export function positive(x: Tensor, transform: PositiveTransform): Tensor {
  if (transform === 'exp') return x.exp();
  if (transform === 'softplus') return x.softplus();
  return x;
}

/** `positive` on one float64 number (for the float64 setup of the recurrent mode). */
export function positiveValue(x: number, transform: PositiveTransform): number {
  if (transform === 'exp') return Math.exp(x);
  if (transform === 'softplus') return x > 20 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  return x;
}

/**
 * The official `inv_transform`: the stored value whose transform is `value`, after clamping
 * `value` to ≥ 1e-4 — so a zero imaginary part (S4D-Real) is stored as 1e-4, as upstream.
 */
export function inversePositive(value: number, transform: PositiveTransform): number {
  return inverseTransform(Math.max(value, 1e-4), transform);
}

/** The exact inverse of `positiveValue` (no clamp): for converting trained values between transforms. */
export function inverseTransform(value: number, transform: PositiveTransform): number {
  if (transform === 'exp') return Math.log(value);
  if (transform === 'softplus') return value > 20 ? value + Math.log(-Math.expm1(-value)) : Math.log(Math.expm1(value));
  return value;
}

/**
 * Initial values of (A, B, P):
 * - 'legs': the NPLR form of HiPPO-LegS (original S4; for the diagonal kernel this is S4D-LegS);
 * - 'diag-lin': A = −½ − iπn (S4D-Lin); 'diag-inv': A = −½ − i(N/π)(N/(2n+1) − 1) (S4D-Inv);
 * - 'diag-legs': A = W from the NPLR form, B from it too, P = 0 (S4D-LegS);
 * - 'diag-real': A = −(n+1) (S4D-Real); 'diag': half the copies Inv, half Lin.
 * All 'diag-*' inits have P = 0 (the official P_scale = 0); n = 0 .. N2 − 1.
 */
export type SsmInit = 'legs' | 'diag-lin' | 'diag-inv' | 'diag-legs' | 'diag-real' | 'diag';

export interface SsmInitOptions {
  /** S, the number of independent (A, B, P) copies. */
  copies: number;
  /** 'constant' (B = 1, default) or 'random' (complex normal); ignored by the LegS inits. */
  bInit?: 'constant' | 'random';
  rng: Random;
}

/** A, B, P as interleaved complex float32 arrays of shape [S, N2, 2]. */
export interface SsmInitValues {
  A: Float32Array;
  B: Float32Array;
  P: Float32Array;
}

/** One copy's (A, B, P) in float64, [N2] each. */
function singleCopy(init: Exclude<SsmInit, 'diag'>, stateSize: number, options: SsmInitOptions): { A: Complex64; B: Complex64; P: Complex64 } {
  const n2 = stateSize / 2;
  const zeros = (): Complex64 => ({ re: new Float64Array(n2), im: new Float64Array(n2) });
  if (init === 'legs') {
    const { W, B, P } = nplrLegS(stateSize);
    return { A: W, B, P };
  }
  const A = zeros();
  const P = zeros();
  let B = zeros();
  if (init === 'diag-legs') {
    const nplr = nplrLegS(stateSize);
    // dplr(init='legs') rebuilds A = −½ − i·(−Im W) and takes B from nplr; P stays 0.
    A.re.fill(-0.5);
    A.im.set(nplr.W.im);
    B = nplr.B;
    return { A, B, P };
  }
  for (let n = 0; n < n2; n++) {
    A.re[n] = init === 'diag-real' ? -(n + 1) : -0.5;
    if (init === 'diag-lin') A.im[n] = -Math.PI * n;
    else if (init === 'diag-inv') A.im[n] = -(stateSize / Math.PI) * (stateSize / (2 * n + 1) - 1);
  }
  if ((options.bInit ?? 'constant') === 'constant') B.re.fill(1);
  else {
    const noise = complexNormal(n2, options.rng);
    for (let n = 0; n < n2; n++) [B.re[n], B.im[n]] = [noise[2 * n], noise[2 * n + 1]];
  }
  return { A, B, P };
}

/** (A, B, P) for S copies (`combination()`: 'diag' stacks Inv copies, then Lin copies). */
export function ssmInit(init: SsmInit, stateSize: number, options: SsmInitOptions): SsmInitValues {
  const { copies } = options;
  if (!Number.isInteger(stateSize) || stateSize < 2 || stateSize % 2 !== 0)
    throw new RangeError(`ssmInit: state size ${stateSize} must be an even integer ≥ 2`);
  const parts: Exclude<SsmInit, 'diag'>[] = init === 'diag' ? ['diag-inv', 'diag-lin'] : [init];
  if (copies % parts.length !== 0) throw new RangeError(`ssmInit: ${copies} copies cannot be split between ${parts.length} inits`);
  const n2 = stateSize / 2;
  const out: SsmInitValues = { A: new Float32Array(copies * n2 * 2), B: new Float32Array(copies * n2 * 2), P: new Float32Array(copies * n2 * 2) };
  const perPart = copies / parts.length;
  parts.forEach((part, k) => {
    for (let s = k * perPart; s < (k + 1) * perPart; s++) {
      // 'random' B draws per copy; the deterministic inits are the same for every copy.
      const copy = singleCopy(part, stateSize, options);
      for (const key of ['A', 'B', 'P'] as const) {
        for (let n = 0; n < n2; n++) {
          out[key][(s * n2 + n) * 2] = copy[key].re[n];
          out[key][(s * n2 + n) * 2 + 1] = copy[key].im[n];
        }
      }
    }
  });
  return out;
}

export interface DtInitOptions {
  /** Default 0.001. */
  dtMin?: number;
  /** Default 0.1. */
  dtMax?: number;
  transform: PositiveTransform;
  rng: Random;
}

/**
 * The stored step sizes `inv_dt` [H]: log dt ~ U[log dtMin, log dtMax] (dt log-uniform), stored
 * as log dt under 'exp' and as inversePositive(dt) otherwise (`SSMKernel.init_dt`).
 */
export function initInvDt(width: number, options: DtInitOptions): Float32Array {
  const { dtMin = 0.001, dtMax = 0.1, transform, rng } = options;
  if (!(dtMin > 0 && dtMax >= dtMin)) throw new RangeError(`initInvDt: need 0 < dtMin ≤ dtMax, got ${dtMin}, ${dtMax}`);
  return Float32Array.from({ length: width }, () => {
    const logDt = Math.log(dtMin) + rng.uniform() * (Math.log(dtMax) - Math.log(dtMin));
    return transform === 'exp' ? logDt : inversePositive(Math.exp(logDt), transform);
  });
}

/** n complex standard normals (torch.randn with a complex dtype: re, im each N(0, ½)), interleaved. */
export function complexNormal(count: number, rng: Random): Float32Array {
  return rng.normalArray(2 * count, 0, Math.SQRT1_2);
}
