/**
 * S4: the original structured state space with a diagonal-plus-low-rank (DPLR) state matrix
 * (Gu, Goel & Ré 2022, "Efficiently Modeling Long Sequences with Structured State Spaces", ICLR),
 * as state-spaces/s4 `models/s4/s4.py` `SSMKernelDPLR` (rank 1, bilinear):
 *
 *   A_full = diag(A) − P Pᴴ (HiPPO-LegS in its NPLR form, diagonalised: hippo.ts),
 *   K = irfft(k_f·2/(1 + ω), Lk)[:L],  k_f = r00 − r01·r10/(1 + r11)  (Cauchy + Woodbury, ops/ssm.ts),
 *
 * where the stored `C` is C̃ = C(I − dA^Lk) for the kernel length Lk = `l_kernel`: the
 * truncated generating function Σ_{l<Lk} K_l z^l comes out exact at the Lk roots of unity.
 * Every parameter maps one to one to the official state dict (README.md).
 *
 * Deviations: (1) a longer kernel than Lk is not made by mutating C̃ inside forward: forward
 * throws, and `extendKernel(L)` applies the official rule explicitly (C̃ ← C̃(I + dA^Lk),
 * Lk ← 2Lk, until Lk ≥ L); (2) C̃ and the recurrent mode are computed in float64 (dplr-discrete.ts);
 * (3) rank 1 only, dt tied over the state, recurrent mode 'dense' only; (4) l_kernel is a float32
 * scalar buffer (upstream int64), exact below 2^24.
 *
 * Shapes: H width, S copies of (A, B, P), N state size, N2 = N/2 complex modes, C kernel
 * channels, Lk kernel length, B batch.
 */
import {
  Module,
  buffer,
  complexMul,
  dplrKernel,
  globalRandom,
  matmul,
  parameter,
  real,
  reshape,
  tensor,
  zeros,
  type Random,
  type Tensor,
} from '../../src/index.ts';
import { FFTConv, type KernelRecurrence, type RecurrentKernel } from './conv.ts';
import { attuneOutputMap, denseRecurrence, type DplrValues } from './dplr-discrete.ts';
import { complexNormal, initInvDt, inversePositive, positiveValue, ssmInit, type PositiveTransform, type SsmInit } from './init.ts';
import { continuousSystem, type SsmParameters, type SsmTransforms } from './s4d.ts';

/** K [C, H, length] of a DPLR kernel from its parameters (C holds C̃ attuned to kernelLength). */
export function s4ConvolutionKernel(params: SsmParameters & { P: Tensor; C: Tensor }, transforms: SsmTransforms, length: number, kernelLength: number): Tensor {
  const system = continuousSystem(params, transforms);
  const P = reshape(params.P, system.A.shape); // [1, S, N2, 2] → [S, N2, 2]
  return dplrKernel({ ...system, P, Ctilde: params.C }, { length, kernelLength });
}

export interface S4KernelConfig {
  /** H */
  dModel: number;
  /** N, the real state size (default 64). */
  dState?: number;
  /** Kernel channels (default 1; twice the layer's channels when bidirectional). */
  channels?: number;
  /** S copies of (A, B, P) (default H; must divide H). */
  nSsm?: number;
  /** Default 'legs' (the NPLR form of HiPPO-LegS); 'diag-*' inits give P = 0. */
  init?: SsmInit;
  /** The kernel length C̃ is attuned to at construction (l_max); 0 keeps C plain (l_kernel = 0). */
  lMax: number;
  dtMin?: number;
  dtMax?: number;
  /**
   * Default 'softplus', as configs/model/layer/s4.yaml (which trained the published checkpoints);
   * the Python class's own default is 'exp'.
   */
  dtTransform?: PositiveTransform;
  realTransform?: PositiveTransform;
  imagTransform?: PositiveTransform;
  rng?: Random;
}

export class S4Kernel extends Module implements RecurrentKernel {
  inv_dt: Tensor;
  A_real: Tensor;
  A_imag: Tensor;
  B: Tensor;
  P: Tensor;
  /** C̃ = C(I − dA^Lk) [C, H, N2, 2] (C itself while l_kernel = 0). */
  C: Tensor;
  /** Lk, the length C̃ is attuned to (a scalar buffer). */
  l_kernel: Tensor;
  readonly width: number;
  readonly channels: number;
  readonly transforms: SsmTransforms;

  constructor(config: S4KernelConfig) {
    super();
    const { dModel: H, dState = 64, channels = 1, nSsm = H, init = 'legs' } = config;
    if (H % nSsm !== 0) throw new RangeError(`S4Kernel: nSsm ${nSsm} must divide dModel ${H}`);
    const rng = config.rng ?? globalRandom;
    this.width = H;
    this.channels = channels;
    this.transforms = {
      dtTransform: config.dtTransform ?? 'softplus',
      realTransform: config.realTransform ?? 'exp',
      imagTransform: config.imagTransform ?? 'none',
    };
    const n2 = dState / 2;
    this.inv_dt = parameter(initInvDt(H, { dtMin: config.dtMin, dtMax: config.dtMax, transform: this.transforms.dtTransform, rng }), [H, 1]);
    const { A, B, P } = ssmInit(init, dState, { copies: nSsm, rng });
    const part = (offset: number, transform: PositiveTransform) =>
      Float32Array.from({ length: nSsm * n2 }, (_, i) => inversePositive(-A[2 * i + offset], transform));
    this.A_real = parameter(part(0, this.transforms.realTransform), [nSsm, n2]);
    this.A_imag = parameter(part(1, this.transforms.imagTransform), [nSsm, n2]);
    this.B = parameter(B, [1, nSsm, n2, 2]);
    this.P = parameter(P, [1, nSsm, n2, 2]);
    this.C = parameter(complexNormal(channels * H * n2, rng), [channels, H, n2, 2]);
    this.l_kernel = buffer(Float32Array.of(0), []);
    if (config.lMax > 0) this.extendKernel(config.lMax);
  }

  /** Lk (0 before the first attunement). */
  get kernelLength(): number {
    return this.l_kernel.dataSync()[0];
  }

  /** K [C, H, length], length ≤ Lk: computed over Lk points and truncated, as upstream. */
  forward(length: number): Tensor {
    const lk = this.kernelLength;
    if (length > lk) {
      throw new RangeError(
        `S4Kernel: a kernel of length ${length} needs C̃ attuned to at least that length (l_kernel is ${lk}); call extendKernel(${length}) first`,
      );
    }
    return s4ConvolutionKernel(this, this.transforms, length, lk);
  }

  /**
   * The official `_setup_C` rule, made explicit: with l_kernel = 0, C ← C(I − dA^L) and
   * l_kernel ← L; otherwise, while l_kernel < length, C̃ ← C̃(I + dA^l_kernel) and l_kernel doubles.
   * Rewrites the C parameter and the l_kernel buffer (as loadStateDict does). Float64, no graph.
   */
  extendKernel(length: number): void {
    let lk = this.kernelLength;
    if (!Number.isInteger(length) || length < 1) throw new RangeError(`extendKernel: length ${length} must be a positive integer`);
    let C: Float32Array = this.C.dataSync();
    const values = this.values();
    if (lk === 0) {
      C = attuneOutputMap(C, values, length, 'attune');
      lk = length;
    }
    while (lk < length) {
      C = attuneOutputMap(C, values, lk, 'double');
      lk *= 2;
    }
    this.loadStateDict(
      new Map([
        ['C', { shape: this.C.shape, data: C }],
        ['l_kernel', { shape: [], data: Float32Array.of(lk) }],
      ]),
      { strict: false },
    );
  }

  /** The parameters' current values in float64-ready form (dt, A, B, P transformed). */
  values(): DplrValues {
    const [copies, modes] = this.A_real.shape;
    const { dtTransform, realTransform, imagTransform } = this.transforms;
    const aReal = this.A_real.dataSync();
    const aImag = this.A_imag.dataSync();
    const A = new Float64Array(copies * modes * 2);
    for (let i = 0; i < copies * modes; i++) {
      A[2 * i] = -positiveValue(aReal[i], realTransform);
      A[2 * i + 1] = -positiveValue(aImag[i], imagTransform);
    }
    const dt = Float64Array.from(this.inv_dt.dataSync(), (x) => positiveValue(x, dtTransform));
    return { dt, A, B: this.B.dataSync(), P: this.P.dataSync(), copies, width: this.width, modes };
  }

  /**
   * The dense recurrent mode (official `_setup_step(mode='dense')`): dA, dB in float64 and
   * C = solve((I − dA^Lk)ᵀ, C̃); x' = dA x + dB u, y = 2·Re Σ_n C_n x'_n. Built from the current
   * values: not differentiable with respect to the parameters.
   */
  recurrence(): KernelRecurrence {
    const modes = this.A_real.shape[1];
    const size = 2 * modes;
    const { transition, inputMap, outputMap } = denseRecurrence(this.C.dataSync(), this.values(), this.kernelLength);
    const T = tensor(transition, [this.width, size, size]);
    const dB = tensor(inputMap, [this.width, modes, 2]);
    const dC = tensor(outputMap, this.C.shape);
    return {
      initialState: (batch) => zeros([batch, this.width, modes, 2]),
      step: (u, state) => {
        const [batch, width] = u.shape;
        const x = reshape(state, [batch, width, size, 1]); // interleaved (re, im) per mode
        const next = reshape(matmul(T, x), [batch, width, modes, 2]).add(dB.mul(reshape(u, [batch, width, 1, 1]))); // [B, H, N2, 2]
        const y = real(complexMul(dC, next.unsqueeze(1)))
          .sum(-1)
          .mul(2); // [B, C, H]
        return { y, state: next };
      },
    };
  }
}

export interface S4Config extends Omit<S4KernelConfig, 'channels'> {
  /** Output channels per feature (default 1). */
  channels?: number;
  bidirectional?: boolean;
}

/** An S4 layer: FFTConv around an S4Kernel (u [B, H, L] → y [B, C·H, L], L ≤ l_kernel). */
export type S4 = FFTConv<S4Kernel>;

export function createS4(config: S4Config): S4 {
  const { channels = 1, bidirectional = false, ...kernel } = config;
  const rng = config.rng ?? globalRandom;
  return new FFTConv(new S4Kernel({ ...kernel, channels: channels * (bidirectional ? 2 : 1), rng }), { channels, bidirectional, rng });
}
