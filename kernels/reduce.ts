/**
 * Reductions over any set of axes: sum, mean, max, min, var, logsumexp, and argmax / argmin
 * along one axis.
 *
 * One GPU.js thread computes one output element: it unravels its index over the kept axes,
 * then walks the reduced subspace in nested loops whose bounds are literals (GPU.js caps loop
 * bounds that are not compile-time constants). Kept and reduced axes are coalesced first
 * (layout.ts), so the common "reduce the last axes" case is a single loop.
 */
import { ShapeError, numel, type Shape } from './shape.ts';
import { defineKernel, type KernelCase, type KernelSpec, type NumericArray } from './types.ts';
import { dot, float, indexNames, kernelSource, unravel } from './codegen.ts';
import { checkAxes, oneInput, splitReduced, subspaceOffsets } from './layout.ts';
import { reduceInto, type Accumulation } from './reduce-fast.ts';

/** Attributes of sum, mean, max, min and logsumexp: canonical axes (sorted, distinct; [] = copy). */
export interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** Attributes of var: `correction` is subtracted from the count in the divisor (0 population, 1 sample). */
export interface VarAttrs extends ReduceAttrs {
  correction: number;
}

/** Attributes of argmax and argmin: one axis. */
export interface ArgReduceAttrs {
  axis: number;
  keepDims: boolean;
}

// ---------------------------------------------------------------------------------------------
// Shapes and the reference loop

/**
 * Output shape of a reduction; `needsElement` rejects an empty reduced subspace for reductions
 * without an identity (max, min, logsumexp, arg*), as NumPy does.
 */
function reducedShape(op: string, shapes: readonly Shape[], axes: readonly number[], keepDims: boolean, needsElement: boolean): Shape {
  const x = oneInput(op, shapes);
  checkAxes(op, shapes, axes, x.length);
  const out = keepDims ? x.map((d, a) => (axes.includes(a) ? 1 : d)) : x.filter((_, a) => !axes.includes(a));
  if (needsElement && numel(out) > 0 && axes.some((a) => x[a] === 0)) {
    throw new ShapeError(op, shapes, `cannot reduce an empty axis: ${op} has no identity`);
  }
  return out;
}

/** The definition of every reduction: `f` sees the values of one output's subspace in row-major order. */
function reduceReference(x: NumericArray, shape: Shape, axes: readonly number[], f: (values: number[]) => number): Float64Array {
  const kept = shape.map((_, a) => a).filter((a) => !axes.includes(a));
  const bases = subspaceOffsets(shape, kept);
  const offsets = subspaceOffsets(shape, axes);
  const out = new Float64Array(numel(kept.map((a) => shape[a])));
  bases.forEach((base, o) => {
    out[o] = f(offsets.map((offset) => x[base + offset]));
  });
  return out;
}

const sumOf = (values: number[]) => values.reduce((s, v) => s + v, 0);
const meanOf = (values: number[]) => sumOf(values) / values.length;
// Not Math.max(...values): spreading a long subspace can overflow the argument stack.
const maxOf = (values: number[]) => values.reduce((m, v) => Math.max(m, v), -Infinity);
const minOf = (values: number[]) => values.reduce((m, v) => Math.min(m, v), Infinity);

// ---------------------------------------------------------------------------------------------
// GPU.js bodies

/** The statements a body is assembled from: the base offset and loops over the reduced subspace. */
interface ReduceCode {
  /** Declares `base`, the input offset of this output element's subspace origin. */
  prologue: string[];
  /** Element count of the reduced subspace. */
  count: number;
  /** Nested literal-bound loops that declare `${v}` (the element) before running `body`. */
  loop(v: string, body: readonly string[]): string[];
}

function reduceCode(shape: Shape, axes: readonly number[]): ReduceCode {
  const { kept, reduced } = splitReduced(shape, axes);
  const keptIndex = indexNames('o', kept.dims.length);
  const prologue = ['const i = this.thread.x;', ...unravel('i', kept.dims, 'o'), `const base = ${dot(keptIndex, kept.strides)};`];
  return {
    prologue,
    count: numel(reduced.dims),
    loop(v, body) {
      // Loop variables are named after the element so that two passes do not redeclare them.
      const loopIndex = indexNames(`${v}r`, reduced.dims.length);
      const offset = reduced.dims.length === 0 ? 'base' : `base + ${dot(loopIndex, reduced.strides)}`;
      const opens = reduced.dims.map((d, k) => `${'  '.repeat(k)}for (let ${loopIndex[k]} = 0; ${loopIndex[k]} < ${d}; ${loopIndex[k]}++) {`);
      const pad = '  '.repeat(reduced.dims.length);
      const closes = reduced.dims.map((_, k) => `${'  '.repeat(reduced.dims.length - 1 - k)}}`);
      return [...opens, `${pad}const ${v} = x[${offset}];`, ...body.map((line) => pad + line), ...closes];
    },
  };
}

/** Statements that set `${out}` to the maximum (or minimum) of the subspace. */
function extremumLines(code: ReduceCode, out: string, pick: 'max' | 'min', v: string): string[] {
  return [`let ${out} = x[base];`, ...code.loop(v, [`${out} = Math.${pick}(${out}, ${v});`])];
}

/** Statements that set `${out}` to the mean of the subspace; `count` 0 gives 0 / 0 = NaN, as in torch. */
function meanLines(code: ReduceCode, out: string, v: string): string[] {
  return [`let ${out}s = 0.0;`, ...code.loop(v, [`${out}s += ${v};`]), `const ${out} = ${out}s / ${float(code.count)};`];
}

type Body<A> = (code: ReduceCode, attrs: A) => string[];

function reduceKernel(
  name: string,
  body: Body<ReduceAttrs>,
  ref: (values: number[]) => number,
  needsElement: boolean,
  cases: KernelCase<ReduceAttrs>[],
  /** The one-pass CPU fast path (reduce-fast.ts) that computes the same reduction, if any. */
  accumulation?: Accumulation,
): KernelSpec<ReduceAttrs> {
  return defineKernel<ReduceAttrs>({
    arity: 1,
    outShape: (shapes, { axes, keepDims }) => reducedShape(name, shapes, axes, keepDims, needsElement),
    reference: ([x], [shape], { axes }) => reduceReference(x, shape, axes, ref),
    gpu: ([shape], attrs) => {
      const code = reduceCode(shape, attrs.axes);
      return { source: kernelSource(['x'], [...code.prologue, ...body(code, attrs)]) };
    },
    ...(accumulation ? { fast: ({ inputs: [x], shapes: [shape], attrs: { axes }, out }, ctx) => reduceInto(x, shape, axes, accumulation, out, ctx) } : {}),
    cases,
  });
}

/** argmax / argmin: the first index along `axis` of the extreme value (NumPy's tie rule). */
function argKernel(name: string, better: '>' | '<'): KernelSpec<ArgReduceAttrs> {
  const beats = (a: number, b: number) => (better === '>' ? a > b : a < b);
  return defineKernel<ArgReduceAttrs>({
    arity: 1,
    outShape: (shapes, { axis, keepDims }) => reducedShape(name, shapes, [axis], keepDims, true),
    reference: ([x], [shape], { axis }) => reduceReference(x, shape, [axis], (values) => values.reduce((best, v, k) => (beats(v, values[best]) ? k : best), 0)),
    gpu: ([shape], { axis }) => {
      const code = reduceCode(shape, [axis]);
      // A strict comparison keeps the first of equal values. The float counter `k` numbers the
      // elements along the axis in order (the subspace is that one axis, or empty when it has
      // size 1); unlike the int loop variable it needs no cast on GLSL backends.
      const lines = [
        'let best = x[base];',
        'let bestIndex = 0.0;',
        'let k = 0.0;',
        ...code.loop('v', [`if (v ${better} best) {`, '  best = v;', '  bestIndex = k;', '}', 'k += 1.0;']),
        'return bestIndex;',
      ];
      return { source: kernelSource(['x'], [...code.prologue, ...lines]) };
    },
    cases: argCases,
  });
}

// ---------------------------------------------------------------------------------------------
// Test cases

const reduceShapes: [Shape, number[]][] = [
  [[7], [0]],
  [[1], [0]],
  [[3, 5], [1]],
  [[3, 5], [0]],
  [
    [2, 3, 4],
    [0, 2],
  ],
  [
    [2, 3, 4],
    [1, 2],
  ],
  [[2, 3, 4], []],
  [
    [2, 3, 4],
    [0, 1, 2],
  ],
  [[4, 1, 5], [1]],
  [
    [2, 3, 4, 5],
    [1, 3],
  ],
  [[3, 1031], [1]],
  [[4099, 3], [1]],
  [[0, 3], [1]],
];

function reduceCases(extra: [Shape, number[]][] = []): KernelCase<ReduceAttrs>[] {
  return [...reduceShapes, ...extra].map(([shape, axes], k) => ({ shapes: [shape], attrs: { axes, keepDims: k % 2 === 1 } }));
}

/** Reductions with an identity also reduce an empty axis (sum 0, mean NaN). */
const emptyAxis: [Shape, number[]][] = [[[3, 0], [1]]];

const argShapes: [Shape, number][] = [
  [[7], 0],
  [[1], 0],
  [[3, 5], 1],
  [[3, 5], 0],
  [[2, 3, 4], 1],
  [[4, 1, 5], 1],
  [[3, 1031], 1],
  [[4099, 3], 1],
  [[0, 3], 1],
];

const argCases: KernelCase<ArgReduceAttrs>[] = argShapes.flatMap(([shape, axis], k) => [
  { shapes: [shape], attrs: { axis, keepDims: k % 2 === 0 } },
  // Few distinct values, so that ties occur and the first index must win.
  { shapes: [shape], attrs: { axis, keepDims: k % 2 === 1 }, domains: [{ choices: [-1, 0, 1] }] },
]);

// biome-ignore format: a case table, one case a line
const varCases: KernelCase<VarAttrs>[] = [
  ...reduceCases(emptyAxis).map((c, k) => ({ ...c, attrs: { ...c.attrs, correction: k % 3 === 0 ? 1 : 0 } })),
  // A sample variance of one element divides 0 by 0: NaN, as in torch.
  { shapes: [[3, 1]], attrs: { axes: [1], keepDims: false, correction: 1 } },
];

// ---------------------------------------------------------------------------------------------
// The kernels

export const reduceKernels = {
  /** sum(x, axes)[o] = Σ_{r} x[o, r] over the reduced subspace r (0 when it is empty). */
  sum: reduceKernel('sum', (code) => ['let s = 0.0;', ...code.loop('v', ['s += v;']), 'return s;'], sumOf, false, reduceCases(emptyAxis), 'sum'),
  /** mean(x, axes)[o] = (1/N) Σ_{r} x[o, r], N the subspace size (NaN when N = 0). */
  mean: reduceKernel('mean', (code) => [...meanLines(code, 'm', 'v'), 'return m;'], meanOf, false, reduceCases(emptyAxis), 'mean'),
  /** max(x, axes)[o] = max_{r} x[o, r]. */
  max: reduceKernel('max', (code) => [...extremumLines(code, 'm', 'max', 'v'), 'return m;'], maxOf, true, reduceCases(), 'max'),
  /** min(x, axes)[o] = min_{r} x[o, r]. */
  min: reduceKernel('min', (code) => [...extremumLines(code, 'm', 'min', 'v'), 'return m;'], minOf, true, reduceCases(), 'min'),
  /**
   * var(x, axes)[o] = Σ_{r} (x[o, r] - mean)² / max(0, N - correction), like torch.var: two
   * passes (the mean, then squared deviations), which avoids the cancellation of E[x²] - E[x]².
   */
  var: defineKernel<VarAttrs>({
    arity: 1,
    outShape: (shapes, { axes, keepDims, correction }) => {
      if (!Number.isFinite(correction) || correction < 0) throw new ShapeError('var', shapes, `correction ${correction} must be a non-negative number`);
      return reducedShape('var', shapes, axes, keepDims, false);
    },
    reference: ([x], [shape], { axes, correction }) =>
      reduceReference(x, shape, axes, (values) => {
        const mean = meanOf(values);
        return sumOf(values.map((v) => (v - mean) ** 2)) / Math.max(0, values.length - correction);
      }),
    gpu: ([shape], { axes, correction }) => {
      const code = reduceCode(shape, axes);
      const lines = [
        ...meanLines(code, 'm', 'v'),
        'let ss = 0.0;',
        ...code.loop('w', ['const d = w - m;', 'ss += d * d;']),
        `return ss / ${float(Math.max(0, code.count - correction))};`,
      ];
      return { source: kernelSource(['x'], [...code.prologue, ...lines]) };
    },
    cases: varCases,
  }),
  /** logsumexp(x, axes)[o] = m + log Σ_{r} exp(x[o, r] - m), m = max_{r} x[o, r]: no overflow. */
  logsumexp: reduceKernel(
    'logsumexp',
    (code) => [...extremumLines(code, 'm', 'max', 'v'), 'let s = 0.0;', ...code.loop('w', ['s += Math.exp(w - m);']), 'return m + Math.log(s);'],
    (values) => {
      const m = maxOf(values);
      return m + Math.log(sumOf(values.map((v) => Math.exp(v - m))));
    },
    true,
    reduceCases(),
  ),
  /** argmax(x, axis)[o] = the first k with x[o, k] = max_j x[o, j], as a float32 integer. */
  argmax: argKernel('argmax', '>'),
  /** argmin(x, axis)[o] = the first k with x[o, k] = min_j x[o, j], as a float32 integer. */
  argmin: argKernel('argmin', '<'),
};
