/** Affine layer y = x Wᵀ + b (torch.nn.Linear: weight [out, in], so state dicts map one to one). */
import { linear } from '../ops/linalg.ts';
import { globalRandom, type Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { uniformParameter } from './init.ts';
import { Module } from './module.ts';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one, see manualSeed). */
  rng?: Random;
}

export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    const rng = options.rng ?? globalRandom;
    // PyTorch's default: kaiming_uniform(a=√5) on the weight reduces to U(±1/√in); same bound for the bias.
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = uniformParameter([outFeatures, inFeatures], bound, rng);
    this.bias = (options.bias ?? true) ? uniformParameter([outFeatures], bound, rng) : null;
  }

  /** [..., in] → [..., out] */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
