// Ours as benchmark contenders: one kernel call through the engine's path, `runKernel` on a
// backend from `createBackend`, the way a realisation runs it (async, outputs of fast paths
// from a BufferPool). Variants: the served path with pooled outputs, the served path with a
// fresh Float32Array per call (what reuse saves), and the GPU.js body alone (fastPaths: false).

import { createBackend, kernelSpec, MAX_GPU_CELLS, numel, runKernel } from '../../kernels/index.ts';
import type { Backend, BackendName, KernelName, Shape } from '../../kernels/index.ts';
import { BufferPool } from '../../src/engine/pool.ts';
import type { Contender } from '../harness.ts';
import { median } from '../peers/timing.ts';
import type { PeerResult, TimingOptions } from '../peers/timing.ts';

/** One kernel call: runKernel's arguments less the backend and the options. */
export interface KernelCall {
  name: KernelName;
  inputs: Float32Array[];
  shapes: Shape[];
  attrs: unknown;
  outShape: Shape;
}

/** A backend under test and the label its rows carry, e.g. "webasm 2 threads". */
export interface BackendEntry {
  label: string;
  backend: Backend;
}

/**
 * `served`: what runKernel picks (the fast path where one applies), outputs from a pool;
 * `fresh`: the same with a new Float32Array per call; `gpu.js`: the GPU.js body alone.
 */
export type Variant = 'served' | 'fresh' | 'gpu.js';

/** A contender that also says which implementation served it (runKernel's report). */
export interface KernelContender extends Contender {
  readonly backend: string;
  readonly variant: Variant;
  servedBy(): 'fast path' | 'js loop' | 'gpu.js' | undefined;
}

/**
 * Whether runKernel serves `name` on this backend with our own code (a hand-written fast path
 * or the GPU.js body as a JavaScript loop) rather than through GPU.js.
 */
export function hasOwnPath(backend: Backend, name: KernelName): boolean {
  return backend.onCpu && (Boolean(kernelSpec(name).fast) || backend.jsLoops);
}

/**
 * Opens the backends to compare: webgpu and headlessgl where they work, webasm with worker
 * threads (when there is more than one core), webasm on one thread, and cpu. Returns them with
 * the reasons the others are missing.
 */
export async function openBackends(threads: number): Promise<{ entries: BackendEntry[]; unavailable: string[] }> {
  const entries: BackendEntry[] = [];
  const unavailable: string[] = [];
  const wanted: Array<{ label: string; name: BackendName; threads?: number }> = [
    { label: 'webgpu', name: 'webgpu' },
    { label: 'headlessgl', name: 'headlessgl' },
    ...(threads > 1 ? [{ label: `webasm ${threads} threads`, name: 'webasm' as const, threads }] : []),
    { label: 'webasm 1 thread', name: 'webasm', threads: 1 },
    // cpu keeps the default thread count: its GPU.js kernels run on the main thread, its fast paths threaded
    { label: 'cpu', name: 'cpu', threads },
  ];
  for (const w of wanted) {
    try {
      entries.push({ label: w.label, backend: await createBackend({ name: w.name, threads: w.threads }) });
    } catch (error) {
      unavailable.push(`${w.label}: ${(error as Error).message.replace(/^backend \S+ is not available here: /, '')}`);
    }
  }
  return { entries, unavailable };
}

/** The contenders of one backend on one case: served (pooled), fresh outputs when `reuse`, and the GPU.js body. */
export function backendContenders(entry: BackendEntry, full: KernelCall, part: KernelCall, opts: { reuse: boolean; gpuBodies: boolean }): KernelContender[] {
  const fast = hasOwnPath(entry.backend, full.name);
  const variants: Variant[] = ['served'];
  if (fast && opts.reuse) variants.push('fresh');
  if (fast && opts.gpuBodies) variants.push('gpu.js');
  return variants.map((variant) => kernelContender(entry, full, part, variant, !fast || variant === 'gpu.js'));
}

const NAMES: Record<Variant, string> = { served: 'served', fresh: 'served, fresh outputs', 'gpu.js': 'gpu.js body' };

function kernelContender(entry: BackendEntry, full: KernelCall, part: KernelCall, variant: Variant, estimable: boolean): KernelContender {
  const { backend } = entry;
  const pool = new BufferPool(1 << 30);
  let servedBy: 'fast path' | 'js loop' | 'gpu.js' | undefined;
  const allocate = variant === 'fresh' ? (length: number) => new Float32Array(length) : (length: number) => pool.acquire(length);
  const gpuOnly = variant === 'gpu.js' || !hasOwnPath(backend, full.name);

  /** One timed call; the pooled output goes back to the pool, as a realisation returns it. */
  const once = async (call: KernelCall): Promise<{ ms: number; out: Float32Array }> => {
    let path: 'fast path' | 'js loop' | 'gpu.js' | undefined;
    const start = performance.now();
    const out = await runKernel(backend, call.name, call.inputs, call.shapes, call.attrs as never, call.outShape, {
      sync: false,
      fastPaths: variant !== 'gpu.js',
      jsLoops: variant !== 'gpu.js',
      allocate,
      report: (p) => (path = p),
    });
    const ms = performance.now() - start;
    servedBy = path;
    // GPU.js outputs are GPU.js's own arrays: only fast-path and JS-loop outputs came from the pool
    if (variant === 'served' && path !== 'gpu.js') pool.release(out);
    return { ms, out };
  };

  return {
    name: `${entry.label}: ${NAMES[variant]}`,
    backend: entry.label,
    variant,
    estimable,
    servedBy: () => servedBy,
    async run(opts: TimingOptions & { slice?: boolean }): Promise<PeerResult> {
      if (gpuOnly && numel(full.outShape) >= MAX_GPU_CELLS) {
        return { unsupported: `the output's ${numel(full.outShape)} cells exceed GPU.js's 2^24-cell limit` };
      }
      const call = opts.slice ? part : full;
      try {
        if (opts.warmup ?? true) {
          // Two warm-ups (compilation, V8 tiering up JS and wasm), one when a call is slow anyway.
          if ((await once(call)).ms < 1000) await once(call);
        }
        const times: number[] = [];
        let output: Float32Array | undefined;
        for (let r = 0; r < Math.max(1, opts.runs ?? 5); r++) {
          const { ms, out } = await once(call);
          output ??= out;
          times.push(ms);
        }
        return { medianMs: median(times), runs: times.length, output: output! };
      } catch (error) {
        return { unsupported: (error as Error).message };
      }
    },
  };
}
