/**
 * Strided slicing and its adjoint, and constant padding (part of the movement family; the
 * registry reaches these through `movementKernels`).
 *
 * slice reads a strided lattice of its input; unslice writes its input onto that lattice of a
 * zero tensor, so each is the other's gradient. pad is unslice with unit steps and a fill value,
 * so the two share one GPU.js body: each output element asks "am I on the lattice?" per axis,
 * and reads the input only when it is.
 */
import { ShapeError, assertValidShape, numel, stridesOf, type Shape } from './shape.ts';
import { defineKernel, type KernelCase, type NumericArray } from './types.ts';
import { dot, float, indexNames, kernelSource, unravel } from './codegen.ts';
import { affineSource, checkNonNegative, checkPerAxis, forEachIndex, gatherReference, offsetOf, oneInput } from './layout.ts';
import { affineGather, embed } from './movement-fast.ts';

/** Per axis a: elements start_a, start_a + step_a, ... below end_a (canonical: 0 ≤ start ≤ end ≤ dim, step ≥ 1). */
export interface SliceAttrs {
  starts: number[];
  ends: number[];
  steps: number[];
}

/** Writes the input into zeros of `shape` at start_a + i_a · step_a: the adjoint of slice. */
export interface UnsliceAttrs {
  shape: number[];
  starts: number[];
  steps: number[];
}

/** Constant padding: `before[a]` and `after[a]` cells of `value` around axis a (non-negative amounts). */
export interface PadAttrs {
  before: number[];
  after: number[];
  value: number;
}

/** Number of lattice points start, start + step, ... below end. */
function sliceLength(start: number, end: number, step: number): number {
  return Math.ceil((end - start) / step);
}

/**
 * A GPU.js number literal for any value: float() (codegen.ts) writes ±Infinity as the finite
 * ±3.4e38, which would change what a -Infinity pad means (e.g. before a max-pool); a float32
 * overflow spells the infinity itself.
 */
function literal(value: number): string {
  if (value === Infinity) return '(3.4e38 * 10.0)';
  if (value === -Infinity) return '(-3.4e38 * 10.0)';
  return float(value);
}

/**
 * The GPU.js body of unslice and pad: out[o] = x[j] when o_a = start_a + j_a · step_a with
 * 0 ≤ j_a < n_a on every axis, else `fill`. The input is read inside the `if`, so an output
 * element off the lattice never computes an out-of-range address.
 */
function embedSource(x: Shape, out: Shape, starts: readonly number[], steps: readonly number[], fill: string): string {
  if (numel(x) === 0) return kernelSource(['x'], [`return ${fill};`]);
  const lines = ['const i = this.thread.x;', ...unravel('i', out, 'o')];
  const conditions: string[] = [];
  out.forEach((_, a) => {
    const [start, step, n] = [starts[a], steps[a], x[a]];
    lines.push(start === 0 ? `const q${a} = o${a};` : `const q${a} = o${a} - ${start};`);
    lines.push(step === 1 ? `const j${a} = q${a};` : `const j${a} = Math.floor(q${a} / ${step});`);
    if (start > 0) conditions.push(`q${a} >= 0`);
    if (start + (n - 1) * step < out[a] - 1) conditions.push(`j${a} < ${n}`);
    if (step > 1) conditions.push(`q${a} === j${a} * ${step}`);
  });
  const read = `x[${dot(indexNames('j', x.length), stridesOf(x))}]`;
  if (conditions.length === 0) return kernelSource(['x'], [...lines, `return ${read};`]);
  return kernelSource(['x'], [...lines, `if (${conditions.join(' && ')}) {`, `  return ${read};`, '}', `return ${fill};`]);
}

/** Reference of unslice and pad: fill, then write each input element at its lattice point. */
function embedReference(x: NumericArray, shape: Shape, out: Shape, starts: readonly number[], steps: readonly number[], fill: number): Float64Array {
  const y = new Float64Array(numel(out)).fill(fill);
  const strides = stridesOf(out);
  forEachIndex(shape, (i, flat) => {
    y[
      offsetOf(
        i.map((v, a) => starts[a] + v * steps[a]),
        strides,
      )
    ] = x[flat];
  });
  return y;
}

// ---------------------------------------------------------------------------------------------
// Test cases

/** [input shape, starts, ends, steps]; unslice's cases are the adjoints of these. */
const lattices: [Shape, number[], number[], number[]][] = [
  [[10], [2], [9], [3]],
  [
    [5, 6],
    [1, 0],
    [4, 6],
    [1, 2],
  ],
  [
    [2, 3, 4],
    [0, 0, 1],
    [2, 3, 4],
    [2, 2, 2],
  ],
  [
    [1, 7],
    [0, 0],
    [1, 7],
    [1, 1],
  ],
  [[4], [4], [4], [1]],
  [
    [4, 3],
    [1, 0],
    [3, 3],
    [5, 1],
  ],
  [[1100], [3], [1100], [2]],
  [
    [80, 60],
    [0, 2],
    [80, 60],
    [1, 1],
  ],
];

const sliceCases: KernelCase<SliceAttrs>[] = lattices.map(([shape, starts, ends, steps]) => ({ shapes: [shape], attrs: { starts, ends, steps } }));

const unsliceCases: KernelCase<UnsliceAttrs>[] = lattices.map(([shape, starts, ends, steps]) => ({
  shapes: [starts.map((s, a) => sliceLength(s, ends[a], steps[a]))],
  attrs: { shape: [...shape], starts, steps },
}));

// biome-ignore format: a case table, one case a line
const padCases: KernelCase<PadAttrs>[] = [
  { shapes: [[3]], attrs: { before: [1], after: [2], value: 0 } },
  { shapes: [[2, 3]], attrs: { before: [0, 1], after: [2, 0], value: -1.5 } },
  { shapes: [[2, 3, 2]], attrs: { before: [1, 0, 1], after: [0, 0, 1], value: -Infinity } },
  { shapes: [[0, 2]], attrs: { before: [1, 0], after: [1, 1], value: 3 } },
  { shapes: [[]], attrs: { before: [], after: [], value: 7 } },
  { shapes: [[1]], attrs: { before: [0], after: [0], value: 1 } },
  { shapes: [[1031]], attrs: { before: [5], after: [0], value: 0.25 } },
  { shapes: [[60, 60]], attrs: { before: [2, 3], after: [4, 5], value: 0 } },
];

// ---------------------------------------------------------------------------------------------
// The kernels

export const sliceKernels = {
  /** slice(x)[o] = x[i] with i_a = start_a + o_a · step_a; out.shape[a] = ceil((end_a - start_a) / step_a). */
  slice: defineKernel<SliceAttrs>({
    arity: 1,
    outShape: (shapes, { starts, ends, steps }) => {
      const x = oneInput('slice', shapes);
      for (const [name, values] of [
        ['starts', starts],
        ['ends', ends],
        ['steps', steps],
      ] as const) {
        checkPerAxis('slice', shapes, name, values, x.length);
        checkNonNegative('slice', shapes, name, values);
      }
      return x.map((d, a) => {
        if (!(starts[a] <= ends[a] && ends[a] <= d)) {
          throw new ShapeError('slice', shapes, `range ${starts[a]}:${ends[a]} at axis ${a} is not within 0:${d} in canonical order`);
        }
        if (steps[a] < 1) throw new ShapeError('slice', shapes, `step ${steps[a]} at axis ${a} must be at least 1`);
        return sliceLength(starts[a], ends[a], steps[a]);
      });
    },
    reference: ([x], [shape], { starts, steps }, out) => gatherReference(x, shape, out, (o) => o.map((v, a) => starts[a] + v * steps[a])),
    gpu: ([shape], { starts, steps }, out) => {
      const strides = stridesOf(shape);
      const base = starts.reduce((sum, s, a) => sum + s * strides[a], 0);
      return {
        source: affineSource(
          out,
          base,
          strides.map((s, a) => s * steps[a]),
        ),
      };
    },
    fast: ({ inputs: [x], shapes: [shape], attrs: { starts, steps }, outShape, out }, ctx) => {
      const strides = stridesOf(shape);
      return affineGather(
        x,
        out,
        outShape,
        starts.reduce((sum, s, a) => sum + s * strides[a], 0),
        strides.map((s, a) => s * steps[a]),
        ctx,
      );
    },
    cases: sliceCases,
  }),

  /**
   * unslice(x)[o] = x[j] where o_a = start_a + j_a · step_a for all a, else 0; out.shape = attrs.shape.
   * The adjoint of slice: ⟨slice(y), x⟩ = ⟨y, unslice(x)⟩.
   */
  unslice: defineKernel<UnsliceAttrs>({
    arity: 1,
    outShape: (shapes, { shape, starts, steps }) => {
      const x = oneInput('unslice', shapes);
      assertValidShape('unslice', shape);
      checkPerAxis('unslice', shapes, 'shape', shape, x.length);
      checkPerAxis('unslice', shapes, 'starts', starts, x.length);
      checkPerAxis('unslice', shapes, 'steps', steps, x.length);
      checkNonNegative('unslice', shapes, 'starts', starts);
      x.forEach((n, a) => {
        if (!Number.isInteger(steps[a]) || steps[a] < 1)
          throw new ShapeError('unslice', shapes, `step ${steps[a]} at axis ${a} must be an integer of at least 1`);
        const last = starts[a] + (n - 1) * steps[a];
        if (starts[a] > shape[a] || (n > 0 && last >= shape[a])) {
          throw new ShapeError('unslice', shapes, `${n} elements from ${starts[a]} with step ${steps[a]} do not fit in dimension ${shape[a]} at axis ${a}`);
        }
      });
      return shape;
    },
    reference: ([x], [shape], { starts, steps }, out) => embedReference(x, shape, out, starts, steps, 0),
    gpu: ([shape], { starts, steps }, out) => ({ source: embedSource(shape, out, starts, steps, '0.0') }),
    fast: ({ inputs: [x], shapes: [shape], attrs: { starts, steps }, outShape, out }, ctx) => embed(x, shape, out, outShape, starts, steps, 0, ctx),
    cases: unsliceCases,
  }),

  /** pad(x)[o] = x[o - before] where 0 ≤ o_a - before_a < d_a on every axis, else value. */
  pad: defineKernel<PadAttrs>({
    arity: 1,
    outShape: (shapes, { before, after, value }) => {
      const x = oneInput('pad', shapes);
      checkPerAxis('pad', shapes, 'before', before, x.length);
      checkPerAxis('pad', shapes, 'after', after, x.length);
      checkNonNegative('pad', shapes, 'before', before);
      checkNonNegative('pad', shapes, 'after', after);
      if (Number.isNaN(value)) throw new ShapeError('pad', shapes, 'the pad value is NaN');
      return x.map((d, a) => before[a] + d + after[a]);
    },
    reference: ([x], [shape], { before, value }, out) =>
      embedReference(
        x,
        shape,
        out,
        before,
        before.map(() => 1),
        value,
      ),
    gpu: ([shape], { before, value }, out) => ({
      source: embedSource(
        shape,
        out,
        before,
        before.map(() => 1),
        literal(value),
      ),
    }),
    fast: ({ inputs: [x], shapes: [shape], attrs: { before, value }, outShape, out }, ctx) =>
      embed(
        x,
        shape,
        out,
        outShape,
        before,
        before.map(() => 1),
        value,
        ctx,
      ),
    cases: padCases,
  }),
};
