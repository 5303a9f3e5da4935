/**
 * Indexing kernels: indexSelect (embedding lookup) and its adjoint indexAdd, gather
 * (torch.gather) and its adjoint scatterAdd, and oneHot. Indices are float32 integers, exact
 * below 2^24.
 *
 * GPU.js has no scatter: a thread can only compute its own output element. So the adjoints run
 * in gather form on the GPU (each output element loops over every index that could point at it)
 * and, on the CPU backends, through a plain scatter loop that costs one pass over the source.
 *
 * Out-of-range indices are an error: the references throw a RangeError naming the op. The
 * kernels do not check (a GPU cannot throw); they read 0 for such an index and add nothing for it.
 */
import { ShapeError, assertValidShape, numel, sameShape, stridesOf, type Shape } from './shape.ts';
import { defineKernel, type FastPath, type KernelCase } from './types.ts';
import { dot, float, indexNames, kernelSource, unravel } from './codegen.ts';
import { aroundAxis, checkAxis, checkNonNegative, forEachIndex, offsetOf, oneInput } from './layout.ts';

/** indexSelect: pick entries of x along `axis` by an index tensor of any shape. */
export interface IndexSelectAttrs {
  axis: number;
}

/** indexAdd: the adjoint of indexSelect; `size` is the length of x's `axis` (the output's). */
export interface IndexAddAttrs {
  axis: number;
  size: number;
}

/** gather: torch.gather / numpy.take_along_axis along `axis`. */
export interface GatherAttrs {
  axis: number;
}

/** scatterAdd: the adjoint of gather; `shape` is the output's (gather's x) shape in full. */
export interface ScatterAddAttrs {
  axis: number;
  shape: number[];
}

/** oneHot: a last axis of `depth` classes. */
export interface OneHotAttrs {
  depth: number;
}

function twoInputs(op: string, shapes: readonly Shape[]): [Shape, Shape] {
  if (shapes.length !== 2) throw new ShapeError(op, shapes, `takes two inputs, got ${shapes.length}`);
  return [shapes[0], shapes[1]];
}

/** Returns an index value as an offset, or throws the RangeError that defines out-of-range indices. */
function checkedIndex(op: string, value: number, size: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= size) {
    throw new RangeError(`${op}: index ${value} is out of range for a dimension of size ${size}`);
  }
  return value;
}

/** True for an index the kernels use; others are read as 0 or skipped. */
const inRange = (value: number, size: number) => Number.isInteger(value) && value >= 0 && value < size;

// ---------------------------------------------------------------------------------------------
// indexSelect and indexAdd: x seen as [P, D, Q] around `axis`, the index flattened to N entries,
// the selection (indexAdd's source) as [P, N, Q].

function indexSelectShape(shapes: readonly Shape[], axis: number): Shape {
  const [x, index] = twoInputs('indexSelect', shapes);
  checkAxis('indexSelect', shapes, axis, x.length);
  return [...x.slice(0, axis), ...index, ...x.slice(axis + 1)];
}

function indexAddShape(shapes: readonly Shape[], axis: number, size: number): Shape {
  const [index, src] = twoInputs('indexAdd', shapes);
  checkNonNegative('indexAdd', shapes, 'size', [size]);
  if (!Number.isInteger(axis) || axis < 0 || axis + index.length > src.length) {
    throw new ShapeError('indexAdd', shapes, `axis ${axis} leaves no room for the index's ${index.length} axes in the source's ${src.length}`);
  }
  if (!sameShape(src.slice(axis, axis + index.length), index)) {
    throw new ShapeError('indexAdd', shapes, `the source's axes ${axis}..${axis + index.length - 1} must equal the index shape`);
  }
  return [...src.slice(0, axis), size, ...src.slice(axis + index.length)];
}

/** Scatter loop of indexAdd on the CPU: one pass over the source, skipping out-of-range indices. */
const indexAddFast: FastPath<IndexAddAttrs> = ({ inputs: [index, src], shapes: [indexShape, srcShape], attrs: { axis, size }, out }) => {
  const { outer, inner } = aroundAxis(srcShape, axis, indexShape.length);
  const n = index.length;
  out.fill(0);
  for (let p = 0; p < outer; p++) {
    for (let j = 0; j < n; j++) {
      const k = index[j];
      if (!inRange(k, size)) continue;
      const from = (p * n + j) * inner;
      const to = (p * size + k) * inner;
      for (let q = 0; q < inner; q++) out[to + q] += src[from + q];
    }
  }
  return true;
};

// ---------------------------------------------------------------------------------------------
// gather and scatterAdd: index and source of one shape, each element naming a position along
// `axis` of x (gather's input, scatterAdd's output) at its own position on the other axes.

function checkGatherShapes(op: string, shapes: readonly Shape[], x: Shape, index: Shape, axis: number): void {
  checkAxis(op, shapes, axis, x.length);
  if (index.length !== x.length) throw new ShapeError(op, shapes, `the index has rank ${index.length}, the tensor rank ${x.length}`);
  index.forEach((d, a) => {
    if (a !== axis && d > x[a]) throw new ShapeError(op, shapes, `the index's dimension ${d} at axis ${a} exceeds the tensor's ${x[a]}`);
  });
}

/** Scatter loop of scatterAdd on the CPU: an odometer over the index keeps the output offset current. */
const scatterAddFast: FastPath<ScatterAddAttrs> = ({ inputs: [index, src], shapes: [indexShape], attrs: { axis, shape }, out }) => {
  const strides = stridesOf(shape);
  const position = new Array<number>(indexShape.length).fill(0);
  let base = 0; // Σ_{a ≠ axis} position[a] · strides[a]
  out.fill(0);
  for (let p = 0; p < index.length; p++) {
    const k = index[p];
    if (inRange(k, shape[axis])) out[base + k * strides[axis]] += src[p];
    for (let a = indexShape.length - 1; a >= 0; a--) {
      const step = a === axis ? 0 : strides[a];
      base += step;
      if (++position[a] < indexShape[a]) break;
      base -= step * indexShape[a];
      position[a] = 0;
    }
  }
  return true;
};

// ---------------------------------------------------------------------------------------------
// Test cases (index inputs draw integers in range; oneHot's also one past it)

const ints = (n: number) => ({ integers: n });

// biome-ignore format: a case table, one case a line
const indexSelectCases: KernelCase<IndexSelectAttrs>[] = [
  { shapes: [[5, 3], [4]], attrs: { axis: 0 }, domains: ['real', ints(5)] },
  { shapes: [[10, 4], [2, 3]], attrs: { axis: 0 }, domains: ['real', ints(10)] },
  { shapes: [[3, 7, 2], [5]], attrs: { axis: 1 }, domains: ['real', ints(7)] },
  { shapes: [[2, 3, 4], [2, 2]], attrs: { axis: 2 }, domains: ['real', ints(4)] },
  { shapes: [[6], []], attrs: { axis: 0 }, domains: ['real', ints(6)] },
  { shapes: [[1], [1]], attrs: { axis: 0 }, domains: ['real', ints(1)] },
  { shapes: [[1031, 2], [3]], attrs: { axis: 0 }, domains: ['real', ints(1031)] },
  { shapes: [[50, 8], [600]], attrs: { axis: 0 }, domains: ['real', ints(50)] },
  { shapes: [[5, 3], [0]], attrs: { axis: 0 }, domains: ['real', ints(5)] },
];

// biome-ignore format: a case table, one case a line
const indexAddCases: KernelCase<IndexAddAttrs>[] = [
  { shapes: [[4], [4, 3]], attrs: { axis: 0, size: 5 }, domains: [ints(5), 'real'] },
  { shapes: [[2, 3], [2, 3, 5]], attrs: { axis: 0, size: 4 }, domains: [ints(4), 'real'] },
  { shapes: [[5], [3, 5, 2]], attrs: { axis: 1, size: 7 }, domains: [ints(7), 'real'] },
  { shapes: [[], [3]], attrs: { axis: 0, size: 4 }, domains: [ints(4), 'real'] },
  { shapes: [[1], [1]], attrs: { axis: 0, size: 1 }, domains: [ints(1), 'real'] },
  { shapes: [[1100], [1100]], attrs: { axis: 0, size: 3 }, domains: [ints(3), 'real'] },
  { shapes: [[50], [50, 100]], attrs: { axis: 0, size: 45 }, domains: [ints(45), 'real'] },
  { shapes: [[0], [0, 3]], attrs: { axis: 0, size: 4 }, domains: [ints(4), 'real'] },
];

// biome-ignore format: a case table, one case a line
const gatherCases: KernelCase<GatherAttrs>[] = [
  { shapes: [[4, 5], [4, 3]], attrs: { axis: 1 }, domains: ['real', ints(5)] },
  { shapes: [[4, 5], [2, 5]], attrs: { axis: 0 }, domains: ['real', ints(4)] },
  { shapes: [[3, 4, 5], [2, 6, 3]], attrs: { axis: 1 }, domains: ['real', ints(4)] },
  { shapes: [[7], [9]], attrs: { axis: 0 }, domains: ['real', ints(7)] },
  { shapes: [[1], [1]], attrs: { axis: 0 }, domains: ['real', ints(1)] },
  { shapes: [[1031], [1100]], attrs: { axis: 0 }, domains: ['real', ints(1031)] },
  { shapes: [[70, 60], [70, 60]], attrs: { axis: 1 }, domains: ['real', ints(60)] },
  { shapes: [[3, 4], [0, 4]], attrs: { axis: 0 }, domains: ['real', ints(3)] },
];

// biome-ignore format: a case table, one case a line
const scatterAddCases: KernelCase<ScatterAddAttrs>[] = [
  { shapes: [[4, 3], [4, 3]], attrs: { axis: 0, shape: [5, 3] }, domains: [ints(5), 'real'] },
  { shapes: [[2, 6, 3], [2, 6, 3]], attrs: { axis: 1, shape: [3, 4, 5] }, domains: [ints(4), 'real'] },
  { shapes: [[2, 2], [2, 2]], attrs: { axis: 1, shape: [4, 3] }, domains: [ints(3), 'real'] },
  { shapes: [[9], [9]], attrs: { axis: 0, shape: [7] }, domains: [ints(7), 'real'] },
  { shapes: [[1], [1]], attrs: { axis: 0, shape: [1] }, domains: [ints(1), 'real'] },
  { shapes: [[1100], [1100]], attrs: { axis: 0, shape: [3] }, domains: [ints(3), 'real'] },
  { shapes: [[70, 60], [70, 60]], attrs: { axis: 1, shape: [70, 60] }, domains: [ints(60), 'real'] },
  { shapes: [[0, 3], [0, 3]], attrs: { axis: 0, shape: [4, 3] }, domains: [ints(4), 'real'] },
];

// biome-ignore format: a case table, one case a line
const oneHotCases: KernelCase<OneHotAttrs>[] = [
  { shapes: [[5]], attrs: { depth: 3 }, domains: [ints(4)] },
  { shapes: [[2, 3]], attrs: { depth: 4 }, domains: [ints(4)] },
  { shapes: [[]], attrs: { depth: 3 }, domains: [ints(3)] },
  { shapes: [[1]], attrs: { depth: 1 }, domains: [ints(1)] },
  { shapes: [[3]], attrs: { depth: 1100 }, domains: [ints(1100)] },
  { shapes: [[1100]], attrs: { depth: 4 }, domains: [ints(5)] },
  { shapes: [[0]], attrs: { depth: 4 }, domains: [ints(4)] },
  { shapes: [[5]], attrs: { depth: 0 }, domains: [ints(2)] },
];

// ---------------------------------------------------------------------------------------------
// The kernels

export const indexingKernels = {
  /**
   * indexSelect(x, index; axis)[p, j, q] = x[p, index[j], q], with p the axes before `axis`,
   * q those after and j a multi-index of the index: out.shape = x.shape with its `axis`
   * replaced by index.shape (axis 0 and a [B, L] index: an embedding lookup, [B, L, D]).
   */
  indexSelect: defineKernel<IndexSelectAttrs>({
    arity: 2,
    outShape: (shapes, { axis }) => indexSelectShape(shapes, axis),
    reference: ([x, index], [xShape], { axis }, out) => {
      const { outer, size, inner } = aroundAxis(xShape, axis);
      const y = new Float64Array(numel(out));
      const n = index.length;
      for (let p = 0; p < outer; p++) {
        for (let j = 0; j < n; j++) {
          const k = checkedIndex('indexSelect', index[j], size);
          for (let q = 0; q < inner; q++) y[(p * n + j) * inner + q] = x[(p * size + k) * inner + q];
        }
      }
      return y;
    },
    gpu: ([xShape, indexShape], { axis }) => {
      const { outer, size, inner } = aroundAxis(xShape, axis);
      const lines = [
        'const i = this.thread.x;',
        ...unravel('i', [outer, numel(indexShape), inner], 'o'),
        'const k = index[o1];',
        `if (k >= 0.0 && k < ${float(size)}) {`,
        `  return x[(o0 * ${size} + k) * ${inner} + o2];`,
        '}',
        'return 0.0;',
      ];
      return { source: kernelSource(['x', 'index'], lines) };
    },
    cases: indexSelectCases,
  }),

  /**
   * indexAdd(index, src; axis, size)[p, i, q] = Σ_{j : index[j] = i} src[p, j, q], i < size:
   * the adjoint of indexSelect (src has indexSelect's output shape; the output has x's).
   */
  indexAdd: defineKernel<IndexAddAttrs>({
    arity: 2,
    outShape: (shapes, { axis, size }) => indexAddShape(shapes, axis, size),
    reference: ([index, src], [indexShape, srcShape], { axis, size }, out) => {
      const { outer, inner } = aroundAxis(srcShape, axis, indexShape.length);
      const y = new Float64Array(numel(out));
      const n = index.length;
      for (let p = 0; p < outer; p++) {
        for (let j = 0; j < n; j++) {
          const k = checkedIndex('indexAdd', index[j], size);
          for (let q = 0; q < inner; q++) y[(p * size + k) * inner + q] += src[(p * n + j) * inner + q];
        }
      }
      return y;
    },
    gpu: ([indexShape, srcShape], { axis, size }) => {
      const { outer, inner } = aroundAxis(srcShape, axis, indexShape.length);
      const n = numel(indexShape);
      const lines = [
        'const i = this.thread.x;',
        ...unravel('i', [outer, size, inner], 'o'),
        'let sum = 0.0;',
        `for (let j = 0; j < ${n}; j++) {`,
        '  if (index[j] === o1) {',
        `    sum += src[(o0 * ${n} + j) * ${inner} + o2];`,
        '  }',
        '}',
        'return sum;',
      ];
      return { source: kernelSource(['index', 'src'], lines) };
    },
    fast: indexAddFast,
    cases: indexAddCases,
  }),

  /** gather(x, index; axis)[o] = x[o_0, ..., index[o], ..., o_{r-1}] (index[o] at `axis`); out.shape = index.shape. */
  gather: defineKernel<GatherAttrs>({
    arity: 2,
    outShape: (shapes, { axis }) => {
      const [x, index] = twoInputs('gather', shapes);
      checkGatherShapes('gather', shapes, x, index, axis);
      return index;
    },
    reference: ([x, index], [xShape], { axis }, out) => {
      const strides = stridesOf(xShape);
      const y = new Float64Array(numel(out));
      forEachIndex(out, (o, flat) => {
        const at = o.map((v, a) => (a === axis ? checkedIndex('gather', index[flat], xShape[axis]) : v));
        y[flat] = x[offsetOf(at, strides)];
      });
      return y;
    },
    gpu: ([xShape], { axis }, out) => {
      const at = indexNames('o', out.length).map((name, a) => (a === axis ? 'k' : name));
      const lines = [
        'const i = this.thread.x;',
        ...unravel('i', out, 'o'),
        'const k = index[i];',
        `if (k >= 0.0 && k < ${float(xShape[axis])}) {`,
        `  return x[${dot(at, stridesOf(xShape))}];`,
        '}',
        'return 0.0;',
      ];
      return { source: kernelSource(['x', 'index'], lines) };
    },
    cases: gatherCases,
  }),

  /**
   * scatterAdd(index, src; axis, shape)[o] = Σ_{p : index[p] = o_axis, p_a = o_a for a ≠ axis} src[p]:
   * the adjoint of gather. index and src share a shape; the output shape is given in full
   * (it is gather's x shape, whose non-axis dims may exceed the index's).
   */
  scatterAdd: defineKernel<ScatterAddAttrs>({
    arity: 2,
    outShape: (shapes, { axis, shape }) => {
      const [index, src] = twoInputs('scatterAdd', shapes);
      if (!sameShape(index, src)) throw new ShapeError('scatterAdd', shapes, 'the index and the source must have one shape');
      assertValidShape('scatterAdd', shape);
      checkGatherShapes('scatterAdd', shapes, shape, index, axis);
      return shape;
    },
    reference: ([index, src], [indexShape], { axis, shape }, out) => {
      const strides = stridesOf(shape);
      const y = new Float64Array(numel(out));
      forEachIndex(indexShape, (p, flat) => {
        const at = p.map((v, a) => (a === axis ? checkedIndex('scatterAdd', index[flat], shape[axis]) : v));
        y[offsetOf(at, strides)] += src[flat];
      });
      return y;
    },
    gpu: ([indexShape], { axis }, out) => {
      const n = indexShape[axis];
      if (numel(indexShape) === 0) return { source: kernelSource(['index', 'src'], ['return 0.0;']) };
      const at = indexNames('o', out.length).map((name, a) => (a === axis ? 'k' : name));
      // Output positions beyond the index on a non-axis dim receive nothing; checking them
      // first also keeps the index reads in range.
      const outside = indexShape.flatMap((d, a) => (a !== axis && d < out[a] ? [`o${a} < ${d}`] : []));
      const loop = [
        `for (let k = 0; k < ${n}; k++) {`,
        `  const p = ${dot(at, stridesOf(indexShape))};`,
        `  if (index[p] === o${axis}) {`,
        '    sum += src[p];',
        '  }',
        '}',
      ];
      const lines = [
        'const i = this.thread.x;',
        ...unravel('i', out, 'o'),
        'let sum = 0.0;',
        ...(outside.length === 0 ? loop : [`if (${outside.join(' && ')}) {`, ...loop.map((l) => `  ${l}`), '}']),
        'return sum;',
      ];
      return { source: kernelSource(['index', 'src'], lines) };
    },
    fast: scatterAddFast,
    cases: scatterAddCases,
  }),

  /**
   * oneHot(index; depth)[..., c] = 1 if index[...] = c else 0; out.shape = index.shape ++ [depth].
   * An index outside [0, depth) gives a row of zeros (as tf.one_hot does), so -1 can mark padding.
   */
  oneHot: defineKernel<OneHotAttrs>({
    arity: 1,
    outShape: (shapes, { depth }) => {
      const index = oneInput('oneHot', shapes);
      checkNonNegative('oneHot', shapes, 'depth', [depth]);
      return [...index, depth];
    },
    reference: ([index], _shapes, { depth }, out) => {
      const y = new Float64Array(numel(out));
      for (let j = 0; j < index.length; j++) if (inRange(index[j], depth)) y[j * depth + index[j]] = 1;
      return y;
    },
    gpu: (_shapes, { depth }) => ({
      source: kernelSource(
        ['index'],
        ['const i = this.thread.x;', `const j = Math.floor(i / ${depth});`, `const c = i - j * ${depth};`, 'return index[j] === c ? 1.0 : 0.0;'],
      ),
    }),
    cases: oneHotCases,
  }),
};
