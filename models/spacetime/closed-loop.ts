/**
 * SpaceTime's closed-loop decoder (HazyResearch/spacetime `model/ssm/closed_loop/companion.py`,
 * `ClosedLoopCompanionSSM`; facts as in shared/reference/models.md §2.2): a companion SSM that
 * forecasts by generating its own future inputs through a learned feedback u_t = kᵀx_t.
 *
 *   lookback (open loop):  x_t = A x_{t−1} + b u_t,  t < L          x_lag = Σ_i A^{L−1−i} b u_i
 *   horizon (closed loop): x_{h+1} = (A + b̂ k̂ᵀ) x_h,  y_h = ĉᵀ x_h,  x_0 = x_lag,  h < H
 *   training, open loop:   y = (ĉᵀAˡb̂) * u (next-step outputs),  û = (k̂ᵀAˡb̂) * u (next inputs)
 *
 * with A = S + â e_dᵀ and ˆ the L1 normalisation. As upstream, x_lag uses the raw b while A + BK
 * and the open-loop kernels use b̂ [QUIRK kept]. y_0 = ĉᵀx_lag forecasts the first future step.
 *
 * Computation: x_lag contracts the inputs with the Krylov matrix [Aˡb] (official repeated
 * squaring); the horizon outputs contract x_lag with the *row* Krylov matrix [ĉᵀ(A + b̂k̂ᵀ)ʰ]
 * ([D, d, H]) instead of upstream's state Krylov [B, D, d, H], which is B times smaller; the
 * open-loop kernels come from the fast `companionKernel`. Deviations: the closed loop does not
 * return the predicted next inputs kᵀX (upstream's loss never reads them); one kernel per
 * channel (upstream's decoder has kernel_repeat = 1 and n_kernels = D as well); with
 * normOrder = 0, k is used raw (upstream then substitutes b for k̂, a bug).
 *
 * Shapes: B batch, L lookback, H horizon, D width (= kernels), d state size.
 */
import {
  Module,
  add,
  companionKernel,
  companionMatrix,
  flip,
  globalRandom,
  krylov,
  matmul,
  parameter,
  permute,
  stack,
  transpose,
  unsqueeze,
  type Random,
  type Tensor,
} from '../../src/index.ts';
import { convolveChannels } from './kernel-layout.ts';
import { normalizeL1 } from './normalize.ts';

export interface ClosedLoopCompanionSSMConfig {
  /** D: one kernel per channel. */
  width: number;
  horizon: number;
  /** d (default 64). */
  kernelDim?: number;
  /** 1 (default): a, b, c, k L1-normalised as upstream's configs; 0: raw. */
  normOrder?: 0 | 1;
  rng?: Random;
}

/** The open-loop outputs: next-step predictions y and predicted next inputs û, both [B, L, D]. */
export interface OpenLoopOutputs {
  y: Tensor;
  nextInputs: Tensor;
}

export class ClosedLoopCompanionSSM extends Module {
  /** [D, d] each, standard normal as upstream. */
  a: Tensor;
  b: Tensor;
  c: Tensor;
  /** The feedback u_t = kᵀ x_t. [D, d] */
  k: Tensor;
  readonly horizon: number;
  readonly normOrder: 0 | 1;

  constructor(config: ClosedLoopCompanionSSMConfig) {
    super();
    const { width, kernelDim = 64, normOrder = 1 } = config;
    const rng = config.rng ?? globalRandom;
    this.horizon = config.horizon;
    this.normOrder = normOrder;
    const draw = (): Tensor => parameter(rng.normalArray(width * kernelDim), [width, kernelDim]);
    this.a = draw();
    this.b = draw();
    this.c = draw();
    this.k = draw();
  }

  private normalized(x: Tensor): Tensor {
    return this.normOrder === 1 ? normalizeL1(x) : x;
  }

  /** A = S + â e_dᵀ: [D, d, d]. */
  stateMatrix(): Tensor {
    return companionMatrix(this.normalized(this.a));
  }

  /** The state after the lookback, x_lag = Σ_i A^{L−1−i} b u_i: u [B, L, D] → [D, B, d]. */
  lookbackState(u: Tensor): Tensor {
    const length = u.shape[1];
    const powers = krylov(length, this.stateMatrix(), this.b); // [D, d, L]: column l = Aˡb
    return matmul(permute(u, [2, 0, 1]), flip(powers, -1), { transB: true }); // [D, B, d]
  }

  /** The closed-loop forecast y_h = ĉᵀ(A + b̂k̂ᵀ)ʰ x_lag: u [B, L, D] → [B, H, D]. */
  forward(u: Tensor): Tensor {
    const state = this.lookbackState(u); // [D, B, d]
    const feedback = matmul(unsqueeze(this.normalized(this.b), -1), unsqueeze(this.normalized(this.k), -2)); // [D, d, d]
    const closedLoop = add(this.stateMatrix(), feedback); // [D, d, d]
    const readouts = krylov(this.horizon, transpose(closedLoop), this.normalized(this.c)); // [D, d, H]: column h = ((A+BK)ᵀ)ʰĉ
    return permute(matmul(state, readouts), [1, 2, 0]); // [B, H, D]
  }

  /** Open-loop pass over the lookback (training): u [B, L, D] → next-step outputs and inputs. */
  openLoop(u: Tensor): OpenLoopOutputs {
    const readouts = stack([this.normalized(this.c), this.normalized(this.k)], 0); // [2, D, d]
    const kernels = companionKernel(this.normalized(this.a), this.normalized(this.b), readouts, u.shape[1]); // [2, D, L]
    const [outputKernel, inputKernel] = [0, 1].map((i) => kernels.narrow(0, i, 1).reshape(kernels.shape.slice(1))); // [D, L] each
    return { y: convolveChannels(u, outputKernel), nextInputs: convolveChannels(u, inputKernel) };
  }
}
