/**
 * How SpaceTime shares a few SSM kernels over many channels, and the convolution every SSM layer
 * runs (official `SSM.forward` / `SSM.fft_conv` in `model/ssm/base.py`).
 *
 * The model width D = kernelRepeat · nKernels · nHeads · headDim; channel
 * ((r·nKernels + k)·nHeads + h)·headDim + e uses kernel k (einops
 * `'nk kd -> (kr nk nh hd) kd'`), so each kernel serves nHeads·headDim consecutive channels and
 * the whole group repeats kernelRepeat times.
 *
 * Shapes: B batch, L length, D width, nk kernels.
 */
import { causalConv, expand, permute, reshape, unsqueeze, type Tensor } from '../../src/index.ts';

export interface KernelLayout {
  nKernels: number;
  /** Default 1. */
  kernelRepeat?: number;
  /** Default 1. */
  nHeads?: number;
  /** Default 1. */
  headDim?: number;
}

/** D, the number of channels a layout covers. */
export function layoutWidth(layout: KernelLayout): number {
  return (layout.kernelRepeat ?? 1) * layout.nKernels * (layout.nHeads ?? 1) * (layout.headDim ?? 1);
}

/** Kernels [nk, L] → channel kernels [D, L] in upstream's channel order. */
export function repeatKernels(k: Tensor, layout: KernelLayout): Tensor {
  const [nk, length] = k.shape;
  const repeat = layout.kernelRepeat ?? 1;
  const shared = (layout.nHeads ?? 1) * (layout.headDim ?? 1);
  const tiled = expand(unsqueeze(unsqueeze(k, 1), 0), [repeat, nk, shared, length]); // [kr, nk, nh·hd, L]
  return reshape(tiled, [layoutWidth(layout), length]); // [D, L]
}

/** y = K * u per channel, causal (upstream's FFT convolution over 2L points): u [B, L, D], k [D, Lk] → [B, L, D]. */
export function convolveChannels(u: Tensor, k: Tensor): Tensor {
  const y = causalConv(permute(u, [0, 2, 1]), k); // [B, D, L]
  return permute(y, [0, 2, 1]); // [B, L, D]
}
