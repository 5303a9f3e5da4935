/**
 * Reductions over any set of axes (all axes when none are given).
 */
import { normalizeAxes, normalizeAxis } from '../../kernels/index.ts';
import { apply } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';
import { sqrt } from './elementwise.ts';

export interface ReduceOptions {
  /** Keep reduced axes with size 1 (default false). */
  keepDims?: boolean;
}

export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator: 0 population (default), 1 sample (Bessel). */
  correction?: number;
}

type Reduction = 'sum' | 'mean' | 'max' | 'min' | 'logsumexp';

function reduce(name: Reduction, x: Tensor, axes: number | readonly number[] | undefined, options: ReduceOptions): Tensor {
  return apply(name, [x], { axes: normalizeAxes(name, axes, x.rank, [x.shape]), keepDims: options.keepDims ?? false });
}

/** Σ over the axes. */
export const sum = (x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor => reduce('sum', x, axes, options);
/** Arithmetic mean over the axes. */
export const mean = (x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor => reduce('mean', x, axes, options);
/** Maximum over the axes; the gradient is shared evenly by tied maxima. */
export const max = (x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor => reduce('max', x, axes, options);
/** Minimum over the axes. */
export const min = (x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor => reduce('min', x, axes, options);
/** log Σ exp over the axes, shifted by the maximum so it does not overflow. */
export const logsumexp = (x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor => reduce('logsumexp', x, axes, options);

/** Σ (x − mean)² / (N − correction) over the axes. */
export function variance(x: Tensor, axes?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  return apply('var', [x], {
    axes: normalizeAxes('var', axes, x.rank, [x.shape]),
    keepDims: options.keepDims ?? false,
    correction: options.correction ?? 0,
  });
}

/** √variance. */
export function std(x: Tensor, axes?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, axes, options));
}

/** Index of the first maximum along an axis (no gradient). */
export function argmax(x: Tensor, axis: number, options: ReduceOptions = {}): Tensor {
  return apply('argmax', [x], { axis: normalizeAxis('argmax', axis, x.rank, [x.shape]), keepDims: options.keepDims ?? false });
}

/** Index of the first minimum along an axis (no gradient). */
export function argmin(x: Tensor, axis: number, options: ReduceOptions = {}): Tensor {
  return apply('argmin', [x], { axis: normalizeAxis('argmin', axis, x.rank, [x.shape]), keepDims: options.keepDims ?? false });
}
