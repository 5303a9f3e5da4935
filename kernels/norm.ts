/**
 * Layer norm and RMS norm over the last axis, fused: each output cell recomputes its row's
 * statistics, so one GPU.js pass produces the normalised, scaled (and shifted) values. That
 * rescan is cheap on a GPU and D times the work on a CPU, where a fast path runs the rows once:
 * in the WebAssembly runtime where it is loaded (four lanes, float64 statistics:
 * kernels/wasm/assembly/norm.ts), else in the loops below.
 */
import { formatShape, ShapeError, type Shape } from './shape.ts';
import { defineKernel, type FastPathCall, type FastPathContext, type KernelCase, type NumericArray } from './types.ts';
import { float, kernelSource } from './codegen.ts';
import { hasRows } from './wasm/rows-jobs.ts';

/**
 * From this many elements on, the norms run in the WebAssembly runtime: the JavaScript loops
 * take about 7 ns an element, the wasm rows about 1 plus a call's fixed cost of about a µs.
 */
export const NORM_WASM_MIN_ELEMENTS = 256;

/** `eps` is added to the variance (or mean square) before the square root. */
export interface NormAttrs {
  eps: number;
}

/** Checks x [..., D] against the per-feature parameters [D]; returns D. */
function checkParams(op: string, shapes: readonly Shape[], names: readonly string[], { eps }: NormAttrs): number {
  const [x, ...params] = shapes;
  if (x.length < 1) throw new ShapeError(op, shapes, 'x must have at least one axis (normalised over the last)');
  const d = x[x.length - 1];
  params.forEach((p, i) => {
    if (p.length !== 1 || p[0] !== d) {
      throw new ShapeError(op, shapes, `${names[i]} must have shape [${d}] to match x's last axis, got ${formatShape(p)}`);
    }
  });
  if (!(eps >= 0)) throw new ShapeError(op, shapes, `eps must be a non-negative number, got ${eps}`);
  return d;
}

const EPS = 1e-5;

/** Writable output of the row loops: the reference's Float64Array or a fast path's Float32Array. */
type Output = Float64Array | Float32Array;

/** Row statistics in float64, written into `y`: the definition, and on the CPU also the fast path. */
function layerNormRows<T extends Output>([x, w, b]: readonly NumericArray[], d: number, eps: number, y: T): T {
  for (let base = 0; base < x.length; base += d) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[base + j];
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) variance += (x[base + j] - mean) ** 2;
    variance /= d;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < d; j++) y[base + j] = (x[base + j] - mean) * inv * w[j] + b[j];
  }
  return y;
}

function rmsNormRows<T extends Output>([x, w]: readonly NumericArray[], d: number, eps: number, y: T): T {
  for (let base = 0; base < x.length; base += d) {
    let sumSquares = 0;
    for (let j = 0; j < d; j++) sumSquares += x[base + j] ** 2;
    const inv = 1 / Math.sqrt(sumSquares / d + eps);
    for (let j = 0; j < d; j++) y[base + j] = x[base + j] * inv * w[j];
  }
  return y;
}

/**
 * The CPU path of both norms: the WebAssembly rows when the runtime is loaded and the call is
 * large enough, else the reference's loop into `out`.
 */
function normFast(layer: boolean) {
  return ({ inputs, shapes: [x], attrs: { eps }, out }: FastPathCall<NormAttrs>, { wasm, allowAsync }: FastPathContext): boolean | Promise<boolean> => {
    const n = x[x.length - 1];
    if (out.length >= NORM_WASM_MIN_ELEMENTS && hasRows(wasm)) {
      const dims = { rows: out.length / n, n };
      const params = { weight: inputs[1], bias: layer ? inputs[2] : null, eps };
      if (!allowAsync) return (wasm.normSync(inputs[0], out, dims, params), true);
      return wasm.norm(inputs[0], out, dims, params).then(() => true);
    }
    if (layer) layerNormRows(inputs, n, eps, out);
    else rmsNormRows(inputs, n, eps, out);
    return true;
  };
}

/** Lines setting `base` (the row's first element) and `col` for output cell `this.thread.x`. */
function rowLines(d: number): string[] {
  return ['const i = this.thread.x;', `const base = Math.floor(i / ${d}) * ${d};`, 'const col = i - base;'];
}

const shapesOf = (x: Shape, params: number): Shape[] => [x, ...Array.from({ length: params }, () => [x[x.length - 1]])];
const sizes: Shape[] = [[1], [7], [3, 5], [2, 3, 4], [2, 1031], [4100, 1], [70, 64], [0, 6]];
function normCases(params: number): KernelCase<NormAttrs>[] {
  return [
    ...sizes.map((x) => ({ shapes: shapesOf(x, params), attrs: { eps: EPS } })),
    // a constant row: the variance is 0 and eps alone keeps the result finite
    { shapes: shapesOf([3, 8], params), attrs: { eps: 1e-3 }, domains: [{ choices: [2] }] },
    // a large offset: the two-pass variance does not cancel catastrophically
    { shapes: shapesOf([2, 33], params), attrs: { eps: 0 }, domains: [{ choices: [100, 101, 103] }] },
    // short odd rows on the WebAssembly fast path (NORM_WASM_MIN_ELEMENTS; float32 GPU.js bodies
    // lose the cases of test/kernels/rows-fast.test.ts: offsets of 8000 σ, squares past float32)
    { shapes: shapesOf([37, 7], params), attrs: { eps: EPS } },
  ];
}

/**
 * Layer normalisation over the last axis (Ba et al. 2016): with μ and σ² the mean and population
 * variance of x[..., :], y = (x − μ) / √(σ² + eps) · weight + bias. The variance is computed in a
 * second pass over (x − μ)², which stays accurate when |μ| ≫ σ.
 */
const layerNorm = defineKernel<NormAttrs>({
  arity: 3,
  outShape(shapes, attrs) {
    checkParams('layerNorm', shapes, ['weight', 'bias'], attrs);
    return shapes[0];
  },
  reference: (inputs, [x], { eps }) => layerNormRows(inputs, x[x.length - 1], eps, new Float64Array(inputs[0].length)),
  // On the CPU the GPU.js body's per-cell rescan of its row costs D times the work: run the rows directly.
  fast: normFast(true),
  gpu([x], { eps }) {
    const d = x[x.length - 1];
    return {
      source: kernelSource(
        ['x', 'w', 'b'],
        [
          ...rowLines(d),
          'let mean = 0.0;',
          `for (let j = 0; j < ${d}; j++) {`,
          '  mean += x[base + j];',
          '}',
          `mean = mean / ${float(d)};`,
          'let variance = 0.0;',
          `for (let j = 0; j < ${d}; j++) {`,
          '  const c = x[base + j] - mean;',
          '  variance += c * c;',
          '}',
          `variance = variance / ${float(d)};`,
          `return (x[i] - mean) / Math.sqrt(variance + ${float(eps)}) * w[col] + b[col];`,
        ],
      ),
    };
  },
  cases: normCases(2),
});

/**
 * RMS normalisation over the last axis (Zhang & Sennrich 2019):
 * y = x / √(mean(x²) + eps) · weight, no centring and no bias.
 */
const rmsNorm = defineKernel<NormAttrs>({
  arity: 2,
  outShape(shapes, attrs) {
    checkParams('rmsNorm', shapes, ['weight'], attrs);
    return shapes[0];
  },
  reference: (inputs, [x], { eps }) => rmsNormRows(inputs, x[x.length - 1], eps, new Float64Array(inputs[0].length)),
  fast: normFast(false),
  gpu([x], { eps }) {
    const d = x[x.length - 1];
    return {
      source: kernelSource(
        ['x', 'w'],
        [
          ...rowLines(d),
          'let sumSquares = 0.0;',
          `for (let j = 0; j < ${d}; j++) {`,
          '  const v = x[base + j];',
          '  sumSquares += v * v;',
          '}',
          `return x[i] / Math.sqrt(sumSquares / ${float(d)} + ${float(eps)}) * w[col];`,
        ],
      ),
    };
  },
  cases: normCases(1),
});

export const normKernels = { layerNorm, rmsNorm };
