// Shared by the wasm kernel tests: seeded data, float64 reference loops and a loader that
// fails with the reason when the kernels cannot load.

import { loadWasmKernels } from '../../../kernels/wasm/runtime.ts';
import type { WasmKernels } from '../../../kernels/wasm/runtime.ts';

/** Loads the kernels with `threads` threads or throws why they are unavailable. */
export async function kernels(threads = 2): Promise<WasmKernels> {
  const loaded = await loadWasmKernels({ threads });
  if ('unavailable' in loaded) throw new Error(`wasm kernels unavailable: ${loaded.unavailable}`);
  return loaded;
}

/** Uniform values in [-1, 1) from a fixed seed (mulberry32). */
export function random(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Largest |actual - expected| relative to the scale of the expected values (its largest
 * magnitude, at least 1e-30): a size-independent measure of float32 agreement.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 1e-30;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / scale;
}

/** Naive float64 batched matmul (the definition of the kernel). */
export function matmulReference(
  a: Float32Array,
  b: Float32Array,
  d: { batch: number; m: number; k: number; n: number; transA?: boolean; transB?: boolean; aBatchStride?: number; bBatchStride?: number },
): Float64Array {
  const { batch, m, k, n } = d;
  const sa = d.aBatchStride ?? m * k;
  const sb = d.bBatchStride ?? k * n;
  const out = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = d.transA ? a[bi * sa + p * m + i] : a[bi * sa + i * k + p];
          const bv = d.transB ? b[bi * sb + j * k + p] : b[bi * sb + p * n + j];
          s += av * bv;
        }
        out[(bi * m + i) * n + j] = s;
      }
    }
  }
  return out;
}

/** Naive float64 DFT of each row: [rows, n] -> [rows, n/2 + 1, 2]. */
export function rfftReference(x: Float32Array, rows: number, n: number): Float64Array {
  const bins = Math.floor(n / 2) + 1;
  const out = new Float64Array(rows * bins * 2);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < bins; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const angle = (-2 * Math.PI * ((j * k) % n)) / n;
        re += x[r * n + j] * Math.cos(angle);
        im += x[r * n + j] * Math.sin(angle);
      }
      out[(r * bins + k) * 2] = re;
      out[(r * bins + k) * 2 + 1] = im;
    }
  }
  return out;
}

/** Direct O(L^2) causal convolution: y[r, l] = sum_(j <= l) k[r % kernelRows, j] u[r, l - j]. */
export function causalConvReference(
  u: Float32Array,
  k: Float32Array,
  d: { rows: number; length: number; kernelRows: number; kernelLength: number },
): Float64Array {
  const { rows, length, kernelRows, kernelLength } = d;
  const y = new Float64Array(rows * length);
  for (let r = 0; r < rows; r++) {
    const kr = (r % kernelRows) * kernelLength;
    for (let l = 0; l < length; l++) {
      let s = 0;
      for (let j = 0; j <= Math.min(l, kernelLength - 1); j++) s += k[kr + j] * u[r * length + l - j];
      y[r * length + l] = s;
    }
  }
  return y;
}
