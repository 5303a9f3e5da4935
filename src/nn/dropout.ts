/** Inverted dropout, active in training mode only. */
import { dropout } from '../ops/functional.ts';
import { globalRandom, type Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { Module } from './module.ts';

export class Dropout extends Module {
  private readonly rng: Random;

  constructor(
    readonly p: number,
    options: { rng?: Random } = {},
  ) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p = ${p} must be in [0, 1)`);
    // A private stream: dropout masks do not shift when other layers draw random numbers.
    this.rng = (options.rng ?? globalRandom).fork();
  }

  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, this.rng) : x;
  }
}
