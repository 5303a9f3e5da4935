// One "job" per kernel call: lay out the call's data in an arena, copy the inputs in, say
// which wasm calls each thread makes (in phases, with a barrier between phases), and copy the
// result out at the end. The same job runs synchronously on one thread or spread over a pool.

import type { Arena } from './arena.ts';
import type { PlanCache } from './fft-plan.ts';
import { convLength } from './fft-plan.ts';
import type { WasmCall } from './pool.ts';
import { splitMatmul, splitUnits, threadsFor } from './split.ts';

/** The exports of kernels.wasm (assembly/index.ts). */
export interface KernelExports {
  matmul(...args: number[]): void;
  matmulWorkBytes(): number;
  rfftRows(...args: number[]): void;
  irfftRows(...args: number[]): void;
  fftWorkBytes(plan: number): number;
  convSpectra(...args: number[]): void;
  convRows(...args: number[]): void;
}

/** An arena with the module instantiated over its memory and the plans that live in it. */
export interface Engine {
  arena: Arena;
  exports: KernelExports;
  plans: PlanCache;
}

export interface Job {
  /** phases[p][t]: the calls of thread t in phase p (thread 0 is the calling thread). */
  phases: WasmCall[][][];
  finish(): void;
}

/** out[b] = op(A[b]) . op(B[b]); see MatmulDims in runtime.ts. Dimensions already validated. */
export function matmulJob(
  engine: Engine,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  d: { batch: number; m: number; k: number; n: number; transA: boolean; transB: boolean; aBatchStride: number; bBatchStride: number },
  maxThreads: number,
): Job {
  const { arena, exports } = engine;
  const aLen = extent(d.batch, d.aBatchStride, d.m * d.k);
  const bLen = extent(d.batch, d.bBatchStride, d.k * d.n);
  const cLen = d.batch * d.m * d.n;
  const threads = threadsFor(2 * cLen * d.k, maxThreads);
  const work = exports.matmulWorkBytes();
  const [aPtr, bPtr, cPtr, ...works] = arena.layout([aLen * 4, bLen * 4, cLen * 4, ...Array(threads).fill(work)]);
  arena.write(aPtr, a.subarray(0, aLen));
  arena.write(bPtr, b.subarray(0, bLen));
  const calls = splitMatmul(d.batch, d.m, d.n, threads, (b0, b1, i0, i1, j0, j1, t) => ({
    fn: 'matmul',
    args: [aPtr, bPtr, cPtr, d.m, d.k, d.n, +d.transA, +d.transB, d.aBatchStride, d.bBatchStride, b0, b1, i0, i1, j0, j1, works[t]],
  }));
  return { phases: [calls], finish: () => arena.read(cPtr, out.subarray(0, cLen)) };
}

/** rfft (inverse false: x [rows, n] -> [rows, n/2+1, 2]) or irfft (inverse true). */
export function fftJob(engine: Engine, input: Float32Array, out: Float32Array, rows: number, n: number, inverse: boolean, maxThreads: number): Job {
  const { arena, exports, plans } = engine;
  const plan = plans.real(n, inverse);
  const bins = Math.floor(n / 2) + 1;
  const inLen = rows * (inverse ? 2 * bins : n);
  const outLen = rows * (inverse ? n : 2 * bins);
  const groups = Math.ceil(rows / 4);
  const threads = threadsFor(rows * n * 5 * Math.log2(n + 1), Math.min(maxThreads, groups));
  const work = exports.fftWorkBytes(plan);
  const [inPtr, outPtr, ...works] = arena.layout([inLen * 4, outLen * 4, ...Array(threads).fill(work)]);
  arena.write(inPtr, input.subarray(0, inLen));
  const fn = inverse ? 'irfftRows' : 'rfftRows';
  const calls = splitUnits(groups, threads, (g0, g1, t) => ({ fn, args: [plan, inPtr, outPtr, rows, g0, g1, works[t]] }));
  return { phases: [calls], finish: () => arena.read(outPtr, out.subarray(0, outLen)) };
}

/** y[r, l] = sum_(j <= l) k[r % kernelRows, j] u[r, l - j]; see CausalConvDims in runtime.ts. */
export function causalConvJob(
  engine: Engine,
  u: Float32Array,
  k: Float32Array,
  out: Float32Array,
  d: { rows: number; length: number; kernelRows: number; kernelLength: number },
  maxThreads: number,
): Job {
  const { arena, exports, plans } = engine;
  const { rows, length, kernelRows, kernelLength } = d;
  const outLen = rows * length;
  // Taps past the output length never reach an output.
  const taps = Math.min(kernelLength, length);
  if (taps === 0 || rows === 0) {
    return { phases: [], finish: () => out.fill(0, 0, outLen) };
  }
  const nfft = convLength(length + taps - 1);
  const forward = plans.real(nfft, false);
  const backward = plans.real(nfft, true);
  const groups = Math.ceil(rows / 4);
  // Lane patterns: group g needs kernel rows (s + l) % kernelRows with s = 4g % kernelRows.
  const patternOf = new Map<number, number>();
  const patterns = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const s = (4 * g) % kernelRows;
    if (!patternOf.has(s)) patternOf.set(s, patternOf.size);
    patterns[g] = patternOf.get(s)!;
  }
  const starts = Int32Array.from(patternOf.keys());
  const spectrumBytes = (nfft / 2 + 1) * 32;
  const kLen = kernelRows * kernelLength;
  const threads = threadsFor(rows * nfft * 10 * Math.log2(nfft), Math.min(maxThreads, groups));
  const work = exports.fftWorkBytes(forward);
  const [uPtr, kPtr, yPtr, specPtr, startsPtr, patternsPtr, ...works] = arena.layout([
    outLen * 4,
    kLen * 4,
    outLen * 4,
    starts.length * spectrumBytes,
    starts.length * 4,
    groups * 4,
    ...Array(threads).fill(work),
  ]);
  arena.write(uPtr, u.subarray(0, outLen));
  arena.write(kPtr, k.subarray(0, kLen));
  arena.write(startsPtr, starts);
  arena.write(patternsPtr, patterns);
  const spectra = splitUnits(starts.length, threads, (i0, i1, t) => ({
    fn: 'convSpectra',
    args: [forward, kPtr, kernelRows, taps, kernelLength, startsPtr, specPtr, i0, i1, works[t]],
  }));
  const convolve = splitUnits(groups, threads, (g0, g1, t) => ({
    fn: 'convRows',
    args: [forward, backward, uPtr, yPtr, rows, length, specPtr, patternsPtr, g0, g1, works[t]],
  }));
  return { phases: [spectra, convolve], finish: () => arena.read(yPtr, out.subarray(0, outLen)) };
}

/** Floats spanned by `batch` matrices of `size` floats placed `stride` floats apart. */
function extent(batch: number, stride: number, size: number): number {
  return batch === 0 || size === 0 ? 0 : (batch - 1) * stride + size;
}
