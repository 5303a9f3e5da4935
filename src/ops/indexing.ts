/**
 * Indexing ops. Indices are tensors of float32 integers (exact below 2^24), as every value.
 */
import { normalizeAxis, ShapeError } from '../../kernels/index.ts';
import { apply } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';

/**
 * Selects slices along an axis: the axis is replaced by the index's shape
 * (an embedding lookup is `indexSelect(table, 0, tokens)`).
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  return apply('indexSelect', [x, index], { axis: normalizeAxis('indexSelect', axis, x.rank, [x.shape, index.shape]) });
}

/**
 * The adjoint of indexSelect: sums `src`'s slices into a zero tensor whose `axis` has `size`
 * entries, at the positions given by `index` (whose dims sit at `axis` in `src`).
 */
export function indexAdd(index: Tensor, src: Tensor, axis: number, size: number): Tensor {
  const rank = src.rank - index.rank + 1;
  return apply('indexAdd', [index, src], { axis: normalizeAxis('indexAdd', axis, rank, [index.shape, src.shape]), size });
}

/** torch.gather / take_along_axis: out[..., j, ...] = x[..., index[..., j, ...], ...] along `axis`. */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  return apply('gather', [x, index], { axis: normalizeAxis('gather', axis, x.rank, [x.shape, index.shape]) });
}

/** The adjoint of gather: adds `src` into a zero tensor of `shape` at `index` along `axis`. */
export function scatterAdd(index: Tensor, src: Tensor, axis: number, shape: readonly number[]): Tensor {
  return apply('scatterAdd', [index, src], { axis: normalizeAxis('scatterAdd', axis, src.rank, [index.shape, src.shape]), shape: [...shape] });
}

/** One-hot encoding: a new last axis of `depth` with 1 at each index. */
export function oneHot(index: Tensor, depth: number): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new ShapeError('oneHot', [index.shape], `depth ${depth} must be a positive integer`);
  return apply('oneHot', [index], { depth });
}

export interface TopkOptions {
  /** The k largest (default) or smallest values. */
  largest?: boolean;
}

/** The k largest (or smallest) values along the last axis, sorted, with their indices. */
export function topk(x: Tensor, k: number, options: TopkOptions = {}): { values: Tensor; indices: Tensor } {
  const n = x.shape[x.rank - 1];
  if (x.rank === 0 || !Number.isInteger(k) || k < 0 || k > n) throw new ShapeError('topk', [x.shape], `k = ${k} is not in [0, ${n}]`);
  const indices = apply('topkIndices', [x], { k, largest: options.largest ?? true });
  return { values: gather(x, -1, indices), indices };
}
