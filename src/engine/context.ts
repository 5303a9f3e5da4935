/**
 * The engine's process-wide state: the backend (chosen lazily at the first realisation, or by
 * `init`), the buffer pool, the gradient switch, the eager debug switch and a logical clock.
 */
import { createBackend, type Backend, type BackendOptions } from '../../kernels/index.ts';
import { BufferPool } from './pool.ts';

export interface EngineOptions extends BackendOptions {
  /**
   * Realise every op as it is built (default false; `CHRONOSCALE_EAGER=1`). For debugging:
   * errors and NaNs surface at the line that made them. Runs synchronously, without threads.
   */
  eager?: boolean;
  /** Bytes the buffer pool may hold (default 1 GiB). */
  poolBytes?: number;
  /** Reuse freed buffers (default true); off only to measure what reuse buys. */
  bufferReuse?: boolean;
}

class EngineState {
  private backendPromise: Promise<Backend> | null = null;
  /** The backend once initialised (eager mode needs it synchronously). */
  backend: Backend | null = null;
  eager = process.env.CHRONOSCALE_EAGER === '1';
  gradEnabled = true;
  pool = new BufferPool(1 << 30);
  /** Logical time: ops are stamped when built, parameters when changed in place. */
  private time = 0;

  tick(): number {
    return ++this.time;
  }

  getBackend(): Promise<Backend> {
    this.backendPromise ??= createBackend().then((backend) => (this.backend = backend));
    return this.backendPromise;
  }

  async init(options: EngineOptions): Promise<Backend> {
    await this.shutdown();
    this.eager = options.eager ?? this.eager;
    this.pool = new BufferPool(options.poolBytes ?? 1 << 30, options.bufferReuse ?? true);
    this.backendPromise = createBackend(options).then((backend) => (this.backend = backend));
    return this.backendPromise;
  }

  async shutdown(): Promise<void> {
    const pending = this.backendPromise;
    this.backendPromise = null;
    this.backend = null;
    if (pending) (await pending.catch(() => null))?.dispose();
    this.pool.clear();
  }
}

export const engine = new EngineState();

/**
 * Chooses the backend and engine options. Optional: without it the best backend is chosen at
 * the first `await`. Returns the backend, whose `describe()` says what runs.
 */
export function init(options: EngineOptions = {}): Promise<Backend> {
  return engine.init(options);
}

/** The backend in use (initialising it with defaults if needed). */
export function backend(): Promise<Backend> {
  return engine.getBackend();
}

/** Stops worker threads and frees compiled kernels, so a process can exit promptly. */
export function shutdown(): Promise<void> {
  return engine.shutdown();
}

/**
 * Runs `fn` with gradient tracking off: tensors built inside neither require gradients nor keep
 * what backward would need. Synchronous by design, like all model code.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = engine.gradEnabled;
  engine.gradEnabled = false;
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('noGrad: the callback must be synchronous (build the graph inside, await outside)');
    return result;
  } finally {
    engine.gradEnabled = previous;
  }
}

export function isGradEnabled(): boolean {
  return engine.gradEnabled;
}
