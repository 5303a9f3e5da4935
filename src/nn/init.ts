/** Weight initialisations, drawn from a seeded generator. */
import type { Random } from '../random.ts';
import { parameter } from './module.ts';
import type { Tensor } from '../tensor.ts';

/** U(−bound, bound): PyTorch's default for Linear weights and biases uses bound = 1/√fanIn. */
export function uniformParameter(shape: readonly number[], bound: number, rng: Random): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return parameter(rng.uniformArray(n, -bound, bound), shape);
}

/** N(0, std²). */
export function normalParameter(shape: readonly number[], std: number, rng: Random): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return parameter(rng.normalArray(n, 0, std), shape);
}

export function constantParameter(shape: readonly number[], value: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return parameter(new Float32Array(n).fill(value), shape);
}
