// The operations and sizes of the kernel benchmark: for each case, its kernel call, the 1/slice
// part used to estimate slow contenders, a float64 reference on a sample (from the kernel's own
// registry reference, the definition of the kernel), and the same call for the peers.

import { kernelSpec } from '../../kernels/index.ts';
import { random, relativeError } from '../harness.ts';
import type { NumpyPeer } from '../peers/numpy.ts';
import type { TfjsPeer } from '../peers/tfjs.ts';
import type { PeerResult, TimingOptions } from '../peers/timing.ts';
import type { KernelCall } from './contenders.ts';

/** The benchmark's operations, by kernel name. */
export type OpName = 'matmul' | 'causalConv' | 'softmax' | 'layerNorm';

/** Float64 reference values at output `indices[i]`, or at output i when there are no indices. */
export interface Sample {
  indices?: number[];
  values: ArrayLike<number>;
}

export interface OpCase {
  full: KernelCall;
  /** The leading 1/slice of the case (rows of a matmul, one batch element of a convolution). */
  part: KernelCall;
  slice: number;
  /** Also time the served path with a fresh output per call. */
  reuse: boolean;
  flops?: number;
  bytes?: number;
  /** Computes the float64 reference on a sample of the outputs. */
  sample(): Sample;
  /** The same call by a peer; unsupported where the peer lacks the op. */
  peer(p: TfjsPeer | NumpyPeer, slice: boolean, opts: TimingOptions): Promise<PeerResult>;
}

export interface OpSpec {
  name: OpName;
  title: string;
  /** A line under the title. */
  note?: string;
  /** The figure its table shows. */
  unit: 'gflops' | 'ms' | 'gbps';
  cases: Array<{ label: string; make(): OpCase }>;
}

/**
 * Validates a contender's output (the full case, or its leading part when `sliced`) against the
 * float64 sample and, in full, against our fast path's output (itself checked against the
 * sample) where there is one.
 */
export function checker(sample: Sample, ours: Float32Array | null, fullLength: number, partLength: number, tolerance: number) {
  return (out: Float32Array, sliced: boolean): string => {
    const n = sliced ? partLength : fullLength;
    if (out.length !== n) return `MISMATCH (${out.length} outputs, expected ${n})`;
    let err = 0;
    let scale = 1e-30;
    for (let s = 0; s < sample.values.length; s++) {
      const i = sample.indices ? sample.indices[s] : s;
      if (i >= n) continue; // outside the slice
      err = Math.max(err, Math.abs(out[i] - sample.values[s]));
      scale = Math.max(scale, Math.abs(sample.values[s]));
    }
    const referenceError = err / scale; // NaN, which fails, when an output is NaN
    const oursError = ours ? relativeError(out, ours.subarray(0, n)) : 0;
    if (referenceError <= tolerance && oursError <= tolerance) return 'ok';
    return `MISMATCH (relative error ${referenceError.toExponential(1)} against the float64 reference, ${oursError.toExponential(1)} against ours)`;
  };
}

const reference = (call: KernelCall) => kernelSpec(call.name).reference(call.inputs, call.shapes, call.attrs as never, call.outShape);

const notOffered = (p: { name: string }, op: string): Promise<PeerResult> => Promise.resolve({ unsupported: `the ${p.name} peer does not offer ${op}` });

/** out [m, n] = a [m, k] · b [k, n]; the reference covers rows 0, 1, m/2 and m - 1. */
function matmulCase(m: number, k: number, n: number, reuse: boolean): OpCase {
  const a = random(m * k, m + k);
  const b = random(k * n, k + n);
  const slice = 16;
  const rows = m / slice;
  const attrs = { transA: false, transB: false };
  const call = (rowsOfA: number): KernelCall => ({
    name: 'matmul',
    inputs: [a.subarray(0, rowsOfA * k), b],
    shapes: [
      [rowsOfA, k],
      [k, n],
    ],
    attrs,
    outShape: [rowsOfA, n],
  });
  return {
    full: call(m),
    part: call(rows),
    slice,
    reuse,
    flops: 2 * m * k * n,
    sample() {
      const indices: number[] = [];
      const values: number[] = [];
      for (const i of new Set([0, 1, m >> 1, m - 1])) {
        const row = reference({
          name: 'matmul',
          inputs: [a.subarray(i * k, (i + 1) * k), b],
          shapes: [
            [1, k],
            [k, n],
          ],
          attrs,
          outShape: [1, n],
        });
        row.forEach((v, j) => (indices.push(i * n + j), values.push(v)));
      }
      return { indices, values };
    },
    peer: (p, sliced, opts) => p.matmul(sliced ? a.subarray(0, rows * k) : a, b, { m: sliced ? rows : m, k, n }, opts),
  };
}

/** y [B, H, L] = causal convolution of u [B, H, L] with k [H, L]; the reference covers the first and last rows. */
function convCase(batch: number, heads: number, length: number): OpCase {
  const rows = batch * heads;
  const u = random(rows * length, length);
  // A decaying kernel, like an S4 kernel, keeps the outputs' magnitudes comparable.
  const k = random(heads * length, length + 1).map((v, i) => v * Math.exp(-(i % length) / 256));
  const call = (b: number): KernelCall => ({
    name: 'causalConv',
    inputs: [u.subarray(0, b * heads * length), k],
    shapes: [
      [b, heads, length],
      [heads, length],
    ],
    attrs: {},
    outShape: [b, heads, length],
  });
  return {
    full: call(batch),
    part: call(1),
    slice: batch,
    reuse: true,
    sample() {
      const indices: number[] = [];
      const values: number[] = [];
      for (const r of [0, rows - 1]) {
        const kr = r % heads;
        const y = reference({
          name: 'causalConv',
          inputs: [u.subarray(r * length, (r + 1) * length), k.subarray(kr * length, (kr + 1) * length)],
          shapes: [[length], [length]],
          attrs: {},
          outShape: [length],
        });
        y.forEach((v, l) => (indices.push(r * length + l), values.push(v)));
      }
      return { indices, values };
    },
    peer: (p, sliced, opts) => p.causalConv(sliced ? u.subarray(0, heads * length) : u, k, { rows: sliced ? heads : rows, length, kernelRows: heads }, opts),
  };
}

/** Every output of x [rows, cols] against the float64 reference (cheap for these ops). */
function fullSample(call: KernelCall): Sample {
  return { values: reference(call) };
}

/** softmax over the last axis of x [rows, cols]; read x, write y. */
function softmaxCase(rows: number, cols: number, slice: number): OpCase {
  const x = random(rows * cols, rows + cols).map((v) => 4 * v); // exponents spread over e^±4
  const call = (r: number): KernelCall => ({
    name: 'softmax',
    inputs: [x.subarray(0, r * cols)],
    shapes: [[r, cols]],
    attrs: { axis: -1 },
    outShape: [r, cols],
  });
  return {
    full: call(rows),
    part: call(rows / slice),
    slice,
    reuse: false,
    bytes: 2 * 4 * rows * cols,
    sample: () => fullSample(call(rows)),
    peer: (p, sliced, opts) => {
      if (!('softmax' in p)) return notOffered(p, 'softmax');
      const r = sliced ? rows / slice : rows;
      return p.softmax(x.subarray(0, r * cols), { rows: r, cols }, opts);
    },
  };
}

/** layerNorm of x [rows, cols] with weight and bias [cols]; read x, weight, bias, write y. */
function layerNormCase(rows: number, cols: number, slice: number): OpCase {
  const x = random(rows * cols, rows + cols);
  const w = random(cols, 7).map((v) => 1 + v / 2);
  const b = random(cols, 11);
  const eps = 1e-5;
  const call = (r: number): KernelCall => ({
    name: 'layerNorm',
    inputs: [x.subarray(0, r * cols), w, b],
    shapes: [[r, cols], [cols], [cols]],
    attrs: { eps },
    outShape: [r, cols],
  });
  return {
    full: call(rows),
    part: call(rows / slice),
    slice,
    reuse: false,
    bytes: 4 * (2 * rows * cols + 2 * cols),
    sample: () => fullSample(call(rows)),
    peer: (p, sliced, opts) => {
      if (!('layerNorm' in p)) return notOffered(p, 'layerNorm');
      const r = sliced ? rows / slice : rows;
      return p.layerNorm(x.subarray(0, r * cols), w, b, { rows: r, cols, eps }, opts);
    },
  };
}

/** The row kernels' note: what serves on the CPU and why their GPU.js bodies are slow there. */
const ROW_KERNEL =
  'the CPU backends serve WebAssembly SIMD row kernels (a row loop without the runtime); the GPU.js body (used on GPUs) rescans the row for every output cell';

/** The operations and sizes; `quick` is a smoke check's small set. */
export function opSpecs(quick: boolean): OpSpec[] {
  const square = quick ? [256, 512] : [256, 512, 1024];
  const shapes: Array<[number, number, number]> = [
    ...square.map((s): [number, number, number] => [s, s, s]),
    ...(quick
      ? []
      : ([
          [4096, 384, 1536],
          [4096, 1536, 384],
        ] as Array<[number, number, number]>)),
  ];
  const conv = quick ? { batch: 2, heads: 16, lengths: [1024] } : { batch: 16, heads: 64, lengths: [1024, 4096, 16384] };
  // The fused GPU.js bodies rescan their row per output cell: O(cols) work per element, so the
  // same element count is timed at a narrow and a wide row (rows, cols, slice), cheap case first.
  const rowwise: Array<[number, number, number]> = quick
    ? [[1024, 256, 16]]
    : [
        [65536, 64, 16],
        [4096, 1024, 256],
      ];
  return [
    {
      name: 'matmul',
      title: 'matmul, M x K . K x N',
      unit: 'gflops',
      cases: shapes.map(([m, k, n]) => ({ label: `${m}x${k}x${n}`, make: () => matmulCase(m, k, n, m * n >= (quick ? 512 * 512 : 1024 * 1024)) })),
    },
    {
      name: 'causalConv',
      title: `causal convolution (FFT on the fast path), u [B=${conv.batch}, H=${conv.heads}, L] * k [${conv.heads}, L]`,
      unit: 'ms',
      cases: conv.lengths.map((length) => ({ label: `L=${length}`, make: () => convCase(conv.batch, conv.heads, length) })),
    },
    {
      name: 'softmax',
      title: 'softmax over the last axis of x [rows, cols]',
      note: ROW_KERNEL,
      unit: 'gbps',
      cases: rowwise.map(([rows, cols, slice]) => ({ label: `${rows}x${cols}`, make: () => softmaxCase(rows, cols, slice) })),
    },
    {
      name: 'layerNorm',
      title: 'layerNorm over the last axis of x [rows, cols], weight and bias [cols]',
      note: ROW_KERNEL,
      unit: 'gbps',
      cases: rowwise.map(([rows, cols, slice]) => ({ label: `${rows}x${cols}`, make: () => layerNormCase(rows, cols, Math.min(slice, 16)) })),
    },
  ];
}
