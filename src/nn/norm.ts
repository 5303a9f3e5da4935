/** Normalisation layers over the last axis. */
import { full } from '../ops/creation.ts';
import { layerNorm, rmsNorm } from '../ops/functional.ts';
import type { Tensor } from '../tensor.ts';
import { constantParameter } from './init.ts';
import { Module } from './module.ts';

/** Layer norm (Ba et al. 2016) with a learned scale and shift (torch.nn.LayerNorm names: weight, bias). */
export class LayerNorm extends Module {
  weight: Tensor;
  bias: Tensor;

  constructor(
    readonly dim: number,
    readonly options: { eps?: number; affine?: boolean } = {},
  ) {
    super();
    const affine = options.affine ?? true;
    // Without affine parameters, constant ones and zeros keep one fused kernel for both cases.
    this.weight = affine ? constantParameter([dim], 1) : full([dim], 1);
    this.bias = affine ? constantParameter([dim], 0) : full([dim], 0);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.options.eps ?? 1e-5);
  }
}

/** RMS norm (Zhang & Sennrich 2019), as in LLaMA and Time-MoE: x / rms(x) · weight. */
export class RMSNorm extends Module {
  weight: Tensor;

  constructor(
    readonly dim: number,
    readonly options: { eps?: number } = {},
  ) {
    super();
    this.weight = constantParameter([dim], 1);
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.weight, this.options.eps ?? 1e-6);
  }
}
