/**
 * SpaceTime's fixed preprocessing SSM (HazyResearch/spacetime `model/ssm/preprocess/residual.py`,
 * `ResidualSSM`, with `get_pascal` from `differencing.py`): untrained kernels convolved like any
 * SSM kernel, which turn each channel into a classical time-series feature.
 *
 *   differencing of order n:  K = [C(n,0), −C(n,1), C(n,2), …] → y_t = (1 − B)ⁿ u_t
 *                             (orders 0-3: [1], [1,−1], [1,−2,1], [1,−3,3,−1])
 *   moving-average residual:  K = [1 − 1/w, −1/w, …, −1/w (w taps), 0, …]
 *                             → y_t = u_t − mean(u_{t−w+1..t})
 *
 * Channel order (einops): per repeat group the nDiff differencing kernels, then that group's nMa
 * residual kernels, each over headDim channels: '(kr [d0..d3, ma0..ma3] hd)'. Buffers keep
 * upstream's names and shapes, `diff_kernel` [kr·nDiff, nDiff] and `ma_r_kernel`
 * [kr·nMa, maxAvgWindow], so the randomly drawn windows are saved in the checkpoint.
 *
 * Deviations: windows are drawn from the model's seeded generator (upstream: torch's global
 * RNG, so they differ between runs unless loaded from a state dict); default maxAvgWindow 64
 * (the README configuration) rather than the class default 720.
 *
 * Shapes: B batch, L length, D width = kr·(nDiff + nMa)·hd.
 */
import { Module, buffer, concat, expand, globalRandom, narrow, pad, reshape, unsqueeze, type Random, type Tensor } from '../../src/index.ts';
import { convolveChannels } from './kernel-layout.ts';

export interface ResidualSSMConfig {
  /** Differencing orders 0 .. maxDiffOrder − 1 (default 4). */
  maxDiffOrder?: number;
  /** Kernels per repeat group, differencing plus moving-average (default 8). */
  nKernels?: number;
  /** Repeat groups kr (default 16, upstream's for D = 128). */
  kernelRepeat?: number;
  /** Channels per kernel (default 1). */
  headDim?: number;
  /** Windows are drawn uniformly from [minAvgWindow, maxAvgWindow) (defaults 4 and 64). */
  minAvgWindow?: number;
  maxAvgWindow?: number;
  rng?: Random;
}

/** Rows (−1)ᵏ·C(n, k) for n < orders, padded to `orders` taps: [orders, orders] (upstream `get_pascal`). */
export function differencingKernels(orders: number): Float32Array {
  const kernel = new Float32Array(orders * orders);
  for (let n = 0; n < orders; n++) {
    let binomial = 1;
    for (let k = 0; k <= n; k++) {
      kernel[n * orders + k] = k % 2 === 0 ? binomial : -binomial;
      binomial = (binomial * (n - k)) / (k + 1);
    }
  }
  return kernel;
}

/** One residual kernel per window, `taps` long: [windows.length, taps]. */
export function movingAverageResidualKernels(windows: readonly number[], taps: number): Float32Array {
  const kernel = new Float32Array(windows.length * taps);
  windows.forEach((w, row) => {
    kernel[row * taps] = 1;
    for (let j = 0; j < Math.min(w, taps); j++) kernel[row * taps + j] -= 1 / w;
  });
  return kernel;
}

/** Kernels [rows, taps] → [rows, length]: zero-padded, or cropped (taps past L never reach an output). */
function fitLength(k: Tensor, length: number): Tensor {
  const taps = k.shape[1];
  return taps >= length
    ? narrow(k, 1, 0, length)
    : pad(k, [
        [0, 0],
        [0, length - taps],
      ]);
}

export class ResidualSSM extends Module {
  /** [kr·nDiff, nDiff] */
  diff_kernel: Tensor;
  /** [kr·nMa, maxAvgWindow] */
  ma_r_kernel: Tensor;
  readonly kernelRepeat: number;
  readonly headDim: number;

  constructor(config: ResidualSSMConfig = {}) {
    super();
    const { maxDiffOrder = 4, nKernels = 8, kernelRepeat = 16, headDim = 1, minAvgWindow = 4, maxAvgWindow = 64 } = config;
    if (nKernels < maxDiffOrder) throw new RangeError(`ResidualSSM: ${nKernels} kernels cannot hold ${maxDiffOrder} differencing orders`);
    const rng = config.rng ?? globalRandom;
    this.kernelRepeat = kernelRepeat;
    this.headDim = headDim;
    const differencing = differencingKernels(maxDiffOrder);
    const repeated = new Float32Array(kernelRepeat * differencing.length);
    for (let r = 0; r < kernelRepeat; r++) repeated.set(differencing, r * differencing.length);
    this.diff_kernel = buffer(repeated, [kernelRepeat * maxDiffOrder, maxDiffOrder]);
    const nMa = (nKernels - maxDiffOrder) * kernelRepeat;
    const windows = Array.from({ length: nMa }, () => minAvgWindow + rng.integer(maxAvgWindow - minAvgWindow));
    this.ma_r_kernel = buffer(movingAverageResidualKernels(windows, maxAvgWindow), [nMa, maxAvgWindow]);
  }

  /** D */
  get width(): number {
    return this.diff_kernel.shape[0] * this.headDim + this.ma_r_kernel.shape[0] * this.headDim;
  }

  /** Channel kernels [D, length] in upstream's order. */
  kernel(length: number): Tensor {
    const kr = this.kernelRepeat;
    const diff = reshape(fitLength(this.diff_kernel, length), [kr, -1, length]); // [kr, nDiff, L]
    const ma = reshape(fitLength(this.ma_r_kernel, length), [kr, -1, length]); // [kr, nMa, L]
    const groups = concat([diff, ma], 1); // [kr, nk, L]
    const [, nk] = groups.shape;
    return reshape(expand(unsqueeze(groups, 2), [kr, nk, this.headDim, length]), [this.width, length]); // [D, L]
  }

  /** u [B, L, D] → [B, L, D] */
  forward(u: Tensor): Tensor {
    return convolveChannels(u, this.kernel(u.shape[1]));
  }
}
