/**
 * Movement ops: reshape (a view, no copy), permute, expand, slice, pad, flip, concat, and the
 * conveniences built from them.
 */
import { assertValidShape, broadcastShapes, normalizeAxes, normalizeAxis, numel, ShapeError } from '../../kernels/index.ts';
import { apply, applyReshape } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';

/** New shape with the same elements; one entry may be −1 (inferred). Shares the buffer. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const inferred = shape.indexOf(-1);
  if (inferred !== shape.lastIndexOf(-1)) throw new ShapeError('reshape', [x.shape, shape], 'at most one dimension may be -1');
  const target = [...shape];
  if (inferred >= 0) {
    const known = numel(shape.filter((d) => d !== -1));
    if (known === 0 || x.size % known !== 0) throw new ShapeError('reshape', [x.shape, shape], 'cannot infer the -1 dimension');
    target[inferred] = x.size / known;
  }
  assertValidShape('reshape', target);
  if (numel(target) !== x.size) throw new ShapeError('reshape', [x.shape, target], `${x.size} elements do not fit ${numel(target)}`);
  if (target.length === x.rank && target.every((d, i) => d === x.shape[i])) return x;
  return applyReshape(x, target);
}

/** Merges axes startAxis..endAxis (inclusive) into one. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const start = normalizeAxis('flatten', startAxis, x.rank, [x.shape]);
  const end = normalizeAxis('flatten', endAxis, x.rank, [x.shape]);
  if (end < start) throw new ShapeError('flatten', [x.shape], `end axis ${endAxis} is before start axis ${startAxis}`);
  return reshape(x, [...x.shape.slice(0, start), numel(x.shape.slice(start, end + 1)), ...x.shape.slice(end + 1)]);
}

/** Removes the given size-1 axes (all size-1 axes when none are given). */
export function squeeze(x: Tensor, axes?: number | number[]): Tensor {
  const drop = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, x.rank, [x.shape]);
  for (const a of drop) if (x.shape[a] !== 1) throw new ShapeError('squeeze', [x.shape], `axis ${a} has size ${x.shape[a]}, not 1`);
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
}

/** Inserts a size-1 axis at `axis` (of the result). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1, [x.shape]);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Reorders axes: output axis i is input axis perm[i]. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const canonical = perm.map((p) => normalizeAxis('permute', p, x.rank, [x.shape]));
  if (canonical.every((p, i) => p === i)) return x;
  return apply('permute', [x], { perm: canonical });
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, axisA = -2, axisB = -1): Tensor {
  const a = normalizeAxis('transpose', axisA, x.rank, [x.shape]);
  const b = normalizeAxis('transpose', axisB, x.rank, [x.shape]);
  const perm = x.shape.map((_, i) => i);
  [perm[a], perm[b]] = [perm[b], perm[a]];
  return permute(x, perm);
}

/** Broadcasts to a shape (NumPy rules; may add leading axes). −1 keeps a dimension. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const offset = shape.length - x.rank;
  const target = shape.map((d, i) => (d === -1 && i >= offset ? x.shape[i - offset] : d));
  assertValidShape('expand', target);
  const result = broadcastShapes('expand', [x.shape, target]);
  if (result.some((d, i) => d !== target[i])) throw new ShapeError('expand', [x.shape, target], 'the target must contain the broadcast shape');
  if (target.length === x.rank && target.every((d, i) => d === x.shape[i])) return x;
  return apply('expand', [x], { shape: target });
}

/** Python-style range on one axis: negative positions count from the end; step ≥ 1. */
export interface SliceRange {
  start?: number;
  end?: number;
  step?: number;
}

/** Takes a strided sub-block: one range per leading axis (null or missing = the whole axis). */
export function slice(x: Tensor, ranges: readonly (SliceRange | null)[]): Tensor {
  if (ranges.length > x.rank) throw new ShapeError('slice', [x.shape], `${ranges.length} ranges for rank ${x.rank}`);
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  x.shape.forEach((dim, axis) => {
    const range = ranges[axis] ?? {};
    const step = range.step ?? 1;
    if (!Number.isInteger(step) || step < 1) throw new ShapeError('slice', [x.shape], `step ${step} on axis ${axis} must be a positive integer`);
    const clampIndex = (i: number) => Math.min(dim, Math.max(0, i < 0 ? i + dim : i));
    const start = clampIndex(range.start ?? 0);
    starts.push(start);
    ends.push(Math.max(start, clampIndex(range.end ?? dim)));
    steps.push(step);
  });
  if (starts.every((s, i) => s === 0 && ends[i] === x.shape[i] && steps[i] === 1)) return x;
  return apply('slice', [x], { starts, ends, steps });
}

/** `length` elements of one axis from `start`. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis('narrow', axis, x.rank, [x.shape]);
  if (start < 0 || length < 0 || start + length > x.shape[a]) {
    throw new ShapeError('narrow', [x.shape], `[${start}, ${start + length}) is outside axis ${axis} of size ${x.shape[a]}`);
  }
  const ranges: SliceRange[] = x.shape.map(() => ({}));
  ranges[a] = { start, end: start + length };
  return slice(x, ranges);
}

/** Constant padding: widths[i] = [before, after] for axis i (missing trailing axes: none). */
export function pad(x: Tensor, widths: readonly (readonly [number, number])[], value = 0): Tensor {
  if (widths.length > x.rank) throw new ShapeError('pad', [x.shape], `${widths.length} pad widths for rank ${x.rank}`);
  const before = x.shape.map((_, i) => widths[i]?.[0] ?? 0);
  const after = x.shape.map((_, i) => widths[i]?.[1] ?? 0);
  if ([...before, ...after].some((w) => !Number.isInteger(w) || w < 0)) throw new ShapeError('pad', [x.shape], 'pad widths must be non-negative integers');
  if ([...before, ...after].every((w) => w === 0)) return x;
  return apply('pad', [x], { before, after, value });
}

/** Reverses the order along the axes. */
export function flip(x: Tensor, axes: number | number[]): Tensor {
  return apply('flip', [x], { axes: normalizeAxes('flip', axes, x.rank, [x.shape]) });
}

/** Joins tensors along an existing axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('concat', [], 'needs at least one tensor');
  const a = normalizeAxis(
    'concat',
    axis,
    tensors[0].rank,
    tensors.map((t) => t.shape),
  );
  const parts = tensors.filter((t) => t.shape[a] !== 0);
  if (parts.length === 1) return parts[0];
  if (parts.length === 0) return tensors[0];
  return apply('concat', parts, { axis: a });
}

/** Joins tensors of one shape along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('stack', [], 'needs at least one tensor');
  const a = normalizeAxis(
    'stack',
    axis,
    tensors[0].rank + 1,
    tensors.map((t) => t.shape),
  );
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

/** Splits along an axis into pieces of the given sizes (or into equal pieces of `sizes` elements). */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis('split', axis, x.rank, [x.shape]);
  const dim = x.shape[a];
  const list = typeof sizes === 'number' ? Array.from({ length: Math.ceil(dim / sizes) }, (_, i) => Math.min(sizes, dim - i * sizes)) : sizes;
  if (list.reduce((s, n) => s + n, 0) !== dim) throw new ShapeError('split', [x.shape], `sizes ${list.join('+')} do not add up to ${dim}`);
  let start = 0;
  return list.map((n) => {
    const piece = narrow(x, a, start, n);
    start += n;
    return piece;
  });
}

/** Splits into `chunks` nearly equal pieces along an axis. */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  const a = normalizeAxis('chunk', axis, x.rank, [x.shape]);
  return split(x, Math.ceil(x.shape[a] / chunks), a);
}

/** The same values without gradient history. */
export function detach(x: Tensor): Tensor {
  return applyReshape(x, x.shape, { detach: true });
}
