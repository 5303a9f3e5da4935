/** Tensors from data: literals, constants, ranges and seeded random draws. */
import { assertValidShape, numel, ShapeError, type Shape } from '../../kernels/index.ts';
import { leaf } from '../engine/apply.ts';
import type { Random } from '../random.ts';
import { Tensor } from '../tensor.ts';

export interface LeafOptions {
  /** Track gradients with respect to this tensor (default false). */
  requiresGrad?: boolean;
  name?: string;
}

type Nested = number | readonly Nested[];

/** Shape of a (rectangular) nested array, checking that it is rectangular. */
function nestedShape(values: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = (level as readonly Nested[])[0];
  }
  return shape;
}

function flattenInto(values: Nested, shape: Shape, axis: number, out: Float32Array, offset: number): number {
  if (axis === shape.length) {
    if (typeof values !== 'number') throw new TypeError('tensor: ragged nested array (a row has a different depth)');
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[axis]) {
    throw new TypeError(`tensor: ragged nested array (axis ${axis} should have length ${shape[axis]})`);
  }
  for (const v of values as readonly Nested[]) offset = flattenInto(v, shape, axis + 1, out, offset);
  return offset;
}

/**
 * A tensor from values: a number, a nested array, or a flat array or Float32Array with a shape.
 * Data are copied.
 */
export function tensor(values: Nested | ArrayLike<number>, shape?: Shape, options: LeafOptions = {}): Tensor {
  if (shape !== undefined) {
    assertValidShape('tensor', shape);
    const flat = values as ArrayLike<number>;
    if (typeof values === 'number' || flat.length !== numel(shape)) {
      throw new ShapeError('tensor', [shape], `${typeof values === 'number' ? 1 : flat.length} values do not fill the shape`);
    }
    return leaf(Float32Array.from(flat), shape, options);
  }
  if (values instanceof Float32Array || ArrayBuffer.isView(values)) {
    const flat = values as ArrayLike<number>;
    return leaf(Float32Array.from(flat), [flat.length], options);
  }
  const nested = values as Nested;
  const inferred = nestedShape(nested);
  const data = new Float32Array(numel(inferred));
  flattenInto(nested, inferred, 0, data, 0);
  return leaf(data, inferred, options);
}

/** A scalar (shape []). */
export function scalar(value: number, options: LeafOptions = {}): Tensor {
  return leaf(Float32Array.of(value), [], options);
}

/** A tensor filled with one value. */
export function full(shape: Shape, value: number, options: LeafOptions = {}): Tensor {
  assertValidShape('full', shape);
  return leaf(new Float32Array(numel(shape)).fill(value), shape, options);
}

export function zeros(shape: Shape, options: LeafOptions = {}): Tensor {
  assertValidShape('zeros', shape);
  return leaf(new Float32Array(numel(shape)), shape, options);
}

export function ones(shape: Shape, options: LeafOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape);
}

export function onesLike(t: Tensor): Tensor {
  return ones(t.shape);
}

/** start, start + step, ... below end (like numpy.arange). */
export function arange(start: number, end?: number, step = 1): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new RangeError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return leaf(data, [n]);
}

/** n evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, n: number): Tensor {
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = n === 1 ? start : start + ((end - start) * i) / (n - 1);
  return leaf(data, [n]);
}

/** The n × n identity. */
export function eye(n: number): Tensor {
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return leaf(data, [n, n]);
}

/** Standard normal values (times std, plus mean) from a seeded generator. */
export function randn(shape: Shape, rng: Random, options: LeafOptions & { mean?: number; std?: number } = {}): Tensor {
  assertValidShape('randn', shape);
  return leaf(rng.normalArray(numel(shape), options.mean ?? 0, options.std ?? 1), shape, options);
}

/** Uniform values in [low, high) from a seeded generator. */
export function rand(shape: Shape, rng: Random, options: LeafOptions & { low?: number; high?: number } = {}): Tensor {
  assertValidShape('rand', shape);
  return leaf(rng.uniformArray(numel(shape), options.low ?? 0, options.high ?? 1), shape, options);
}

/** Wraps a number as a scalar tensor; passes tensors through. */
export function asTensor(value: Tensor | number): Tensor {
  return value instanceof Tensor ? value : scalar(value);
}
