/**
 * What the reduce, movement, indexing and scan kernels share: checks of axis attributes, the
 * simplified views of a shape they index with, multi-index loops for their references, and the
 * GPU.js body of the affine movements. Kernel attributes arrive canonical (the op layer resolves
 * negative and default axes), so the checks only reject what the op layer should never send.
 */
import { ShapeError, numel, stridesOf, type Shape } from './shape.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';
import type { NumericArray } from './types.ts';

/** Throws unless `axis` is an integer in [0, rank). */
export function checkAxis(op: string, shapes: readonly Shape[], axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
    throw new ShapeError(op, shapes, `axis ${axis} is out of range for rank ${rank}`);
  }
}

/** Throws unless `axes` are integers in [0, rank), sorted and distinct (the canonical form). */
export function checkAxes(op: string, shapes: readonly Shape[], axes: readonly number[], rank: number): void {
  axes.forEach((axis, i) => {
    checkAxis(op, shapes, axis, rank);
    if (i > 0 && axis <= axes[i - 1]) {
      throw new ShapeError(op, shapes, `axes [${axes.join(', ')}] must be sorted and distinct`);
    }
  });
}

/** Throws unless `values` has one entry per axis of a rank-`rank` input. */
export function checkPerAxis(op: string, shapes: readonly Shape[], name: string, values: readonly number[], rank: number): void {
  if (values.length !== rank) {
    throw new ShapeError(op, shapes, `${name} has ${values.length} entries for an input of rank ${rank}`);
  }
}

/** Throws unless every entry is a non-negative integer. */
export function checkNonNegative(op: string, shapes: readonly Shape[], name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new ShapeError(op, shapes, `${name} [${values.join(', ')}] must hold non-negative integers`);
  }
}

/**
 * A row-major shape seen as [outer, size, inner] around axes [axis, axis + span): the flat
 * offset of (o, a, i) is (o * size + a) * inner + i. Kernels that work along one axis (or one
 * block of axes) index with these three numbers instead of the full multi-index.
 */
export interface AxisView {
  outer: number;
  size: number;
  inner: number;
}

export function aroundAxis(shape: Shape, axis: number, span = 1): AxisView {
  return {
    outer: numel(shape.slice(0, axis)),
    size: numel(shape.slice(axis, axis + span)),
    inner: numel(shape.slice(axis + span)),
  };
}

/** Dimensions and input strides of a group of axes. */
export interface Strided {
  dims: number[];
  strides: number[];
}

/**
 * Splits a shape into its kept and its reduced axes, each with the input's strides, dropping
 * size-1 axes (they add nothing to an offset) and merging neighbours of the same kind whose
 * strides chain (row-major neighbours always do once size-1 axes are gone). Reducing the last
 * two axes of [B, L, H] thus becomes one loop over L*H, and the kept axes unravel with one division.
 */
export function splitReduced(shape: Shape, axes: readonly number[]): { kept: Strided; reduced: Strided } {
  const strides = stridesOf(shape);
  const kept: Strided = { dims: [], strides: [] };
  const reduced: Strided = { dims: [], strides: [] };
  let previous: Strided | null = null;
  shape.forEach((dim, axis) => {
    if (dim === 1) return;
    const group = axes.includes(axis) ? reduced : kept;
    const last = group.dims.length - 1;
    if (group === previous && group.strides[last] === strides[axis] * dim) {
      group.dims[last] *= dim;
      group.strides[last] = strides[axis];
    } else {
      group.dims.push(dim);
      group.strides.push(strides[axis]);
    }
    previous = group;
  });
  return { kept, reduced };
}

/**
 * Flat input offsets of every point of the subspace spanned by `axes` (row-major over those
 * axes), relative to the subspace's origin. The references build their loops from these.
 */
export function subspaceOffsets(shape: Shape, axes: readonly number[]): number[] {
  const strides = stridesOf(shape);
  let offsets = [0];
  for (const axis of axes) {
    const next: number[] = [];
    for (const base of offsets) for (let k = 0; k < shape[axis]; k++) next.push(base + k * strides[axis]);
    offsets = next;
  }
  return offsets;
}

/** Calls `f` with every multi-index of `shape` in row-major order, with its flat position. */
export function forEachIndex(shape: Shape, f: (index: readonly number[], flat: number) => void): void {
  const count = numel(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < count; flat++) {
    f(index, flat);
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a] < shape[a]) break;
      index[a] = 0;
    }
  }
}

/** Flat offset of a multi-index. */
export function offsetOf(index: readonly number[], strides: readonly number[]): number {
  let offset = 0;
  for (let a = 0; a < index.length; a++) offset += index[a] * strides[a];
  return offset;
}

/** The GPU.js body shared by the affine movements: x[base + Σ_a o_a · coefs[a]]. */
export function affineSource(out: Shape, base: number, coefs: readonly number[]): string {
  const terms = dot(indexNames('o', out.length), coefs);
  const offset = base === 0 ? terms : terms === '0' ? String(base) : `${base} + ${terms}`;
  return kernelSource(['x'], ['const i = this.thread.x;', ...unravel('i', out, 'o'), `return x[${offset}];`]);
}

/** Reference of a gather-style movement: out[o] = x[source(o)], with `source` giving x's multi-index. */
export function gatherReference(x: NumericArray, shape: Shape, out: Shape, source: (o: readonly number[]) => number[]): Float64Array {
  const strides = stridesOf(shape);
  const y = new Float64Array(numel(out));
  forEachIndex(out, (o, flat) => {
    y[flat] = x[offsetOf(source(o), strides)];
  });
  return y;
}

/** The single input shape of a one-input kernel. */
export function oneInput(op: string, shapes: readonly Shape[]): Shape {
  if (shapes.length !== 1) throw new ShapeError(op, shapes, `takes one input, got ${shapes.length}`);
  return shapes[0];
}
