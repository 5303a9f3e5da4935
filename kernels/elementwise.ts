/**
 * Elementwise kernels: unary maps, binary maps with NumPy broadcasting, and `where`.
 * Comparisons return 1 or 0, as float32 like every other value.
 */
import { broadcastShapes, broadcastStrides, numel, sameShape, type Shape } from './shape.ts';
import { defineKernel, type KernelCase, type KernelSpec, type NumericArray } from './types.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';
import { erf, erfLines } from './math.ts';
import { binaryFast, unaryFast, whereFast } from './elementwise-fast.ts';
import type { BinaryOp, UnaryOp } from './wasm/elementwise-jobs.ts';

type NoAttrs = Record<string, never>;
const none: NoAttrs = {};

// ---------------------------------------------------------------------------------------------
// Unary

/** GPU.js statements computing a value from `v` and the expression to return. */
interface UnaryBody {
  lines?: string[];
  value: string;
}

function unaryKernel<A>(
  body: (v: string, attrs: A) => UnaryBody,
  ref: (x: number, attrs: A) => number,
  cases: KernelCase<A>[],
  /** The WebAssembly map computing the same function, if the runtime has one. */
  wasmOp?: (attrs: A) => UnaryOp,
): KernelSpec<A> {
  return defineKernel<A>({
    arity: 1,
    outShape: ([x]) => x,
    reference([x], _shapes, attrs, out) {
      const y = new Float64Array(numel(out));
      for (let i = 0; i < y.length; i++) y[i] = ref(x[i], attrs);
      return y;
    },
    gpu(_shapes, attrs) {
      const { lines = [], value } = body('v', attrs);
      return { source: kernelSource(['x'], ['const v = x[this.thread.x];', ...lines, `return ${value};`]) };
    },
    fast: unaryFast(body, wasmOp),
    cases,
  });
}

const unaryShapes: Shape[] = [[1], [7], [3, 5], [2, 3, 4], [1031], [0, 3], [4099]];
function unaryCases(domain: 'real' | 'positive' | 'unit' = 'real'): KernelCase<NoAttrs>[] {
  return unaryShapes.map((s) => ({ shapes: [s], attrs: none, domains: [domain] }));
}

function simple(expr: (v: string) => string, ref: (x: number) => number, domain: 'real' | 'positive' | 'unit' = 'real', wasmOp?: UnaryOp) {
  return unaryKernel<NoAttrs>((v) => ({ value: expr(v) }), ref, unaryCases(domain), wasmOp && (() => wasmOp));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** GELU: x Φ(x) exactly (PyTorch's default), or the tanh approximation (GPT-2, `approximate: 'tanh'`). */
export interface GeluAttrs {
  approximate: 'none' | 'tanh';
}
const geluCases: KernelCase<GeluAttrs>[] = unaryShapes.flatMap((s) => [
  { shapes: [s], attrs: { approximate: 'none' as const } },
  { shapes: [s], attrs: { approximate: 'tanh' as const } },
]);

function geluRef(x: number, { approximate }: GeluAttrs): number {
  if (approximate === 'tanh') return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x ** 3)));
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** d gelu / dx, the kernel the gelu gradient needs (Φ(x) + x φ(x), or the tanh form's derivative). */
function geluGradRef(x: number, { approximate }: GeluAttrs): number {
  if (approximate === 'tanh') {
    const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x ** 3));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
  }
  return 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
}

export const unaryKernels = {
  neg: simple(
    (v) => `-${v}`,
    (x) => -x,
    'real',
    'neg',
  ),
  exp: simple((v) => `Math.exp(${v})`, Math.exp, 'real', 'exp'),
  log: simple((v) => `Math.log(${v})`, Math.log, 'positive'),
  sqrt: simple((v) => `Math.sqrt(${v})`, Math.sqrt, 'positive', 'sqrt'),
  rsqrt: simple(
    (v) => `1.0 / Math.sqrt(${v})`,
    (x) => 1 / Math.sqrt(x),
    'positive',
    'rsqrt',
  ),
  reciprocal: simple(
    (v) => `1.0 / ${v}`,
    (x) => 1 / x,
    'positive',
    'reciprocal',
  ),
  square: simple(
    (v) => `${v} * ${v}`,
    (x) => x * x,
    'real',
    'square',
  ),
  abs: simple((v) => `Math.abs(${v})`, Math.abs, 'real', 'abs'),
  sign: simple((v) => `${v} > 0.0 ? 1.0 : (${v} < 0.0 ? -1.0 : 0.0)`, Math.sign),
  tanh: simple((v) => `Math.tanh(${v})`, Math.tanh, 'real', 'tanh'),
  // exp(-v) overflows to Infinity for v < -88 and 1 / Infinity = 0: the right limit, no NaN.
  sigmoid: simple(
    (v) => `1.0 / (1.0 + Math.exp(-${v}))`,
    (x) => 1 / (1 + Math.exp(-x)),
    'real',
    'sigmoid',
  ),
  relu: simple(
    (v) => `Math.max(${v}, 0.0)`,
    (x) => Math.max(x, 0),
    'real',
    'relu',
  ),
  silu: simple(
    (v) => `${v} / (1.0 + Math.exp(-${v}))`,
    (x) => x / (1 + Math.exp(-x)),
    'real',
    'silu',
  ),
  // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): no overflow for large x.
  softplus: simple(
    (v) => `Math.max(${v}, 0.0) + Math.log(1.0 + Math.exp(-Math.abs(${v})))`,
    (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  ),
  sin: simple((v) => `Math.sin(${v})`, Math.sin),
  cos: simple((v) => `Math.cos(${v})`, Math.cos),
  gelu: unaryKernel<GeluAttrs>(
    (v, { approximate }) =>
      approximate === 'tanh'
        ? { value: `0.5 * ${v} * (1.0 + Math.tanh(${SQRT_2_OVER_PI} * (${v} + ${GELU_CUBIC} * ${v} * ${v} * ${v})))` }
        : { lines: erfLines(`${v} * ${Math.SQRT1_2}`, 'e'), value: `0.5 * ${v} * (1.0 + e)` },
    geluRef,
    geluCases,
    ({ approximate }) => (approximate === 'tanh' ? 'geluTanh' : 'gelu'),
  ),
  geluGrad: unaryKernel<GeluAttrs>(
    (v, { approximate }) =>
      approximate === 'tanh'
        ? {
            lines: [`const t = Math.tanh(${SQRT_2_OVER_PI} * (${v} + ${GELU_CUBIC} * ${v} * ${v} * ${v}));`],
            value: `0.5 * (1.0 + t) + 0.5 * ${v} * (1.0 - t * t) * ${SQRT_2_OVER_PI} * (1.0 + ${3 * GELU_CUBIC} * ${v} * ${v})`,
          }
        : {
            lines: erfLines(`${v} * ${Math.SQRT1_2}`, 'e'),
            value: `0.5 * (1.0 + e) + ${v} * Math.exp(-0.5 * ${v} * ${v}) * ${1 / Math.sqrt(2 * Math.PI)}`,
          },
    geluGradRef,
    geluCases,
    ({ approximate }) => (approximate === 'tanh' ? 'geluGradTanh' : 'geluGrad'),
  ),
};

// ---------------------------------------------------------------------------------------------
// Binary and ternary, with broadcasting

/** Source lines that read each input at the broadcast position of output element `this.thread.x`. */
function broadcastReads(shapes: readonly Shape[], out: Shape, names: readonly string[]): string[] {
  if (shapes.every((s) => sameShape(s, out))) {
    return names.map((name, k) => `const v${k} = ${name}[this.thread.x];`);
  }
  const idx = indexNames('o', out.length);
  return [
    'const i = this.thread.x;',
    ...unravel('i', out, 'o'),
    ...names.map((name, k) => `const v${k} = ${name}[${dot(idx, broadcastStrides(shapes[k], out))}];`),
  ];
}

/** Reference loop over the broadcast output. */
function broadcastReference(inputs: readonly NumericArray[], shapes: readonly Shape[], out: Shape, f: (values: number[]) => number): Float64Array {
  const result = new Float64Array(numel(out));
  const strides = shapes.map((s) => broadcastStrides(s, out));
  const index = new Array<number>(out.length).fill(0);
  const values = new Array<number>(inputs.length);
  for (let flat = 0; flat < result.length; flat++) {
    for (let k = 0; k < inputs.length; k++) {
      let offset = 0;
      for (let a = 0; a < out.length; a++) offset += index[a] * strides[k][a];
      values[k] = inputs[k][offset];
    }
    result[flat] = f(values);
    for (let a = out.length - 1; a >= 0; a--) {
      if (++index[a] < out[a]) break;
      index[a] = 0;
    }
  }
  return result;
}

const binaryShapes: Shape[][] = [
  [[1], [1]],
  [[7], [7]],
  [
    [3, 1],
    [1, 4],
  ],
  [[2, 3, 4], [4]],
  [[], [5]],
  [
    [2, 1, 3],
    [2, 5, 1],
  ],
  [[1031], [1031]],
  [[0, 3], [3]],
  [[70, 60], [60]],
];

function binaryKernel(
  op: (a: string, b: string) => string,
  ref: (a: number, b: number) => number,
  domains: KernelCase<NoAttrs>['domains'] = ['real', 'real'],
  /** The WebAssembly map computing the same function, if the runtime has one. */
  wasmOp?: BinaryOp,
) {
  return defineKernel<NoAttrs>({
    arity: 2,
    outShape: (shapes) => broadcastShapes('binary', shapes),
    reference: (inputs, shapes, _attrs, out) => broadcastReference(inputs, shapes, out, ([a, b]) => ref(a, b)),
    gpu: (shapes, _attrs, out) => ({
      source: kernelSource(['a', 'b'], [...broadcastReads(shapes, out, ['a', 'b']), `return ${op('v0', 'v1')};`]),
    }),
    fast: binaryFast(op, wasmOp),
    cases: binaryShapes.map((shapes) => ({ shapes, attrs: none, domains })),
  });
}

/** Comparisons draw from a few values so that ties occur. */
const tieDomains: KernelCase<NoAttrs>['domains'] = [{ choices: [-1, 0, 1] }, { choices: [-1, 0, 1] }];
const compare = (op: string, ref: (a: number, b: number) => boolean) =>
  binaryKernel(
    (a, b) => `${a} ${op} ${b} ? 1.0 : 0.0`,
    (a, b) => (ref(a, b) ? 1 : 0),
    tieDomains,
  );

export const binaryKernels = {
  add: binaryKernel(
    (a, b) => `${a} + ${b}`,
    (a, b) => a + b,
    undefined,
    'add',
  ),
  sub: binaryKernel(
    (a, b) => `${a} - ${b}`,
    (a, b) => a - b,
    undefined,
    'sub',
  ),
  mul: binaryKernel(
    (a, b) => `${a} * ${b}`,
    (a, b) => a * b,
    undefined,
    'mul',
  ),
  div: binaryKernel(
    (a, b) => `${a} / ${b}`,
    (a, b) => a / b,
    ['real', 'positive'],
    'div',
  ),
  pow: binaryKernel((a, b) => `Math.pow(${a}, ${b})`, Math.pow, ['positive', 'real']),
  maximum: binaryKernel((a, b) => `Math.max(${a}, ${b})`, Math.max, undefined, 'maximum'),
  minimum: binaryKernel((a, b) => `Math.min(${a}, ${b})`, Math.min, undefined, 'minimum'),
  equal: compare('===', (a, b) => a === b),
  notEqual: compare('!==', (a, b) => a !== b),
  less: compare('<', (a, b) => a < b),
  lessEqual: compare('<=', (a, b) => a <= b),
  greater: compare('>', (a, b) => a > b),
  greaterEqual: compare('>=', (a, b) => a >= b),
  /** where(cond, a, b): a where cond is non-zero, else b. */
  where: defineKernel<NoAttrs>({
    arity: 3,
    outShape: (shapes) => broadcastShapes('where', shapes),
    reference: (inputs, shapes, _attrs, out) => broadcastReference(inputs, shapes, out, ([c, a, b]) => (c !== 0 ? a : b)),
    gpu: (shapes, _attrs, out) => ({
      source: kernelSource(['c', 'a', 'b'], [...broadcastReads(shapes, out, ['c', 'a', 'b']), 'return v0 !== 0.0 ? v1 : v2;']),
    }),
    fast: whereFast,
    // biome-ignore format: a case table, one case a line
    cases: [
      { shapes: [[5], [5], [5]], attrs: none, domains: [{ choices: [0, 1] }, 'real', 'real'] },
      { shapes: [[3, 1], [1, 4], []], attrs: none, domains: [{ choices: [0, 1] }, 'real', 'real'] },
      { shapes: [[1031], [1031], [1031]], attrs: none, domains: [{ choices: [0, 1] }, 'real', 'real'] },
    ],
  }),
};

export { broadcastReference, broadcastReads };
