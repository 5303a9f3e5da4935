/**
 * Real FFTs along the last axis (numpy.fft.rfft / irfft semantics) and causal convolution
 * (in causal-conv.ts). Spectra use the pair layout of complex.ts: [..., bins, 2] holding (re, im).
 *
 * The GPU.js bodies are direct DFTs, O(n) per output cell: each cell is independent, which is
 * what a GPU.js kernel can express; the CPU backends take the WebAssembly FFT fast path instead.
 * Angles are reduced exactly: the integer phase (k·t) mod n is carried incrementally (it stays an
 * exact integer in float32 below 2^24), so float32 sees only 2π·phase/n ∈ (−π, π] and large n
 * keeps its accuracy.
 */
import { formatShape, numel, ShapeError, type Shape } from './shape.ts';
import { defineKernel, type FastPathCall, type FastPathContext, type KernelCase } from './types.ts';
import { float, kernelSource } from './codegen.ts';
import { causalConv } from './causal-conv.ts';

/** Transform length: the input is zero-padded or truncated to n samples (rfft) or n/2 + 1 bins (irfft). */
export interface FftAttrs {
  n: number;
}

function checkLength(op: string, shapes: readonly Shape[], n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError(op, shapes, `n = ${n} must be a positive integer`);
}

/** Number of bins of a real signal of length n: ⌊n/2⌋ + 1. */
const binsOf = (n: number): number => Math.floor(n / 2) + 1;

/** 2π·((k·t) mod n)/n in float64, reduced exactly: the reference's angles. */
const angle = (k: number, t: number, n: number): number => (2 * Math.PI * ((k * t) % n)) / n;

/** GPU.js lines that map the integer `phase` ∈ [0, n) to the angle 2π·phase/n ∈ (−π, π]. */
const angleLines = (n: number): string[] => [
  `const centred = phase > ${float(n / 2)} ? phase - ${float(n)} : phase;`,
  `const angle = centred * ${(2 * Math.PI) / n};`,
];

/** GPU.js lines advancing `phase` by `step` modulo n (step < n, so one subtraction suffices). */
const advanceLines = (step: string, n: number): string[] => [`phase += ${step};`, `if (phase >= ${float(n)}) {`, `  phase -= ${float(n)};`, '}'];

// ---------------------------------------------------------------------------------------------
// rfft

/** GPU.js lines of the rfft sum over t < count: `term` sees `angle` = 2π·(bin·t mod n)/n. */
function dftLoop(count: number, n: number, term: string): string[] {
  const body = [...angleLines(n), term, ...advanceLines('bin', n)];
  return [`  for (let t = 0; t < ${count}; t++) {`, ...body.map((line) => `    ${line}`), '  }'];
}

function rfftFast(
  { inputs: [x], shapes: [shape], attrs: { n }, out }: FastPathCall<FftAttrs>,
  { wasm, allowAsync }: FastPathContext,
): boolean | Promise<boolean> {
  if (!wasm) return false;
  const length = shape[shape.length - 1];
  const rows = numel(shape.slice(0, -1));
  // the runtime transforms rows of exactly n samples: pad or truncate into a temporary
  const input = length === n ? x : resizeRows(x, rows, length, n);
  if (!allowAsync) {
    wasm.rfftSync(input, out, { rows, n });
    return true;
  }
  return wasm.rfft(input, out, { rows, n }).then(() => true);
}

/** Copies rows of `from` values into rows of `to` values, truncating or zero-padding each. */
function resizeRows(x: Float32Array, rows: number, from: number, to: number): Float32Array {
  const y = new Float32Array(rows * to);
  const keep = Math.min(from, to);
  for (let r = 0; r < rows; r++) y.set(x.subarray(r * from, r * from + keep), r * to);
  return y;
}

/**
 * Real DFT along the last axis, numpy.fft.rfft(x, n): x [..., L] → [..., ⌊n/2⌋+1, 2] with
 * X[k] = Σ_{t<n} x[t]·e^{−2πi·k·t/n}, x zero-padded or truncated to n samples.
 */
const rfft = defineKernel<FftAttrs>({
  arity: 1,
  outShape(shapes, { n }) {
    const [x] = shapes;
    if (x.length < 1) throw new ShapeError('rfft', shapes, 'x must have at least one axis (transformed along the last)');
    checkLength('rfft', shapes, n);
    return [...x.slice(0, -1), binsOf(n), 2];
  },
  reference([x], [shape], { n }, outShape) {
    const length = shape[shape.length - 1];
    const bins = binsOf(n);
    const rows = numel(shape.slice(0, -1));
    const out = new Float64Array(numel(outShape));
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < bins; k++) {
        let re = 0;
        let im = 0;
        for (let t = 0; t < Math.min(length, n); t++) {
          re += x[r * length + t] * Math.cos(angle(k, t, n));
          im -= x[r * length + t] * Math.sin(angle(k, t, n));
        }
        out[(r * bins + k) * 2] = re;
        out[(r * bins + k) * 2 + 1] = im;
      }
    }
    return out;
  },
  gpu([shape], { n }) {
    const length = shape[shape.length - 1];
    const cellsPerRow = binsOf(n) * 2;
    return {
      source: kernelSource(
        ['x'],
        [
          'const i = this.thread.x;',
          `const row = Math.floor(i / ${cellsPerRow});`,
          `const rest = i - row * ${cellsPerRow};`,
          'const bin = Math.floor(rest / 2);',
          'const part = rest - bin * 2;',
          `const base = row * ${length};`,
          'let acc = 0.0;',
          'let phase = 0.0;',
          // a cell is either a real or an imaginary part: one loop each, one transcendental per term
          'if (part === 0) {',
          ...dftLoop(Math.min(length, n), n, 'acc += x[base + t] * Math.cos(angle);'),
          '} else {',
          ...dftLoop(Math.min(length, n), n, 'acc -= x[base + t] * Math.sin(angle);'),
          '}',
          'return acc;',
        ],
      ),
    };
  },
  fast: rfftFast,
  // biome-ignore format: a case table, one case a line
  cases: [
    { shapes: [[1]], attrs: { n: 1 } },
    { shapes: [[7]], attrs: { n: 7 } },
    { shapes: [[2, 3, 6]], attrs: { n: 6 } },
    { shapes: [[2, 97]], attrs: { n: 97 } },
    { shapes: [[1009]], attrs: { n: 1009 } },
    { shapes: [[3, 10]], attrs: { n: 16 } },
    { shapes: [[2, 20]], attrs: { n: 12 } },
    { shapes: [[4, 1024]], attrs: { n: 1024 } },
    { shapes: [[2, 0]], attrs: { n: 4 } },
    { shapes: [[0, 8]], attrs: { n: 8 } },
  ],
});

// ---------------------------------------------------------------------------------------------
// irfft

function irfftFast(
  { inputs: [spectrum], shapes: [shape], attrs: { n }, out }: FastPathCall<FftAttrs>,
  { wasm, allowAsync }: FastPathContext,
): boolean | Promise<boolean> {
  if (!wasm) return false;
  const bins = shape[shape.length - 2];
  const rows = numel(shape.slice(0, -2));
  // the runtime reads exactly ⌊n/2⌋+1 bins per row: drop extra bins or zero-fill missing ones
  const input = bins === binsOf(n) ? spectrum : resizeRows(spectrum, rows, 2 * bins, 2 * binsOf(n));
  if (!allowAsync) {
    wasm.irfftSync(input, out, { rows, n });
    return true;
  }
  return wasm.irfft(input, out, { rows, n }).then(() => true);
}

/** The weight of bin k in the inverse of a real signal of length n: 1 for DC and Nyquist, else 2 (its mirror). */
const binWeight = (k: number, n: number): number => (k === 0 || 2 * k === n ? 1 : 2);

/**
 * Inverse real DFT along the bins axis, numpy.fft.irfft(X, n): X [..., m, 2] → [..., n] with
 * x[t] = (1/n)·Σ_{k=0}^{⌊n/2⌋} w_k·(Re X_k·cos(2πkt/n) − Im X_k·sin(2πkt/n)), w_k = 1 for k = 0
 * and k = n/2, else 2; bins past m count as zero, bins past ⌊n/2⌋ are ignored, and so are the
 * imaginary parts of DC and (n even) Nyquist, since sin vanishes there.
 */
const irfft = defineKernel<FftAttrs>({
  arity: 1,
  outShape(shapes, { n }) {
    const [spectrum] = shapes;
    if (spectrum.length < 2 || spectrum[spectrum.length - 1] !== 2 || spectrum[spectrum.length - 2] < 1) {
      throw new ShapeError('irfft', shapes, `the spectrum must be [..., bins ≥ 1, 2] (re, im), got ${formatShape(spectrum)}`);
    }
    checkLength('irfft', shapes, n);
    return [...spectrum.slice(0, -2), n];
  },
  reference([spectrum], [shape], { n }, outShape) {
    const bins = shape[shape.length - 2];
    const used = Math.min(bins, binsOf(n));
    const out = new Float64Array(numel(outShape));
    for (let r = 0; r < out.length / n; r++) {
      for (let t = 0; t < n; t++) {
        let acc = 0;
        for (let k = 0; k < used; k++) {
          const re = spectrum[(r * bins + k) * 2];
          const im = spectrum[(r * bins + k) * 2 + 1];
          acc += binWeight(k, n) * (re * Math.cos(angle(k, t, n)) - im * Math.sin(angle(k, t, n)));
        }
        out[r * n + t] = acc / n;
      }
    }
    return out;
  },
  gpu([shape], { n }) {
    const bins = shape[shape.length - 2];
    const used = Math.min(bins, binsOf(n));
    // bins 1 .. `doubled` count twice; DC, and Nyquist when n is even and present, once
    const doubled = Math.min(used - 1, Math.ceil(n / 2) - 1);
    const nyquist = n % 2 === 0 && used > n / 2;
    return {
      source: kernelSource(
        ['X'],
        [
          'const i = this.thread.x;',
          `const row = Math.floor(i / ${n});`,
          `const t = i - row * ${n};`,
          `const base = row * ${bins * 2};`,
          'let acc = 0.0;',
          'let phase = 0.0;',
          `for (let k = 1; k <= ${doubled}; k++) {`,
          ...[...advanceLines('t', n), ...angleLines(n), 'acc += X[base + k * 2] * Math.cos(angle) - X[base + k * 2 + 1] * Math.sin(angle);'].map(
            (line) => `  ${line}`,
          ),
          '}',
          'acc = X[base] + 2.0 * acc;',
          // cos(π t) = (−1)^t
          ...(nyquist ? [`acc += (t - Math.floor(t / 2) * 2 === 0 ? 1.0 : -1.0) * X[base + ${n}];`] : []),
          `return acc / ${float(n)};`,
        ],
      ),
    };
  },
  fast: irfftFast,
  cases: irfftCases(),
});

function irfftCases(): KernelCase<FftAttrs>[] {
  return [
    { shapes: [[1, 2]], attrs: { n: 1 } },
    { shapes: [[1, 2]], attrs: { n: 2 } },
    { shapes: [[4, 2]], attrs: { n: 7 } },
    { shapes: [[5, 2]], attrs: { n: 8 } },
    { shapes: [[3, 2]], attrs: { n: 8 } },
    { shapes: [[9, 2]], attrs: { n: 8 } },
    { shapes: [[2, 49, 2]], attrs: { n: 97 } },
    { shapes: [[505, 2]], attrs: { n: 1009 } },
    { shapes: [[2, 1051, 2]], attrs: { n: 2100 } },
    { shapes: [[0, 5, 2]], attrs: { n: 8 } },
  ];
}

export const fftKernels = { rfft, irfft, causalConv };
