// The row-wise kernels of kernels.wasm: softmax and log-softmax (assembly/softmax.ts), layer
// and RMS norm (assembly/norm.ts) of contiguous rows, streamed like the memory-bound maps
// (elementwise-jobs.ts): the calling thread copies a chunk of rows into the arena, runs them
// and copies them out while they are still in cache, so memory sees the input once and the
// output once.

import type { Engine } from './jobs.ts';
import { CHUNK } from './elementwise-jobs.ts';

/** Rows of a row-wise kernel: x [rows, n], row-major, normalised along n. */
export interface RowsDims {
  rows: number;
  n: number;
}

/** Per-feature parameters of a norm: weight [n], and bias [n] for layer norm (null: RMS norm). */
export interface NormParams {
  weight: Float32Array;
  bias: Float32Array | null;
  eps: number;
}

/** What the runtime offers the softmax and norm fast paths. */
export interface WasmRows {
  /** Softmax (log-softmax when `log`) of each row of x [rows, n] into out. */
  softmax(x: Float32Array, out: Float32Array, dims: RowsDims, log: boolean): Promise<void>;
  softmaxSync(x: Float32Array, out: Float32Array, dims: RowsDims, log: boolean): void;
  /** Layer norm (a bias given) or RMS norm (bias null) of each row of x [rows, n] into out. */
  norm(x: Float32Array, out: Float32Array, dims: RowsDims, params: NormParams): Promise<void>;
  normSync(x: Float32Array, out: Float32Array, dims: RowsDims, params: NormParams): void;
}

/** Whether the loaded runtime has the row kernels (a module built before them has not). */
export function hasRows<T extends object>(wasm: T | null): wasm is T & WasmRows {
  return wasm !== null && typeof (wasm as Partial<WasmRows>).norm === 'function';
}

type Exports = Record<string, (...args: number[]) => void>;

/**
 * Bytes past each region that a row's last partial vector may read (it is masked): a region
 * whose size is a multiple of the arena's alignment would otherwise end at the next one, or
 * at the end of the memory.
 */
const OVERREAD = 16;

/** Rows of x [rows, n] streamed through the arena, whole rows per chunk (one row when n > CHUNK). */
export function streamSoftmax(engine: Engine, x: Float32Array, out: Float32Array, { rows, n }: RowsDims, log: boolean): void {
  if (rows === 0 || n === 0) return;
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const step = Math.max(1, Math.floor(CHUNK / n));
  const [xPtr, outPtr] = arena.layout([step * n * 4 + OVERREAD, step * n * 4 + OVERREAD]);
  const heap = arena.f32();
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    heap.set(x.subarray(r0 * n, r1 * n), xPtr / 4);
    exports.softmaxRows(log ? 1 : 0, xPtr, outPtr, n, 0, r1 - r0);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + (r1 - r0) * n), r0 * n);
  }
}

/** Rows of x [rows, n] normalised through the arena in chunks, the parameters copied in once. */
export function streamNorm(engine: Engine, x: Float32Array, out: Float32Array, { rows, n }: RowsDims, { weight, bias, eps }: NormParams): void {
  if (rows === 0 || n === 0) return;
  const { arena } = engine;
  const exports = engine.exports as unknown as Exports;
  const step = Math.max(1, Math.floor(CHUNK / n));
  const sizes = [step * n * 4 + OVERREAD, step * n * 4 + OVERREAD, n * 4 + OVERREAD, bias ? n * 4 + OVERREAD : 0];
  const [xPtr, outPtr, wPtr, bPtr] = arena.layout(sizes);
  const heap = arena.f32();
  heap.set(weight.subarray(0, n), wPtr / 4);
  if (bias) heap.set(bias.subarray(0, n), bPtr / 4);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    heap.set(x.subarray(r0 * n, r1 * n), xPtr / 4);
    exports.normRows(bias ? 1 : 0, xPtr, wPtr, bPtr, outPtr, n, 0, r1 - r0, eps);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + (r1 - r0) * n), r0 * n);
  }
}
