/** Lookup table from token ids to vectors (torch.nn.Embedding: weight [count, dim], N(0, 1) init). */
import { indexSelect } from '../ops/indexing.ts';
import { globalRandom, type Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { normalParameter } from './init.ts';
import { Module } from './module.ts';

export class Embedding extends Module {
  weight: Tensor;

  constructor(
    readonly count: number,
    readonly dim: number,
    options: { rng?: Random; std?: number } = {},
  ) {
    super();
    this.weight = normalParameter([count, dim], options.std ?? 1, options.rng ?? globalRandom);
  }

  /** ids [...] → [..., dim] */
  forward(ids: Tensor): Tensor {
    return indexSelect(this.weight, 0, ids);
  }
}
