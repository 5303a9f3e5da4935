// Loads build/wasm/kernels.wasm (built by scripts/build-wasm.mjs from ./assembly) and offers
// its kernels on caller-provided Float32Arrays: CPU fast paths for matmul, real FFTs and FFT
// causal convolution, behind the same registry entries as the GPU.js kernels.
//
// Each call copies its inputs into a wasm memory used as an arena (reused across calls, grown
// when needed), runs, and copies the result into the caller's `out`. Async calls run on a pool
// of worker threads plus the calling thread over one shared memory, one call at a time; sync
// calls run on the calling thread over a second memory, so they never wait for async ones.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { Arena } from './arena.ts';
import { PlanCache } from './fft-plan.ts';
import { causalConvJob, fftJob, matmulJob } from './jobs.ts';
import {
  binaryJob,
  reverseRowsJob,
  streamBinary,
  streamCopyRows,
  streamReverseRows,
  streamSum,
  streamUnary,
  streamsUnary,
  transposeJob,
  unaryJob,
} from './elementwise-jobs.ts';
import type { BinaryOp, BroadcastLoop, RowCopy, TransposeDims, UnaryOp, WasmElementwise } from './elementwise-jobs.ts';
import type { Engine, Job, KernelExports } from './jobs.ts';
import { WorkerPool } from './pool.ts';
import { streamNorm, streamSoftmax, type NormParams, type RowsDims, type WasmRows } from './rows-jobs.ts';
import { checkConv, checkFft, checkMatmul } from './validate.ts';

/**
 * out[b] = op(A[b]) . op(B[b]) for b < batch, row-major float32.
 * A is [batch, m, k] ([batch, k, m] when transA), B is [batch, k, n] ([batch, n, k] when
 * transB), out is [batch, m, n]. Batch b of A starts at b * aBatchStride floats (default
 * m * k; 0 reuses one matrix for every batch), likewise B with bBatchStride (default k * n).
 */
export interface MatmulDims {
  batch: number;
  m: number;
  k: number;
  n: number;
  transA?: boolean;
  transB?: boolean;
  aBatchStride?: number;
  bBatchStride?: number;
}

/**
 * rfft: x [rows, n] -> X [rows, n/2 + 1, 2] (interleaved re, im), X_k = sum_j x_j e^(-2 pi i jk/n).
 * irfft: X [rows, n/2 + 1, 2] -> x [rows, n], normalised by 1 / n like numpy.fft.irfft (the
 * imaginary parts of X_0 and, for even n, X_(n/2) are ignored). Any n >= 1.
 */
export interface FftDims {
  rows: number;
  n: number;
}

/**
 * y[r, l] = sum_(j = 0 .. min(l, kernelLength - 1)) k[r % kernelRows, j] u[r, l - j]
 * for u [rows, length], k [kernelRows, kernelLength], y [rows, length]. rows = B * H with
 * kernelRows = H is the S4 layout (u [B, H, L], k [H, L]).
 */
export interface CausalConvDims {
  rows: number;
  length: number;
  kernelRows: number;
  kernelLength: number;
}

/**
 * The kernels. Every call reads its inputs and fills the first floats of `out` (which the
 * caller allocates, at least as long as the shapes need); inputs and `out` may alias. Async
 * calls queue behind one another and read their inputs when their turn comes, so keep the
 * arrays unchanged until the promise settles. A worker that crashed fails every later async
 * call with the reason; sync calls keep working.
 */
export interface WasmKernels extends WasmElementwise, WasmRows {
  /** Threads an async call may use: the calling thread plus the workers. */
  readonly threads: number;
  /** The module that runs: kernels.wasm (`simd`) or kernels-relaxed.wasm (`relaxed-simd`, fused multiply-add). */
  readonly variant: 'simd' | 'relaxed-simd';
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims): Promise<void>;
  matmulSync(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims): void;
  rfft(x: Float32Array, out: Float32Array, dims: FftDims): Promise<void>;
  rfftSync(x: Float32Array, out: Float32Array, dims: FftDims): void;
  irfft(spectrum: Float32Array, out: Float32Array, dims: FftDims): Promise<void>;
  irfftSync(spectrum: Float32Array, out: Float32Array, dims: FftDims): void;
  causalConv(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): Promise<void>;
  causalConvSync(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): void;
  /** Terminates the workers; later calls throw. */
  dispose(): Promise<void>;
}

/** Why the fast paths cannot run here; the engine then uses GPU.js and reports this. */
export interface WasmUnavailable {
  unavailable: string;
}

export interface LoadWasmOptions {
  /** Total threads for async calls, the calling one included (default: available cores). */
  threads?: number;
  /**
   * Use kernels-relaxed.wasm where this runtime validates relaxed SIMD (default true); false
   * forces the plain SIMD module.
   */
  relaxedSimd?: boolean;
  /** Load exactly this module instead (the variant is then taken to be `simd`). */
  wasmPath?: string | URL;
}

export const DEFAULT_WASM_PATH = new URL('../../build/wasm/kernels.wasm', import.meta.url);
const RELAXED_WASM_PATH = new URL('../../build/wasm/kernels-relaxed.wasm', import.meta.url);

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

// (module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))
const RELAXED_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  61,
  1,
  59,
  0,
  ...[0, 1, 2].flatMap(() => [253, 12, ...new Array<number>(16).fill(0)]),
  253,
  133,
  2,
  11,
]);

/** Loads the kernels, or says why they cannot run on this machine. */
export async function loadWasmKernels(options: LoadWasmOptions = {}): Promise<WasmKernels | WasmUnavailable> {
  if (typeof WebAssembly !== 'object') return { unavailable: 'this runtime has no WebAssembly' };
  if (!WebAssembly.validate(SIMD_PROBE)) return { unavailable: 'this runtime lacks WebAssembly SIMD (128-bit)' };
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return { unavailable: 'this runtime lacks shared WebAssembly memory (the threads feature)' };
  }
  const relaxed = !options.wasmPath && (options.relaxedSimd ?? true) && WebAssembly.validate(RELAXED_PROBE);
  const path = options.wasmPath ?? (relaxed ? RELAXED_WASM_PATH : DEFAULT_WASM_PATH);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { unavailable: `${String(path)} is missing: run "npm run build:wasm"` };
    return { unavailable: `${String(path)} did not load: ${(error as Error).message}` };
  }
  const threads = Math.max(1, Math.floor(options.threads ?? os.availableParallelism()));
  const asyncEngine = createEngine(module);
  let pool: WorkerPool | undefined;
  if (threads > 1) {
    try {
      pool = await WorkerPool.start(module, asyncEngine.arena.memory, threads - 1);
    } catch (error) {
      return { unavailable: `worker threads did not start: ${(error as Error).message}` };
    }
  }
  return new Kernels(module, relaxed ? 'relaxed-simd' : 'simd', asyncEngine, pool);
}

function createEngine(module: WebAssembly.Module): Engine {
  const arena = new Arena();
  const abort = () => {
    throw new Error('kernels.wasm aborted');
  };
  const instance = new WebAssembly.Instance(module, { env: { memory: arena.memory, abort } });
  return { arena, exports: instance.exports as unknown as KernelExports, plans: new PlanCache(arena) };
}

/** Plans are kept until they hold this much memory, then rebuilt on demand. */
const PLAN_BYTES_LIMIT = 256 * 2 ** 20;

class Kernels implements WasmKernels {
  readonly threads: number;
  private syncEngine: Engine | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly module: WebAssembly.Module,
    readonly variant: 'simd' | 'relaxed-simd',
    private readonly asyncEngine: Engine,
    private readonly pool: WorkerPool | undefined,
  ) {
    this.threads = 1 + (pool?.size ?? 0);
  }

  matmul(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims): Promise<void> {
    const d = checkMatmul(a, b, out, dims);
    return this.runAsync((engine, threads) => matmulJob(engine, a, b, out, d, threads));
  }

  matmulSync(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims): void {
    const d = checkMatmul(a, b, out, dims);
    this.runSync((engine) => matmulJob(engine, a, b, out, d, 1));
  }

  rfft(x: Float32Array, out: Float32Array, dims: FftDims): Promise<void> {
    checkFft(x, out, dims, false);
    return this.runAsync((engine, threads) => fftJob(engine, x, out, dims.rows, dims.n, false, threads));
  }

  rfftSync(x: Float32Array, out: Float32Array, dims: FftDims): void {
    checkFft(x, out, dims, false);
    this.runSync((engine) => fftJob(engine, x, out, dims.rows, dims.n, false, 1));
  }

  irfft(spectrum: Float32Array, out: Float32Array, dims: FftDims): Promise<void> {
    checkFft(spectrum, out, dims, true);
    return this.runAsync((engine, threads) => fftJob(engine, spectrum, out, dims.rows, dims.n, true, threads));
  }

  irfftSync(spectrum: Float32Array, out: Float32Array, dims: FftDims): void {
    checkFft(spectrum, out, dims, true);
    this.runSync((engine) => fftJob(engine, spectrum, out, dims.rows, dims.n, true, 1));
  }

  causalConv(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): Promise<void> {
    checkConv(u, k, out, dims);
    return this.runAsync((engine, threads) => causalConvJob(engine, u, k, out, dims, threads));
  }

  causalConvSync(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): void {
    checkConv(u, k, out, dims);
    this.runSync((engine) => causalConvJob(engine, u, k, out, dims, 1));
  }

  // The memory-bound maps stream through the sync engine's arena on the calling thread
  // (elementwise-jobs.ts); ordered behind earlier async calls like every async call.

  unary(op: UnaryOp, x: Float32Array, out: Float32Array): Promise<void> {
    if (streamsUnary(op)) return this.runStreamed((engine) => streamUnary(engine, op, x, out));
    return this.runAsync((engine, threads) => unaryJob(engine, op, x, out, threads));
  }

  unarySync(op: UnaryOp, x: Float32Array, out: Float32Array): void {
    if (streamsUnary(op)) streamUnary(this.sync(), op, x, out);
    else this.runSync((engine) => unaryJob(engine, op, x, out, 1));
  }

  async binary(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, loop: BroadcastLoop): Promise<void> {
    if (await this.runStreamed((engine) => streamBinary(engine, op, a, b, out, loop))) return;
    return this.runAsync((engine, threads) => binaryJob(engine, op, a, b, out, loop, threads));
  }

  binarySync(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, loop: BroadcastLoop): void {
    if (!streamBinary(this.sync(), op, a, b, out, loop)) this.runSync((engine) => binaryJob(engine, op, a, b, out, loop, 1));
  }

  transpose(x: Float32Array, out: Float32Array, dims: TransposeDims): Promise<void> {
    return this.runAsync((engine, threads) => transposeJob(engine, x, out, dims, threads));
  }

  transposeSync(x: Float32Array, out: Float32Array, dims: TransposeDims): void {
    this.runSync((engine) => transposeJob(engine, x, out, dims, 1));
  }

  async reverseRows(x: Float32Array, out: Float32Array, starts: Int32Array, n: number): Promise<void> {
    if (await this.runStreamed((engine) => streamReverseRows(engine, x, out, starts, n))) return;
    return this.runAsync((engine, threads) => reverseRowsJob(engine, x, out, starts, n, threads));
  }

  reverseRowsSync(x: Float32Array, out: Float32Array, starts: Int32Array, n: number): void {
    if (!streamReverseRows(this.sync(), x, out, starts, n)) this.runSync((engine) => reverseRowsJob(engine, x, out, starts, n, 1));
  }

  copyRows(x: Float32Array, out: Float32Array, rows: RowCopy): Promise<void> {
    return this.runStreamed((engine) => streamCopyRows(engine, x, out, rows));
  }

  copyRowsSync(x: Float32Array, out: Float32Array, rows: RowCopy): void {
    streamCopyRows(this.sync(), x, out, rows);
  }

  sum(x: Float32Array, out: Float32Array, loop: BroadcastLoop, scale: number): Promise<void> {
    return this.runStreamed((engine) => streamSum(engine, x, out, loop, scale));
  }

  sumSync(x: Float32Array, out: Float32Array, loop: BroadcastLoop, scale: number): void {
    streamSum(this.sync(), x, out, loop, scale);
  }

  softmax(x: Float32Array, out: Float32Array, dims: RowsDims, log: boolean): Promise<void> {
    return this.runStreamed((engine) => streamSoftmax(engine, x, out, dims, log));
  }

  softmaxSync(x: Float32Array, out: Float32Array, dims: RowsDims, log: boolean): void {
    streamSoftmax(this.sync(), x, out, dims, log);
  }

  norm(x: Float32Array, out: Float32Array, dims: RowsDims, params: NormParams): Promise<void> {
    return this.runStreamed((engine) => streamNorm(engine, x, out, dims, params));
  }

  normSync(x: Float32Array, out: Float32Array, dims: RowsDims, params: NormParams): void {
    streamNorm(this.sync(), x, out, dims, params);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.pool?.dispose();
  }

  /** The engine of sync calls (created on first use). */
  private sync(): Engine {
    if (this.disposed) throw new Error('wasm kernels: used after dispose()');
    this.syncEngine ??= createEngine(this.module);
    return this.syncEngine;
  }

  /** Runs `work` on the calling thread over the sync engine's arena, queued behind earlier async calls. */
  private runStreamed<T>(work: (engine: Engine) => T): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('wasm kernels: used after dispose()'));
    const run = async () => work(this.sync());
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private runSync(makeJob: (engine: Engine) => Job): void {
    const engine = this.sync();
    const job = prepare(engine, makeJob);
    for (const phase of job.phases) for (const calls of phase) runCalls(engine, calls);
    job.finish();
  }

  /** Queues the call behind earlier async calls: they share one arena. */
  private runAsync(makeJob: (engine: Engine, threads: number) => Job): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('wasm kernels: used after dispose()'));
    const run = async () => {
      const engine = this.asyncEngine;
      const job = prepare(engine, (e) => makeJob(e, this.threads));
      for (const phase of job.phases) {
        const others = this.pool && phase.length > 1 ? this.pool.run(phase.slice(1)) : undefined;
        // The calling thread does its share while the workers do theirs; on error it still
        // waits for them, since the next call will reuse the memory they are writing.
        try {
          runCalls(engine, phase[0] ?? []);
        } catch (error) {
          await others?.catch(() => undefined);
          throw error;
        }
        await others;
      }
      job.finish();
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Builds the job, dropping the plan cache first when it has grown past its budget. */
function prepare(engine: Engine, makeJob: (engine: Engine) => Job): Job {
  if (engine.arena.persistentBytes > PLAN_BYTES_LIMIT) {
    engine.arena.resetPersistent();
    engine.plans = new PlanCache(engine.arena);
  }
  return makeJob(engine);
}

function runCalls(engine: Engine, calls: readonly { fn: string; args: number[] }[]): void {
  const exports = engine.exports as unknown as Record<string, (...args: number[]) => void>;
  for (const { fn, args } of calls) exports[fn](...args);
}
