/** Normalisations and dropout, as functions (the nn modules wrap these with parameters). */
import { normalizeAxis, ShapeError } from '../../kernels/index.ts';
import { apply, leaf } from '../engine/apply.ts';
import type { Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { mul } from './elementwise.ts';

/** exp(x − max) / Σ exp(x − max) along an axis. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return apply('softmax', [x], { axis: normalizeAxis('softmax', axis, x.rank, [x.shape]) });
}

/** x − logsumexp(x) along an axis. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return apply('logSoftmax', [x], { axis: normalizeAxis('logSoftmax', axis, x.rank, [x.shape]) });
}

/** (x − mean) / √(var + eps) · weight + bias over the last axis (Ba et al. 2016); population variance. */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps = 1e-5): Tensor {
  return apply('layerNorm', [x, weight, bias], { eps });
}

/** x / √(mean(x²) + eps) · weight over the last axis (Zhang & Sennrich 2019). */
export function rmsNorm(x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  return apply('rmsNorm', [x, weight], { eps });
}

/**
 * Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p).
 * The mask is drawn now from `rng`, so a recomputed graph sees the same mask.
 */
export function dropout(x: Tensor, p: number, rng: Random): Tensor {
  if (!(p >= 0 && p < 1)) throw new ShapeError('dropout', [x.shape], `p = ${p} must be in [0, 1)`);
  if (p === 0) return x;
  const mask = new Float32Array(x.size);
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < p ? 0 : scale;
  return mul(x, leaf(mask, x.shape));
}
