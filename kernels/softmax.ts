/**
 * Softmax and log-softmax along one axis, fused into one kernel each: every output cell
 * rescans its slice (max, then the sum of exponentials), which keeps them one GPU.js pass; on
 * the CPU, where that rescan multiplies the work by the slice length, a fast path runs each
 * slice once: over the last axis (attention's case) in the WebAssembly runtime where it is loaded
 * (four lanes, a vectorised exp: kernels/wasm/assembly/softmax.ts), else in the loop below.
 */
import { normalizeAxis, numel, stridesOf, type Shape } from './shape.ts';
import { defineKernel, type FastPathCall, type FastPathContext, type KernelCase, type KernelSpec } from './types.ts';
import { float, kernelSource } from './codegen.ts';
import { hasRows } from './wasm/rows-jobs.ts';

/**
 * From this many elements on, a softmax over contiguous rows runs in the WebAssembly runtime:
 * the JavaScript loop's Math.exp costs about 20 ns an element, four times the wasm call's
 * copies and vector exp, which overtake the loop's fixed cost from about a hundred elements.
 */
export const SOFTMAX_WASM_MIN_ELEMENTS = 128;

/** The axis the distribution runs along; negative counts from the end. */
export interface SoftmaxAttrs {
  axis: number;
}

/** An axis of a shape seen as (outer, size, inner): element (o, j, i) sits at o·size·inner + j·inner + i. */
interface AxisView {
  size: number;
  inner: number;
  outer: number;
}

function axisView(op: string, shape: Shape, axis: number): AxisView {
  const a = normalizeAxis(op, axis, shape.length, [shape]);
  const inner = stridesOf(shape)[a];
  const size = shape[a];
  return { size, inner, outer: size * inner === 0 ? 0 : numel(shape) / (size * inner) };
}

/**
 * Slice by slice, accumulating in float64, written into `y`: the definition, and on the CPU
 * also the fast path. Each exponential is computed once and kept in `y` until the sum is known.
 */
function softmaxSlices<T extends Float64Array | Float32Array>(x: ArrayLike<number>, view: AxisView, log: boolean, y: T): T {
  const { size, inner, outer } = view;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      const end = base + size * inner;
      let max = -Infinity;
      for (let k = base; k < end; k += inner) max = Math.max(max, x[k]);
      let sum = 0;
      for (let k = base; k < end; k += inner) {
        const shifted = x[k] - max;
        const e = Math.exp(shifted);
        sum += e;
        y[k] = log ? shifted : e;
      }
      const logSum = Math.log(sum);
      const scale = 1 / sum;
      for (let k = base; k < end; k += inner) y[k] = log ? y[k] - logSum : y[k] * scale;
    }
  }
  return y;
}

function softmaxSource({ size, inner }: AxisView, log: boolean): string {
  const block = size * inner;
  return kernelSource(
    ['x'],
    [
      'const i = this.thread.x;',
      `const outer = Math.floor(i / ${block});`,
      `const rest = i - outer * ${block};`,
      `const base = outer * ${block} + rest - Math.floor(rest / ${inner}) * ${inner};`,
      // subtracting the slice maximum keeps every exponent ≤ 0: no float32 overflow
      `let m = ${float(-Infinity)};`,
      `for (let j = 0; j < ${size}; j++) {`,
      `  m = Math.max(m, x[base + j * ${inner}]);`,
      '}',
      'let s = 0.0;',
      `for (let j = 0; j < ${size}; j++) {`,
      `  s += Math.exp(x[base + j * ${inner}] - m);`,
      '}',
      log ? 'return x[i] - m - Math.log(s);' : 'return Math.exp(x[i] - m) / s;',
    ],
  );
}

/**
 * The CPU path: contiguous rows (inner = 1) to the WebAssembly runtime when it is loaded and
 * the call is large enough, anything else (a strided axis, a small call) to softmaxSlices.
 */
function softmaxFast(op: string, log: boolean) {
  return (
    { inputs: [x], shapes: [shape], attrs: { axis }, out }: FastPathCall<SoftmaxAttrs>,
    { wasm, allowAsync }: FastPathContext,
  ): boolean | Promise<boolean> => {
    const view = axisView(op, shape, axis);
    if (view.inner === 1 && out.length >= SOFTMAX_WASM_MIN_ELEMENTS && hasRows(wasm)) {
      const dims = { rows: view.outer, n: view.size };
      if (!allowAsync) return (wasm.softmaxSync(x, out, dims, log), true);
      return wasm.softmax(x, out, dims, log).then(() => true);
    }
    softmaxSlices(x, view, log, out);
    return true;
  };
}

const cases: KernelCase<SoftmaxAttrs>[] = [
  { shapes: [[1]], attrs: { axis: 0 } },
  { shapes: [[7]], attrs: { axis: -1 } },
  { shapes: [[3, 5]], attrs: { axis: 1 } },
  { shapes: [[3, 5]], attrs: { axis: 0 } },
  { shapes: [[2, 3, 4]], attrs: { axis: 1 } },
  { shapes: [[2, 3, 4]], attrs: { axis: -3 } },
  { shapes: [[2, 1031]], attrs: { axis: -1 } },
  { shapes: [[1031, 2]], attrs: { axis: 0 } },
  { shapes: [[64, 67]], attrs: { axis: -1 } },
  { shapes: [[0, 5]], attrs: { axis: 1 } },
  // values far outside float32 exp's range (and ties) prove the max shift
  { shapes: [[6, 9]], attrs: { axis: 1 }, domains: [{ choices: [-200, 0, 150, 200] }] },
  // the cases below reach the WebAssembly fast path (SOFTMAX_WASM_MIN_ELEMENTS): rows of one,
  { shapes: [[130, 1]], attrs: { axis: -1 } },
  // short odd rows (a partial vector each),
  { shapes: [[37, 7]], attrs: { axis: 1 } },
  { shapes: [[5, 3, 19]], attrs: { axis: -1 } },
  // masked entries as attention's masks give them (e^−∞ = 0),
  { shapes: [[16, 33]], attrs: { axis: -1 }, domains: [{ choices: [-Infinity, -1, 0, 2.5] }] },
  // rows all −∞: NaN, as the reference gives (−∞ − −∞),
  { shapes: [[4, 40]], attrs: { axis: -1 }, domains: [{ choices: [-Infinity] }] },
  // magnitudes near float32's limit, their differences still finite, with ties
  { shapes: [[20, 13]], attrs: { axis: -1 }, domains: [{ choices: [-1e38, -1e30, -3, 0, 1e30, 1e38] }] },
];

function softmaxKernel(op: string, log: boolean): KernelSpec<SoftmaxAttrs> {
  return defineKernel<SoftmaxAttrs>({
    arity: 1,
    outShape([x], { axis }) {
      axisView(op, x, axis);
      return x;
    },
    reference: ([x], [shape], { axis }) => softmaxSlices(x, axisView(op, shape, axis), log, new Float64Array(x.length)),
    // On the CPU the GPU.js body's per-cell rescan of its slice costs `size` times the work.
    fast: softmaxFast(op, log),
    gpu: ([shape], { axis }) => ({ source: softmaxSource(axisView(op, shape, axis), log) }),
    cases,
  });
}

export const softmaxKernels = {
  /** softmax(x)_j = exp(x_j − max x) / Σ_k exp(x_k − max x) along `axis`. */
  softmax: softmaxKernel('softmax', false),
  /** logSoftmax(x)_j = x_j − max x − log Σ_k exp(x_k − max x) along `axis`. */
  logSoftmax: softmaxKernel('logSoftmax', true),
};
