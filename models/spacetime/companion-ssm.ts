/**
 * The open-loop SSM layers of SpaceTime (Zhang et al., ICLR 2023; HazyResearch/spacetime
 * `model/ssm/companion.py`, `model/ssm/shift.py`, base `model/ssm/base.py`):
 *
 *   CompanionSSM:  A = S + a e_dᵀ (a L1-normalised when normOrder = 1), K[l] = cᵀAˡb,
 *                  y = K * u (+ skip ⊙ u)
 *   ShiftSSM:      a = 0, b = e_1, so A = S and K = c itself: a learned FIR filter of d taps
 *
 * The kernel comes from `companionKernel` (the paper's FFT algorithm; upstream's model calls the
 * dense Krylov routine, which gives the same kernel). Parameter names and init follow upstream:
 * a, b, c [nk, d] and skip [D] standard normal. Deviations: `skip` exists only when the skip
 * connection is on (upstream always registers it); only the 'normal' kernel init (upstream's
 * 'xavier' branch raises a NameError).
 *
 * Shapes: B batch, L length, D width, nk kernels, d state size (kernelDim).
 */
import { Module, buffer, companionKernel, globalRandom, narrow, pad, parameter, type Random, type Tensor } from '../../src/index.ts';
import { convolveChannels, layoutWidth, repeatKernels, type KernelLayout } from './kernel-layout.ts';
import { normalizeL1 } from './normalize.ts';

export interface SsmLayerConfig extends KernelLayout {
  /** d, the state size (upstream `kernel_dim`, default 64). */
  kernelDim?: number;
  /** Add skip ⊙ u to the output (upstream's D term; default true). */
  skipConnection?: boolean;
  rng?: Random;
}

export interface CompanionSSMConfig extends SsmLayerConfig {
  /** 1: a ← a / ||a||₁ (upstream's configs); 0: a as trained. Default 1. */
  normOrder?: 0 | 1;
}

/** The layout fields of a config (not its generator). */
const layoutOf = ({ nKernels, kernelRepeat, nHeads, headDim }: KernelLayout): KernelLayout => ({ nKernels, kernelRepeat, nHeads, headDim });

/** y = K * u + skip ⊙ u for channel kernels K [D, L]: u [B, L, D] → [B, L, D]. */
function applyKernel(u: Tensor, k: Tensor, skip: Tensor | null): Tensor {
  const y = convolveChannels(u, k); // [B, L, D]
  return skip ? y.add(u.mul(skip)) : y;
}

export class CompanionSSM extends Module {
  /** The last column of A [nk, d]. */
  a: Tensor;
  /** [nk, d] */
  b: Tensor;
  /** [nk, d] */
  c: Tensor;
  /** [D], or null without the skip connection. */
  skip: Tensor | null;
  readonly layout: KernelLayout;
  readonly normOrder: 0 | 1;

  constructor(config: CompanionSSMConfig) {
    super();
    const { nKernels, kernelDim = 64, skipConnection = true, normOrder = 1 } = config;
    const rng = config.rng ?? globalRandom;
    this.layout = layoutOf(config);
    this.normOrder = normOrder;
    this.a = parameter(rng.normalArray(nKernels * kernelDim), [nKernels, kernelDim]);
    this.b = parameter(rng.normalArray(nKernels * kernelDim), [nKernels, kernelDim]);
    this.c = parameter(rng.normalArray(nKernels * kernelDim), [nKernels, kernelDim]);
    const width = layoutWidth(config);
    this.skip = skipConnection ? parameter(rng.normalArray(width), [width]) : null;
  }

  /** The last column actually used: a, L1-normalised when normOrder = 1. [nk, d] */
  column(): Tensor {
    return this.normOrder === 1 ? normalizeL1(this.a) : this.a;
  }

  /** K[k, l] = c_kᵀ A_kˡ b_k: [nk, length]. */
  kernel(length: number): Tensor {
    return companionKernel(this.column(), this.b, this.c, length);
  }

  /** u [B, L, D] → [B, L, D] */
  forward(u: Tensor): Tensor {
    return applyKernel(u, repeatKernels(this.kernel(u.shape[1]), this.layout), this.skip);
  }
}

/** The unit vector e_1 for every kernel: [nk, d]. */
function firstUnitVectors(nKernels: number, kernelDim: number): Float32Array {
  const data = new Float32Array(nKernels * kernelDim);
  for (let k = 0; k < nKernels; k++) data[k * kernelDim] = 1;
  return data;
}

export class ShiftSSM extends Module {
  /** Zero last column (a buffer, as upstream): A = S. [nk, d] */
  a: Tensor;
  /** e_1 (a buffer). [nk, d] */
  b: Tensor;
  /** The trained read-out, which is the kernel. [nk, d] */
  c: Tensor;
  skip: Tensor | null;
  readonly layout: KernelLayout;

  constructor(config: SsmLayerConfig) {
    super();
    const { nKernels, kernelDim = 64, skipConnection = true } = config;
    const rng = config.rng ?? globalRandom;
    this.layout = layoutOf(config);
    this.a = buffer(new Float32Array(nKernels * kernelDim), [nKernels, kernelDim]);
    this.b = buffer(firstUnitVectors(nKernels, kernelDim), [nKernels, kernelDim]);
    this.c = parameter(rng.normalArray(nKernels * kernelDim), [nKernels, kernelDim]);
    const width = layoutWidth(config);
    this.skip = skipConnection ? parameter(rng.normalArray(width), [width]) : null;
  }

  /** K[k, l] = c_kᵀ Sˡ e_1 = c_k[l] (zero past d): [nk, length]. */
  kernel(length: number): Tensor {
    const d = this.c.shape[1];
    return length <= d
      ? narrow(this.c, 1, 0, length)
      : pad(this.c, [
          [0, 0],
          [0, length - d],
        ]);
  }

  /** u [B, L, D] → [B, L, D] */
  forward(u: Tensor): Tensor {
    return applyKernel(u, repeatKernels(this.kernel(u.shape[1]), this.layout), this.skip);
  }
}
