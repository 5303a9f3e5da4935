/**
 * A realised buffer with a count of the tensors holding it. Reshapes share their input's
 * storage, so a buffer returns to the pool only when its last holder releases it.
 */
import { engine } from './context.ts';

export interface Storage {
  readonly data: Float32Array;
  refs: number;
}

export function newStorage(data: Float32Array): Storage {
  return { data, refs: 1 };
}

/** Drops one holder; the last one hands the buffer back to the pool. */
export function releaseStorage(storage: Storage): void {
  storage.refs--;
  if (storage.refs === 0) engine.pool.release(storage.data);
}
