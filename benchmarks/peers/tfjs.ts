// TensorFlow.js as a benchmark peer: its pure-JS `cpu` backend and its WebAssembly backend
// (XNNPACK, SIMD; single-threaded in Node), on the ops our kernels offer, written the way a
// TensorFlow.js user would write them.
//
// Each op uploads its inputs once, runs once as a warm-up (whose output is returned for the
// caller to validate against ours), then times `runs` executions, reading the result back each
// time (tfjs executes eagerly on these backends, so the readback is only the final copy).
// Uploading the inputs is not timed.

import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { median } from './timing.ts';
import type { PeerResult, TimingOptions } from './timing.ts';

export type TfjsBackend = 'cpu' | 'wasm';

export interface TfjsPeer {
  /** 'tfjs-cpu' or 'tfjs-wasm'. */
  readonly name: string;
  /** Batched a [batch, m, k] . b [batch, k, n] (tf.matMul). */
  matmul(a: Float32Array, b: Float32Array, d: { batch?: number; m: number; k: number; n: number }, opts?: TimingOptions): Promise<PeerResult>;
  /** tf.softmax over the last axis of x [rows, cols]. */
  softmax(x: Float32Array, d: { rows: number; cols: number }, opts?: TimingOptions): Promise<PeerResult>;
  /** (x - mean) / sqrt(var + eps) * gamma + beta over the last axis, from tf.moments. */
  layerNorm(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    d: { rows: number; cols: number; eps?: number },
    opts?: TimingOptions,
  ): Promise<PeerResult>;
  /**
   * irfft(rfft(u, 2L) * rfft(k, 2L))[..., :L] with u [rows, L] seen as [rows / H, H, L] and
   * k [H, L] (rows must be a multiple of H).
   */
  causalConv(u: Float32Array, k: Float32Array, d: { rows: number; length: number; kernelRows: number }, opts?: TimingOptions): Promise<PeerResult>;
}

let tfModule: typeof TF | undefined;

/** Loads TensorFlow.js on the given backend, or says why it cannot. */
export async function tfjsPeer(backend: TfjsBackend): Promise<TfjsPeer | { unavailable: string }> {
  let tf: typeof TF;
  try {
    tf = tfModule ??= await import('@tensorflow/tfjs');
    if (backend === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(`${dist}${path.sep}`);
    }
    if (!(await tf.setBackend(backend))) return { unavailable: `tfjs backend ${backend} did not initialise` };
    await tf.ready();
  } catch (error) {
    return { unavailable: `tfjs ${backend}: ${(error as Error).message}` };
  }
  return new Peer(tf, backend);
}

class Peer implements TfjsPeer {
  readonly name: string;

  constructor(
    private readonly tf: typeof TF,
    private readonly backend: TfjsBackend,
  ) {
    this.name = `tfjs-${backend}`;
  }

  matmul(a: Float32Array, b: Float32Array, d: { batch?: number; m: number; k: number; n: number }, opts?: TimingOptions) {
    const tf = this.tf;
    const batch = d.batch ?? 1;
    return this.time(
      () => [tf.tensor3d(a, [batch, d.m, d.k]), tf.tensor3d(b, [batch, d.k, d.n])],
      ([ta, tb]) => tf.matMul(ta, tb),
      opts,
    );
  }

  softmax(x: Float32Array, d: { rows: number; cols: number }, opts?: TimingOptions) {
    const tf = this.tf;
    return this.time(
      () => [tf.tensor2d(x, [d.rows, d.cols])],
      ([tx]) => tf.softmax(tx),
      opts,
    );
  }

  layerNorm(x: Float32Array, gamma: Float32Array, beta: Float32Array, d: { rows: number; cols: number; eps?: number }, opts?: TimingOptions) {
    const tf = this.tf;
    const eps = d.eps ?? 1e-5;
    return this.time(
      () => [tf.tensor2d(x, [d.rows, d.cols]), tf.tensor1d(gamma), tf.tensor1d(beta)],
      ([tx, tg, tb]) => {
        const { mean, variance } = tf.moments(tx, -1, true);
        return tx.sub(mean).div(variance.add(eps).sqrt()).mul(tg).add(tb);
      },
      opts,
    );
  }

  causalConv(u: Float32Array, k: Float32Array, d: { rows: number; length: number; kernelRows: number }, opts?: TimingOptions) {
    const tf = this.tf;
    const { rows, length: L, kernelRows: H } = d;
    if (rows % H !== 0) return Promise.resolve({ unsupported: 'rows must be a multiple of kernelRows' });
    return this.time(
      () => [tf.tensor3d(u, [rows / H, H, L]), tf.tensor2d(k.subarray(0, H * L), [H, L])],
      ([tu, tk]) => {
        // tfjs 4.22's cpu backend returns NaN when a complex multiply broadcasts, so the
        // kernel spectrum is broadcast explicitly, part by part.
        const shape: [number, number, number] = [rows / H, H, L + 1];
        const ks = tf.spectral.rfft(tk, 2 * L);
        const kb = tf.complex(tf.broadcastTo(tf.real(ks), shape), tf.broadcastTo(tf.imag(ks), shape));
        const spectrum = tf.mul(tf.spectral.rfft(tu, 2 * L), kb);
        return tf.slice(tf.spectral.irfft(spectrum), [0, 0, 0], [rows / H, H, L]);
      },
      opts,
    );
  }

  /** Uploads inputs, runs op once untimed (unless opts.warmup is false), then `runs` timed times. */
  private async time(inputs: () => TF.Tensor[], op: (t: TF.Tensor[]) => TF.Tensor, opts: TimingOptions = {}): Promise<PeerResult> {
    const tf = this.tf;
    const runs = Math.max(1, opts.runs ?? 5);
    await tf.setBackend(this.backend);
    const tensors = inputs();
    let output: Float32Array | undefined;
    /** One execution with its readback; keeps the first output for validation. */
    const once = () => {
      const result = tf.tidy(() => op(tensors));
      const data = result.dataSync() as Float32Array;
      output ??= Float32Array.from(data);
      result.dispose();
    };
    try {
      try {
        if (opts.warmup ?? true) once();
      } catch (error) {
        return { unsupported: (error as Error).message };
      }
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const start = performance.now();
        once();
        times.push(performance.now() - start);
      }
      return { medianMs: median(times), runs, output: output! };
    } catch (error) {
      return { unsupported: (error as Error).message };
    } finally {
      tf.dispose(tensors);
    }
  }
}
