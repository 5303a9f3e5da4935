/**
 * Running one kernel on a backend: the hand-written fast path where one exists and applies;
 * else, on the CPU backends, the GPU.js body as a plain JavaScript loop (js-loop.ts); else the
 * GPU.js body compiled by GPU.js for this shape signature.
 */
import type { Backend } from './backend.ts';
import { kernelSpec, type KernelAttrs, type KernelName } from './registry.ts';
import { compileLoop } from './js-loop.ts';
import { numel, type Shape } from './shape.ts';

export interface RunOptions {
  /** Return a Float32Array rather than a Promise (the eager debug mode; no worker threads). */
  sync: boolean;
  /** Use hand-written CPU fast paths where they exist (default true). Tests turn this off to check GPU.js bodies. */
  fastPaths?: boolean;
  /**
   * On the CPU backends, run GPU.js bodies as plain JavaScript loops into pooled outputs
   * (default: the backend's `jsLoops`). Off, GPU.js itself runs them.
   */
  jsLoops?: boolean;
  /** Allocates the output of a fast path (the engine's buffer pool). */
  allocate?: (length: number) => Float32Array;
  /** Told which implementation served the call (diagnostics and benchmarks). */
  report?: (path: 'fast path' | 'js loop' | 'gpu.js') => void;
}

/** Cache key of a compiled GPU.js kernel: the name plus everything baked into its source. */
export function signature(name: string, shapes: readonly Shape[], attrs: unknown): string {
  return `${name}|${shapes.map((s) => s.join('x')).join(',')}|${JSON.stringify(attrs)}`;
}

const EMPTY = new Float32Array(0);

export function runKernel<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: readonly Float32Array[],
  shapes: readonly Shape[],
  attrs: KernelAttrs<K>,
  outShape: Shape,
  options: RunOptions,
): Float32Array | Promise<Float32Array> {
  const spec = kernelSpec(name);
  const length = numel(outShape);
  if (length === 0) return EMPTY;
  if (spec.fast && backend.onCpu && options.fastPaths !== false) {
    const out = options.allocate ? options.allocate(length) : new Float32Array(length);
    const handled = spec.fast({ inputs, shapes, attrs, outShape, out }, { wasm: backend.wasm, allowAsync: !options.sync });
    if (handled === true) {
      options.report?.('fast path');
      return out;
    }
    if (handled !== false) {
      if (options.sync) throw new Error(`${name}: its fast path answered asynchronously in a synchronous run`);
      return handled.then((done) => {
        if (done) {
          options.report?.('fast path');
          return out;
        }
        return runKernel(backend, name, inputs, shapes, attrs, outShape, { ...options, fastPaths: false });
      });
    }
  }
  if (backend.onCpu && (options.jsLoops ?? backend.jsLoops)) {
    const out = options.allocate ? options.allocate(length) : new Float32Array(length);
    compileLoop(spec.gpu(shapes, attrs, outShape).source)(inputs, out);
    options.report?.('js loop');
    return out;
  }
  options.report?.('gpu.js');
  return runGpu(backend, name, inputs, shapes, attrs, outShape, options.sync);
}

function runGpu<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: readonly Float32Array[],
  shapes: readonly Shape[],
  attrs: KernelAttrs<K>,
  outShape: Shape,
  sync: boolean,
): Float32Array | Promise<Float32Array> {
  const spec = kernelSpec(name);
  const key = signature(name, shapes, attrs);
  return backend.run(key, () => spec.gpu(shapes, attrs, outShape).source, inputs, numel(outShape), sync);
}
