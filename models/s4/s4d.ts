/**
 * S4D: the diagonal state-space kernel (Gu, Gupta, Goel & Ré 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models", NeurIPS), as state-spaces/s4 `models/s4/s4.py`
 * `SSMKernelDiag` with the minimal `models/s4/s4d.py` as a preset:
 *
 *   dt = f(inv_dt),  A = −f_re(A_real) − i·f_im(A_imag),  dtA = dt·A,
 *   zoh:      K_l = 2·Re Σ_n C_n B_n (e^{dtA_n} − 1)/A_n · e^{dtA_n·l}
 *   bilinear: K_l = 2·Re Σ_n C_n B_n dt/(1 − dtA_n/2) · dA_n^l,  dA = (1 + dtA/2)/(1 − dtA/2)
 *
 * and the recurrence x' = dA ⊙ x + dB·u, y = 2·Re Σ C x' (the same kernel, step by step).
 * Parameter names and shapes are the full class's (the canonical layout here); official.ts loads
 * the minimal s4d.py names. Deviations: dt is tied over the state (`dt_tie`), no `bandlimit`,
 * no 'dss' discretisation, no real-valued (`is_real`) variant, no state forwarding.
 *
 * Shapes: H width, S copies of (A, B) (n_ssm; head h uses copy h mod S), N state size,
 * N2 = N/2 complex modes, C kernel channels, L length, B batch.
 */
import {
  Module,
  complex,
  discretizeDiagonal,
  globalRandom,
  parameter,
  reshape,
  s4dKernel,
  s4dStep,
  tensor,
  zeros,
  type DiagonalSystem,
  type Discretization,
  type Random,
  type Tensor,
} from '../../src/index.ts';
import { FFTConv, type KernelRecurrence, type RecurrentKernel } from './conv.ts';
import { complexNormal, initInvDt, inversePositive, positive, ssmInit, type PositiveTransform, type SsmInit } from './init.ts';

/** How the stored parameters map to dt, −Re A and −Im A (the official `*_transform` options). */
export interface SsmTransforms {
  dtTransform: PositiveTransform;
  realTransform: PositiveTransform;
  imagTransform: PositiveTransform;
}

/** The continuous system's parameters in the official layout. */
export interface SsmParameters {
  /** [H, 1] */
  inv_dt: Tensor;
  /** [S, N2] */
  A_real: Tensor;
  /** [S, N2] */
  A_imag: Tensor;
  /** [1, S, N2, 2], or null for B ≡ 1 (folded into C, as the minimal s4d.py). */
  B: Tensor | null;
}

/** dt [H], A [S, N2, 2] and B [S, N2, 2] from the stored parameters. */
export function continuousSystem(params: SsmParameters, transforms: SsmTransforms): DiagonalSystem {
  const width = params.inv_dt.shape[0];
  const [copies, modes] = params.A_real.shape;
  const dt = reshape(positive(params.inv_dt, transforms.dtTransform), [width]); // [H]
  const A = complex(positive(params.A_real, transforms.realTransform).neg(), positive(params.A_imag, transforms.imagTransform).neg()); // [S, N2, 2]
  const ones = (): Tensor =>
    tensor(
      Float32Array.from({ length: copies * modes * 2 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
      [copies, modes, 2],
    );
  const B = params.B ? reshape(params.B, [copies, modes, 2]) : ones(); // [S, N2, 2]
  return { dt, A, B };
}

export interface S4DKernelSettings extends SsmTransforms {
  discretization: Discretization;
}

/** K [C, H, length] of an S4D kernel from its parameters (the pure function behind forward). */
export function s4dConvolutionKernel(params: SsmParameters & { C: Tensor }, settings: S4DKernelSettings, length: number): Tensor {
  return s4dKernel({ ...continuousSystem(params, settings), C: params.C }, { length, discretization: settings.discretization });
}

export interface S4DKernelConfig {
  /** H */
  dModel: number;
  /** N, the real state size (default 64: 32 complex modes). */
  dState?: number;
  /** Kernel channels C (default 1; twice the layer's channels when bidirectional). */
  channels?: number;
  /** S copies of (A, B) (default H; must divide H). */
  nSsm?: number;
  /** Default 'diag-lin' (S4D-Lin, as s4d.py); 'legs' and 'diag-legs' give S4D-LegS. */
  init?: SsmInit;
  /** Default 'zoh' (the official default). */
  discretization?: Discretization;
  /** dt ~ log-uniform [dtMin, dtMax], default [0.001, 0.1]. */
  dtMin?: number;
  dtMax?: number;
  /** Default 'exp' (inv_dt = log dt, as s4d.py's log_dt and `SSMKernelDiag`'s default). */
  dtTransform?: PositiveTransform;
  /** Default 'exp' (A_real = log(−Re A)). */
  realTransform?: PositiveTransform;
  /** Default 'none' (A_imag = −Im A). */
  imagTransform?: PositiveTransform;
  /** Train B [1, S, N2, 2] (default true, the full class); false fixes B ≡ 1 as s4d.py. */
  learnB?: boolean;
  bInit?: 'constant' | 'random';
  rng?: Random;
}

/** Named settings (merged over the defaults). */
export const s4dPresets = {
  /** state-spaces/s4 models/s4/s4d.py: S4D-Lin, ZOH, B ≡ 1, dt = exp(log_dt). */
  minimal: { init: 'diag-lin', discretization: 'zoh', dtTransform: 'exp', learnB: false },
} satisfies Record<string, Partial<S4DKernelConfig>>;

export class S4DKernel extends Module implements RecurrentKernel {
  inv_dt: Tensor;
  A_real: Tensor;
  A_imag: Tensor;
  B: Tensor | null;
  C: Tensor;
  readonly width: number;
  readonly channels: number;
  readonly settings: S4DKernelSettings;

  constructor(config: S4DKernelConfig) {
    super();
    const { dModel: H, dState = 64, channels = 1, nSsm = H, init = 'diag-lin', learnB = true } = config;
    if (H % nSsm !== 0) throw new RangeError(`S4DKernel: nSsm ${nSsm} must divide dModel ${H}`);
    const rng = config.rng ?? globalRandom;
    this.width = H;
    this.channels = channels;
    this.settings = {
      discretization: config.discretization ?? 'zoh',
      dtTransform: config.dtTransform ?? 'exp',
      realTransform: config.realTransform ?? 'exp',
      imagTransform: config.imagTransform ?? 'none',
    };
    const n2 = dState / 2;
    this.inv_dt = parameter(initInvDt(H, { dtMin: config.dtMin, dtMax: config.dtMax, transform: this.settings.dtTransform, rng }), [H, 1]);
    const { A, B } = ssmInit(init, dState, { copies: nSsm, bInit: config.bInit, rng });
    const part = (offset: number, transform: PositiveTransform) =>
      Float32Array.from({ length: nSsm * n2 }, (_, i) => inversePositive(-A[2 * i + offset], transform));
    this.A_real = parameter(part(0, this.settings.realTransform), [nSsm, n2]);
    this.A_imag = parameter(part(1, this.settings.imagTransform), [nSsm, n2]);
    this.B = learnB ? parameter(B, [1, nSsm, n2, 2]) : null;
    this.C = parameter(complexNormal(channels * H * n2, rng), [channels, H, n2, 2]);
  }

  /** K [C, H, length]. */
  forward(length: number): Tensor {
    return s4dConvolutionKernel(this, this.settings, length);
  }

  /** x' = dA ⊙ x + dB·u, y = 2·Re Σ_n C_n x'_n, built from the parameters (differentiable). */
  recurrence(): KernelRecurrence {
    const system = continuousSystem(this, this.settings);
    const { dA, dB } = discretizeDiagonal(system, this.settings.discretization); // [H, N2, 2] each
    const modes = this.A_real.shape[1];
    return {
      initialState: (batch) => zeros([batch, this.width, modes, 2]),
      step: (u, state) => s4dStep(state, u, { dA, dB, C: this.C }),
    };
  }
}

export interface S4DConfig extends Omit<S4DKernelConfig, 'channels'> {
  /** Output channels per feature (default 1). */
  channels?: number;
  bidirectional?: boolean;
  lMax?: number;
}

/** An S4D layer: FFTConv around an S4DKernel (u [B, H, L] → y [B, C·H, L]). */
export type S4D = FFTConv<S4DKernel>;

export function createS4D(config: S4DConfig): S4D {
  const { channels = 1, bidirectional = false, lMax, ...kernel } = config;
  const rng = config.rng ?? globalRandom;
  return new FFTConv(new S4DKernel({ ...kernel, channels: channels * (bidirectional ? 2 : 1), rng }), { channels, bidirectional, lMax, rng });
}
