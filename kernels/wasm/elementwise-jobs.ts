// Jobs of the memory-bound kernels in kernels.wasm (assembly/elementwise.ts, movement.ts,
// reduce.ts): unary and broadcast binary maps, transposes, reversed rows and sums. Like the
// other jobs (jobs.ts), each copies its inputs into the arena, says which calls each thread
// makes, and copies the result out; the fast paths of kernels/*-fast.ts call them through the
// runtime (WasmElementwise) for arrays large enough to repay the copies.

import type { Engine, Job } from './jobs.ts';
import type { WasmCall } from './pool.ts';
import { ranges, threadsFor } from './split.ts';

/** Unary maps of kernels.wasm, by registry kernel name (values: the module's op codes). */
export const UNARY_OPS = {
  neg: 0,
  exp: 1,
  sigmoid: 2,
  tanh: 3,
  silu: 4,
  gelu: 5,
  geluTanh: 6,
  geluGrad: 7,
  geluGradTanh: 8,
  relu: 9,
  abs: 10,
  square: 11,
  sqrt: 12,
  rsqrt: 13,
  reciprocal: 14,
} as const;

/** Binary maps of kernels.wasm, by registry kernel name. */
export const BINARY_OPS = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 } as const;

export type UnaryOp = keyof typeof UNARY_OPS;
export type BinaryOp = keyof typeof BINARY_OPS;

/** Work per element, in "flops", for the thread decision (exp and erf cost tens of operations). */
const UNARY_COST: Record<UnaryOp, number> = {
  neg: 1,
  exp: 24,
  sigmoid: 30,
  tanh: 30,
  silu: 30,
  gelu: 16,
  geluTanh: 36,
  geluGrad: 52,
  geluGradTanh: 44,
  relu: 1,
  abs: 1,
  square: 1,
  sqrt: 8,
  rsqrt: 10,
  reciprocal: 6,
};

/** A broadcast loop (kernels/strided.ts): dims, and each operand's element strides (non-negative). */
export interface BroadcastLoop {
  dims: readonly number[];
  strides: readonly (readonly number[])[];
}

/** A batch of 2-D transposes: out[to + r·rowStride + c] = x[from + r + c·colStride], r < rows, c < cols. */
export interface TransposeDims {
  /** (from, to) element offsets, one pair per transpose. */
  pairs: Int32Array;
  rows: number;
  cols: number;
  colStride: number;
  rowStride: number;
}

/**
 * out row r (out.length / rows floats, dstStride apart) = `before` fills, x[offset + r·srcStride ..
 * + n], `after` fills: a slice of the last axis (no fills) or its padding / unslice.
 */
export interface RowCopy {
  rows: number;
  n: number;
  offset: number;
  srcStride: number;
  before: number;
  after: number;
  fill: number;
}

/** What the runtime offers the elementwise and movement fast paths. */
export interface WasmElementwise {
  unary(op: UnaryOp, x: Float32Array, out: Float32Array): Promise<void>;
  unarySync(op: UnaryOp, x: Float32Array, out: Float32Array): void;
  binary(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, loop: BroadcastLoop): Promise<void>;
  binarySync(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, loop: BroadcastLoop): void;
  transpose(x: Float32Array, out: Float32Array, dims: TransposeDims): Promise<void>;
  transposeSync(x: Float32Array, out: Float32Array, dims: TransposeDims): void;
  /** out[r·n + i] = x[starts[r] − i]: rows of n read backwards. */
  reverseRows(x: Float32Array, out: Float32Array, starts: Int32Array, n: number): Promise<void>;
  reverseRowsSync(x: Float32Array, out: Float32Array, starts: Int32Array, n: number): void;
  /** Rows of a slice or padding of the last axis (see RowCopy), streamed on the calling thread. */
  copyRows(x: Float32Array, out: Float32Array, rows: RowCopy): Promise<void>;
  copyRowsSync(x: Float32Array, out: Float32Array, rows: RowCopy): void;
  /** out = scale · Σ over a dense x walked by `loop` (strides[0]: each axis's output stride, 0 when reduced). */
  sum(x: Float32Array, out: Float32Array, loop: BroadcastLoop, scale: number): Promise<void>;
  sumSync(x: Float32Array, out: Float32Array, loop: BroadcastLoop, scale: number): void;
}

/** Whether the loaded runtime has the elementwise kernels (a module built before them has not). */
export function hasElementwise<T extends object>(wasm: T | null): wasm is T & WasmElementwise {
  return wasm !== null && typeof (wasm as Partial<WasmElementwise>).unary === 'function';
}

/** Floats an operand spans in a loop: 1 + Σ (dim − 1)·stride. */
function extent(dims: readonly number[], strides: readonly number[]): number {
  return dims.some((d) => d === 0) ? 0 : 1 + dims.reduce((s, d, a) => s + (d - 1) * strides[a], 0);
}

const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** Largest entry (no spread: the arrays can be long). */
function largest(values: Int32Array, step = 1): number {
  let m = 0;
  for (let i = 0; i < values.length; i += step) m = Math.max(m, values[i]);
  return m;
}

export function unaryJob(engine: Engine, op: UnaryOp, x: Float32Array, out: Float32Array, maxThreads: number): Job {
  const { arena } = engine;
  const n = out.length;
  const threads = threadsFor(n * UNARY_COST[op], maxThreads);
  const [xPtr, outPtr] = arena.layout([n * 4, n * 4]);
  arena.write(xPtr, x.subarray(0, n));
  const calls = ranges(n, threads, 4).map(([s, e]) => (e > s ? [{ fn: 'unaryRange', args: [UNARY_OPS[op], xPtr, outPtr, s, e] }] : []));
  return { phases: [calls], finish: () => arena.read(outPtr, out) };
}

export function binaryJob(engine: Engine, op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, loop: BroadcastLoop, maxThreads: number): Job {
  const { arena } = engine;
  const dims = loop.dims.length ? loop.dims : [1];
  const [sa, sb] = loop.dims.length ? loop.strides : [[0], [0]];
  const total = product(dims);
  const n = dims[dims.length - 1];
  const rows = total / n;
  const [aLen, bLen] = [extent(dims, sa), extent(dims, sb)];
  const desc = Int32Array.from([...dims, ...sa, ...sb]);
  const [aPtr, bPtr, outPtr, descPtr] = arena.layout([aLen * 4, bLen * 4, total * 4, desc.length * 4]);
  arena.write(aPtr, a.subarray(0, aLen));
  arena.write(bPtr, b.subarray(0, bLen));
  arena.write(descPtr, desc);
  const threads = threadsFor(total * 4, maxThreads);
  const call = (r0: number, r1: number, c0: number, c1: number): WasmCall[] =>
    r1 > r0 && c1 > c0 ? [{ fn: 'binaryRows', args: [BINARY_OPS[op], aPtr, bPtr, outPtr, descPtr, dims.length, r0, r1, c0, c1] }] : [];
  // Rows to each thread when there are enough of them, else columns of the one row.
  const calls = rows >= threads ? ranges(rows, threads).map(([r0, r1]) => call(r0, r1, 0, n)) : ranges(n, threads, 4).map(([c0, c1]) => call(0, rows, c0, c1));
  return { phases: [calls], finish: () => arena.read(outPtr, out.subarray(0, total)) };
}

/** Rows per transpose unit: the tile of assembly/movement.ts. */
const TILE = 64;

export function transposeJob(engine: Engine, x: Float32Array, out: Float32Array, d: TransposeDims, maxThreads: number): Job {
  const { arena } = engine;
  const xLen = largest(d.pairs, 2) + (d.rows - 1) + (d.cols - 1) * d.colStride + 1;
  const outLen = out.length;
  const [xPtr, outPtr, pairsPtr] = arena.layout([xLen * 4, outLen * 4, d.pairs.length * 4]);
  arena.write(xPtr, x.subarray(0, xLen));
  arena.write(pairsPtr, d.pairs);
  const units = (d.pairs.length / 2) * Math.ceil(d.rows / TILE);
  const threads = threadsFor(outLen * 4, Math.min(maxThreads, units));
  const calls = ranges(units, threads).map(([u0, u1]) =>
    u1 > u0 ? [{ fn: 'transposeUnits', args: [xPtr, outPtr, pairsPtr, d.rows, d.cols, d.colStride, d.rowStride, u0, u1] }] : [],
  );
  return { phases: [calls], finish: () => arena.read(outPtr, out) };
}

export function reverseRowsJob(engine: Engine, x: Float32Array, out: Float32Array, starts: Int32Array, n: number, maxThreads: number): Job {
  const { arena } = engine;
  const rows = starts.length;
  const xLen = largest(starts) + 1;
  const [xPtr, outPtr, startsPtr] = arena.layout([xLen * 4, rows * n * 4, rows * 4]);
  arena.write(xPtr, x.subarray(0, xLen));
  arena.write(startsPtr, starts);
  const threads = threadsFor(rows * n * 4, Math.min(maxThreads, rows));
  const calls = ranges(rows, threads).map(([r0, r1]) => (r1 > r0 ? [{ fn: 'reverseRows', args: [xPtr, outPtr, startsPtr, n, r0, r1] }] : []));
  return { phases: [calls], finish: () => arena.read(outPtr, out.subarray(0, rows * n)) };
}

/** One thread: the accumulators of different rows may be the same, so rows are not split. */
export function sumJob(engine: Engine, x: Float32Array, out: Float32Array, loop: BroadcastLoop, scale: number): Job {
  const { arena } = engine;
  const dims = loop.dims.length ? loop.dims : [1];
  const steps = loop.dims.length ? loop.strides[0] : [0];
  const total = product(dims);
  const n = dims[dims.length - 1];
  const count = out.length;
  const desc = Int32Array.from([...dims, ...steps]);
  const [xPtr, accPtr, descPtr] = arena.layout([total * 4, count * 8, desc.length * 4]);
  arena.write(xPtr, x.subarray(0, total));
  arena.write(descPtr, desc);
  arena.f32().fill(0, accPtr / 4, accPtr / 4 + 2 * count);
  const calls = total > 0 ? [[{ fn: 'sumRows', args: [xPtr, accPtr, descPtr, dims.length, 0, total / n] }]] : [[]];
  return {
    phases: [calls],
    finish: () => {
      const acc = new Float64Array(arena.memory.buffer, accPtr, count);
      for (let i = 0; i < count; i++) out[i] = acc[i] * scale;
    },
  };
}

// ---- Streamed calls: for the memory-bound maps, chunks that stay in cache
//
// A whole-array job copies each input into the arena and the result out, tripling the memory
// traffic of a map that reads two arrays and writes one; arrays of tens of MiB then spend most
// of their time in DRAM. Streamed, the calling thread copies a chunk of rows in, maps it and
// copies it out while it is still in L2, so DRAM sees each array once.

/** Elements per operand and chunk: three 64 KiB buffers stay in a 1 MiB L2. */
export const CHUNK = 16384;
/** Operands up to this many floats that do not follow the output's layout are copied in whole. */
const WHOLE_OPERAND = 1 << 18;

type Exports = Record<string, (...args: number[]) => void>;

/** Whether an operand's strides are the output's own (it can be cut into the same chunks). */
function dense(dims: readonly number[], strides: readonly number[]): boolean {
  let s = 1;
  for (let a = dims.length - 1; a >= 0; a--) {
    if (strides[a] !== s) return false;
    s *= dims[a];
  }
  return true;
}

/** The chunks of a loop of `rows` rows of n: [r0, r1, c0, c1] row ranges, or column ranges of one row. */
function* chunks(rows: number, n: number): Generator<[number, number, number, number]> {
  if (n >= CHUNK) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < n; c += CHUNK) yield [r, r + 1, c, Math.min(n, c + CHUNK)];
    return;
  }
  const step = Math.max(1, Math.floor(CHUNK / n));
  for (let r = 0; r < rows; r += step) yield [r, Math.min(rows, r + step), 0, n];
}

/**
 * A broadcast binary map streamed through the arena, when each operand either follows the
 * output's layout or is small enough to copy whole; false otherwise (use binaryJob).
 */
export function streamBinary(engine: Engine, op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, loop: BroadcastLoop): boolean {
  const dims = loop.dims.length ? loop.dims : [1];
  const strides = loop.dims.length ? loop.strides : [[0], [0]];
  const operands = [a, b].map((data, k) => ({ data, full: dense(dims, strides[k]), length: extent(dims, strides[k]) }));
  if (operands.some((o) => !o.full && o.length > WHOLE_OPERAND)) return false;
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const n = dims[dims.length - 1];
  const rows = product(dims) / n;
  const chunk = Math.min(product(dims), n >= CHUNK ? CHUNK : Math.max(1, Math.floor(CHUNK / n)) * n);
  const desc = Int32Array.from([...dims, ...strides[0], ...strides[1]]);
  const sizes = operands.map((o) => (o.full ? chunk : o.length) * 4);
  const [aPtr, bPtr, outPtr, descPtr] = arena.layout([...sizes, chunk * 4, desc.length * 4]);
  const ptrs = [aPtr, bPtr];
  arena.write(descPtr, desc);
  operands.forEach((o, k) => o.full || arena.write(ptrs[k], o.data.subarray(0, o.length)));
  const heap = arena.f32();
  for (const [r0, r1, c0, c1] of chunks(rows, n)) {
    const e0 = r0 * n + c0;
    const count = (r1 - r0 - 1) * n + (c1 - c0);
    // A chunked operand's pointer is shifted back by the chunk's first element (modulo 2^32),
    // so that the kernel's own row arithmetic lands on the chunk.
    const base = operands.map((o, k) => {
      if (!o.full) return ptrs[k];
      heap.set(o.data.subarray(e0, e0 + count), ptrs[k] / 4);
      return (ptrs[k] - e0 * 4) | 0;
    });
    exports.binaryRows(BINARY_OPS[op], base[0], base[1], (outPtr - e0 * 4) | 0, descPtr, dims.length, r0, r1, c0, c1);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + count), e0);
  }
  return true;
}

/**
 * Whether a unary map streams (one thread, in cache) rather than running threaded over the
 * whole array: the cheap ones are memory-bound, the ones with exp and erf compute-bound.
 */
export function streamsUnary(op: UnaryOp): boolean {
  return UNARY_COST[op] <= STREAM_MAX_COST;
}

/** Unary maps costing up to this per element stream (GELU's erf without exp included). */
const STREAM_MAX_COST = 16;

/** A unary map streamed through the arena. */
export function streamUnary(engine: Engine, op: UnaryOp, x: Float32Array, out: Float32Array): void {
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const total = out.length;
  const chunk = Math.min(total, CHUNK);
  const [xPtr, outPtr] = arena.layout([chunk * 4, chunk * 4]);
  const heap = arena.f32();
  for (let s = 0; s < total; s += chunk) {
    const e = Math.min(total, s + chunk);
    heap.set(x.subarray(s, e), xPtr / 4);
    exports.unaryRange(UNARY_OPS[op], xPtr, outPtr, 0, e - s);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + e - s), s);
  }
}

/** Reversed rows streamed through the arena, when row r starts at r·n + n − 1 (a flip of the last axis); false otherwise. */
export function streamReverseRows(engine: Engine, x: Float32Array, out: Float32Array, starts: Int32Array, n: number): boolean {
  const rows = starts.length;
  for (let r = 0; r < rows; r++) if (starts[r] !== r * n + n - 1) return false;
  if (n > CHUNK) return false;
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const step = Math.max(1, Math.floor(CHUNK / n));
  const local = Int32Array.from({ length: step }, (_, r) => r * n + n - 1);
  const [xPtr, outPtr, startsPtr] = arena.layout([step * n * 4, step * n * 4, step * 4]);
  arena.write(startsPtr, local);
  const heap = arena.f32();
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    heap.set(x.subarray(r0 * n, r1 * n), xPtr / 4);
    exports.reverseRows(xPtr, outPtr, startsPtr, n, 0, r1 - r0);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + (r1 - r0) * n), r0 * n);
  }
  return true;
}

/** sumJob streamed: chunks of input rows into the arena, the accumulators staying there. */
export function streamSum(engine: Engine, x: Float32Array, out: Float32Array, loop: BroadcastLoop, scale: number): void {
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const dims = loop.dims.length ? loop.dims : [1];
  const steps = loop.dims.length ? loop.strides[0] : [0];
  const n = dims[dims.length - 1];
  const rows = product(dims) / n;
  const count = out.length;
  const step = n >= CHUNK ? 1 : Math.max(1, Math.floor(CHUNK / n));
  const desc = Int32Array.from([...dims, ...steps]);
  const [xPtr, accPtr, descPtr] = arena.layout([step * n * 4, count * 8, desc.length * 4]);
  arena.write(descPtr, desc);
  const heap = arena.f32();
  heap.fill(0, accPtr / 4, accPtr / 4 + 2 * count);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    heap.set(x.subarray(r0 * n, r1 * n), xPtr / 4);
    exports.sumRows((xPtr - r0 * n * 4) | 0, accPtr, descPtr, dims.length, r0, r1);
  }
  const acc = new Float64Array(arena.memory.buffer, accPtr, count);
  for (let i = 0; i < count; i++) out[i] = acc[i] * scale;
}

/** Rows copied through the arena in chunks (RowCopy). */
export function streamCopyRows(engine: Engine, x: Float32Array, out: Float32Array, c: RowCopy): void {
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const width = c.before + c.n + c.after;
  const step = Math.max(1, Math.floor(CHUNK / Math.max(width, c.srcStride)));
  const [xPtr, outPtr] = arena.layout([((step - 1) * c.srcStride + c.n) * 4, step * width * 4]);
  const heap = arena.f32();
  for (let r0 = 0; r0 < c.rows; r0 += step) {
    const r1 = Math.min(c.rows, r0 + step);
    const from = c.offset + r0 * c.srcStride;
    heap.set(x.subarray(from, from + (r1 - r0 - 1) * c.srcStride + c.n), xPtr / 4);
    exports.copyRows(xPtr, outPtr, r1 - r0, c.n, c.srcStride, width, c.before, c.after, c.fill);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + (r1 - r0) * width), r0 * width);
  }
}
