// A small pool of worker_threads, each running its own instance of kernels.wasm over one
// shared memory, so a call can hand every thread a slice of the same data without copies.
//
// Workers are unref'd while idle (an idle pool never keeps a process alive) and ref'd while a
// task runs (a pending call is not cut short by process exit). A wasm trap, a worker crash or
// an unexpected exit rejects every task that worker had, never leaves a call hanging.

import { Worker } from 'node:worker_threads';

/** One call into the module: an export name and its numeric arguments. */
export interface WasmCall {
  fn: string;
  args: number[];
}

// The worker body is a plain CommonJS script (eval: true, and execArgv: [] so that a parent's
// --input-type=module or --import loader does not apply to it): it needs no TypeScript loader
// and no file path to resolve, whatever way the package is run.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const abort = () => { throw new Error('kernels.wasm aborted'); };
const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
parentPort.on('message', ({ id, calls }) => {
  try {
    for (const { fn, args } of calls) instance.exports[fn](...args);
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  failed?: Error;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private disposed = false;

  private constructor() {}

  /** Starts `size` workers and waits until each has instantiated the module. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, size: number): Promise<WorkerPool> {
    const pool = new WorkerPool();
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory } });
      const slot: Slot = { worker, pending: new Map() };
      pool.slots.push(slot);
      ready.push(pool.watch(slot));
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    for (const slot of pool.slots) slot.worker.unref();
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs calls[i] on worker i (an empty list skips it); resolves when all are done. */
  run(calls: readonly WasmCall[][]): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('wasm kernels: the worker pool was disposed'));
    const tasks: Promise<void>[] = [];
    calls.forEach((list, i) => {
      if (list.length > 0) tasks.push(this.post(this.slots[i], list));
    });
    return Promise.all(tasks).then(() => undefined);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private post(slot: Slot, calls: WasmCall[]): Promise<void> {
    if (slot.failed) return Promise.reject(slot.failed);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, calls });
    });
  }

  /** Wires a worker's events; resolves once it reports ready. */
  private watch(slot: Slot): Promise<void> {
    return new Promise<void>((ready, notReady) => {
      const fail = (error: Error) => {
        slot.failed ??= error;
        notReady(error);
        for (const task of slot.pending.values()) task.reject(error);
        slot.pending.clear();
      };
      slot.worker.on('message', (msg: { ready?: boolean; id?: number; error?: string }) => {
        if (msg.ready) return ready();
        const task = slot.pending.get(msg.id!);
        if (!task) return;
        slot.pending.delete(msg.id!);
        if (slot.pending.size === 0) slot.worker.unref();
        if (msg.error) task.reject(new Error(`wasm kernels: worker call failed: ${msg.error}`));
        else task.resolve();
      });
      slot.worker.on('error', (error) => fail(new Error(`wasm kernels: worker crashed: ${error.message}`)));
      slot.worker.on('messageerror', (error) => fail(new Error(`wasm kernels: worker message failed: ${error.message}`)));
      slot.worker.on('exit', (code) => fail(new Error(`wasm kernels: worker exited (code ${code})`)));
    });
  }
}
