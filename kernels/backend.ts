/**
 * Backend selection and the compiled-kernel cache.
 *
 * A backend is a GPU.js mode. At start-up the best one that works is chosen (webgpu, headlessgl,
 * webasm with worker threads, cpu), or the one named by `CHRONOSCALE_BACKEND`. On the CPU
 * backends the WebAssembly SIMD runtime (kernels/wasm) serves the kernels that have a fast path.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { GPU } from 'gpu.js';
import type { WasmFastPaths } from './types.ts';

export type BackendName = 'webgpu' | 'headlessgl' | 'webasm' | 'cpu';
export const backendNames: readonly BackendName[] = ['webgpu', 'headlessgl', 'webasm', 'cpu'];

/** GPU.js caps: outputs above 2^24 cells lose integer precision in float32 thread indices. */
export const MAX_GPU_CELLS = 2 ** 24;

export interface BackendOptions {
  /** Backend to use; default `CHRONOSCALE_BACKEND` or the best available. */
  name?: BackendName;
  /** Worker threads for webasm and the wasm fast paths (default: cores; `CHRONOSCALE_THREADS`). 1 = none. */
  threads?: number;
  /** Load the WebAssembly SIMD fast paths on CPU backends (default true; `CHRONOSCALE_FAST_PATHS=0` disables). */
  fastPaths?: boolean;
  /** Most compiled kernels kept (least recently used ones are destroyed). */
  kernelCacheSize?: number;
  /**
   * On CPU backends, run GPU.js bodies as plain JavaScript loops into pooled buffers instead of
   * through GPU.js's per-call copies (default true; `CHRONOSCALE_JS_LOOPS=0` disables).
   */
  jsLoops?: boolean;
}

/**
 * The part of a GPU.js `GPU` instance a backend calls. Typed here rather than as gpu.js's `GPU`
 * so that the package's declarations do not pull in gpu.js's types, which need the DOM lib.
 */
export interface GpuCompiler {
  createKernel(source: never, settings: never): unknown;
}

type RunShortcut = ((...args: unknown[]) => unknown) & {
  kernel: { constructor: { mode?: string }; fallbackReason?: string | null; _pool?: unknown; destroy?: () => void };
  destroy?: () => void;
};

export interface KernelRecord {
  /** The GPU.js mode the kernel actually runs on (GPU.js may degrade a kernel to cpu). */
  mode: string;
  fallbackReason: string | null;
}

export class Backend {
  private readonly kernels = new Map<string, RunShortcut>();
  /** Kernels that GPU.js moved to another mode than the backend's, with the reason. */
  readonly fallbacks = new Map<string, string>();
  private sharedPool: { destroy(): void } | null = null;

  constructor(
    readonly name: BackendName,
    private readonly gpu: GpuCompiler,
    /** Worker threads for GPU.js webasm kernels (1: none). */
    readonly threads: number,
    /** The SIMD fast paths, or null with `wasmStatus` saying why. */
    readonly wasm: WasmFastPaths | null,
    readonly wasmStatus: string,
    /** Why the backends ahead of this one in the preference order were not taken. */
    readonly skipped: readonly string[],
    private readonly cacheSize: number,
    /** Whether CPU backends run GPU.js bodies as JavaScript loops (see BackendOptions.jsLoops). */
    readonly jsLoops: boolean,
  ) {}

  /** True for backends that run on the CPU, where fast paths apply. */
  get onCpu(): boolean {
    return this.name === 'webasm' || this.name === 'cpu';
  }

  /** One line for logs and benchmark tables. */
  describe(): string {
    const threads = this.name === 'webasm' ? `, ${this.threads} thread${this.threads > 1 ? 's' : ''}` : '';
    const fast = this.onCpu ? `, wasm fast paths: ${this.wasm ? `on (${this.wasm.threads} threads)` : this.wasmStatus}` : '';
    const loops = this.onCpu && this.jsLoops ? ', bodies as JS loops' : '';
    return `gpu.js ${this.name}${threads}${fast}${loops}`;
  }

  /**
   * Runs a GPU.js kernel, compiling it on first use of `key` (which must identify the source).
   * The result is a fresh Float32Array of `outLength` elements.
   */
  run(key: string, source: () => string, inputs: readonly Float32Array[], outLength: number, sync: boolean): Float32Array | Promise<Float32Array> {
    if (outLength >= MAX_GPU_CELLS) {
      throw new RangeError(`${key.split('|')[0]}: output of ${outLength} elements exceeds GPU.js's limit of 2^24 cells per kernel (float32 indices)`);
    }
    const cacheKey = `${sync ? 's' : 'a'}|${key}`;
    let kernel = this.kernels.get(cacheKey);
    if (kernel) {
      this.kernels.delete(cacheKey); // re-insert: Map order is the LRU order
    } else {
      kernel = this.compile(source(), outLength, sync);
      this.evictOldest();
    }
    this.kernels.set(cacheKey, kernel);
    // GPU.js rejects zero-length arrays; such inputs are never read (their loops have no iterations).
    const args = inputs.map((x) => (x.length === 0 ? PLACEHOLDER : x));
    const result = kernel(...args) as Float32Array | Promise<Float32Array>;
    this.noteFallback(key, kernel);
    return result;
  }

  /** Destroys compiled kernels and worker threads so that the process can exit. */
  dispose(): void {
    for (const kernel of this.kernels.values()) this.destroyKernel(kernel);
    this.kernels.clear();
    this.sharedPool?.destroy();
    this.sharedPool = null;
  }

  get compiledKernelCount(): number {
    return this.kernels.size;
  }

  private compile(source: string, outLength: number, sync: boolean): RunShortcut {
    const kernel = this.gpu.createKernel(
      source as never,
      {
        output: [outLength],
        precision: 'single',
        tactic: 'precision',
        asyncMode: !sync,
        loopMaxIterations: 1 << 30,
      } as never,
    ) as unknown as RunShortcut;
    this.shareWorkerPool(kernel);
    return kernel;
  }

  /**
   * GPU.js gives every threaded webasm kernel its own worker pool; with hundreds of kernels that
   * is hundreds of threads. Its pool serves any number of kernels, so all kernels get one.
   */
  private shareWorkerPool(kernel: RunShortcut): void {
    if (this.name !== 'webasm' || this.threads <= 1) return;
    if (!this.sharedPool) {
      const require = createRequire(import.meta.url);
      const { WebAssemblyWorkerPool } = require('gpu.js/src/backend/web-assembly/worker-pool.js');
      this.sharedPool = new WebAssemblyWorkerPool(this.threads);
    }
    kernel.kernel._pool = this.sharedPool;
  }

  private destroyKernel(kernel: RunShortcut): void {
    kernel.kernel._pool = null; // the shared pool outlives any one kernel
    kernel.kernel.destroy?.();
  }

  private evictOldest(): void {
    while (this.kernels.size >= this.cacheSize) {
      const [oldestKey, oldest] = this.kernels.entries().next().value as [string, RunShortcut];
      this.kernels.delete(oldestKey);
      this.destroyKernel(oldest);
    }
  }

  private noteFallback(key: string, kernel: RunShortcut): void {
    const mode = kernel.kernel.constructor.mode;
    const expected = this.name === 'headlessgl' ? 'gpu' : this.name;
    if (mode && mode !== expected && !this.fallbacks.has(key)) {
      this.fallbacks.set(key, `${mode}: ${kernel.kernel.fallbackReason ?? 'no reason given'}`);
    }
  }
}

const PLACEHOLDER = new Float32Array(1);

function envBackend(): BackendName | undefined {
  const value = process.env.CHRONOSCALE_BACKEND?.trim();
  if (!value) return undefined;
  if (!(backendNames as readonly string[]).includes(value)) {
    throw new Error(`CHRONOSCALE_BACKEND=${value} is not a backend; choose one of ${backendNames.join(', ')}`);
  }
  return value as BackendName;
}

function envThreads(): number | undefined {
  const value = process.env.CHRONOSCALE_THREADS;
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`CHRONOSCALE_THREADS=${value} must be a positive integer`);
  return n;
}

/** Why a backend cannot run here, or null when it can. */
async function unavailability(name: BackendName): Promise<string | null> {
  switch (name) {
    case 'webgpu':
      return (await installWebGPU()) ?? ((await GPU.isWebGPUAvailable()) ? null : 'no WebGPU adapter answered');
    case 'headlessgl':
      return GPU.isHeadlessGLSupported ? null : 'headless-gl is not installed or has no display';
    case 'webasm':
      return GPU.isWebAssemblySupported ? null : 'WebAssembly is not supported';
    case 'cpu':
      return null;
  }
}

/**
 * Node has no `navigator.gpu`; the `webgpu` package (Dawn), which gpu.js depends on, provides one
 * where its native binary loads (it needs glibc 2.38 / GLIBCXX_3.4.32). Returns why not, or null.
 */
async function installWebGPU(): Promise<string | null> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return null;
  try {
    const { create, globals } = (await import('webgpu' as string)) as { create(flags: string[]): unknown; globals: object };
    Object.assign(globalThis, globals);
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true });
    return null;
  } catch (error) {
    return `the webgpu (Dawn) binding does not load: ${(error as Error).message.split('\n')[0]}`;
  }
}

/**
 * Picks and initialises a backend. With no name, tries webgpu, headlessgl, webasm, cpu in that
 * order and records why each skipped one was unavailable.
 */
export async function createBackend(options: BackendOptions = {}): Promise<Backend> {
  const requested = options.name ?? envBackend();
  const threads = options.threads ?? envThreads() ?? Math.max(1, os.availableParallelism());
  const skipped: string[] = [];
  let chosen: BackendName | undefined;
  for (const name of requested ? [requested] : backendNames) {
    const reason = await unavailability(name);
    if (reason === null) {
      chosen = name;
      break;
    }
    if (requested) throw new Error(`backend ${name} is not available here: ${reason}`);
    skipped.push(`${name}: ${reason}`);
  }
  const name = chosen ?? 'cpu';
  const gpu = new GPU({ mode: name } as never);
  const fastPaths = options.fastPaths ?? process.env.CHRONOSCALE_FAST_PATHS !== '0';
  let wasm: WasmFastPaths | null = null;
  let wasmStatus = 'off (GPU backend)';
  if (name === 'webasm' || name === 'cpu') {
    if (!fastPaths) wasmStatus = 'off (disabled)';
    else {
      const loaded = await loadFastPaths(threads);
      if ('unavailable' in loaded) wasmStatus = `off (${loaded.unavailable})`;
      else {
        wasm = loaded;
        wasmStatus = 'on';
      }
    }
  }
  const jsLoops = options.jsLoops ?? process.env.CHRONOSCALE_JS_LOOPS !== '0';
  return new Backend(name, gpu, name === 'webasm' ? threads : 1, wasm, wasmStatus, skipped, options.kernelCacheSize ?? 512, jsLoops);
}

async function loadFastPaths(threads: number): Promise<WasmFastPaths | { unavailable: string }> {
  try {
    const runtime = await import('./wasm/runtime.ts');
    return (await runtime.loadWasmKernels({ threads })) as WasmFastPaths | { unavailable: string };
  } catch (error) {
    return { unavailable: `the wasm runtime failed to load: ${(error as Error).message}` };
  }
}
