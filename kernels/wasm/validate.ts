// Argument checks of the runtime's kernels: integer shapes and arrays long enough for them,
// with messages that name the argument, before anything touches wasm memory.

import type { CausalConvDims, FftDims, MatmulDims } from './runtime.ts';

function checkCount(name: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`wasm kernels: ${name} must be an integer >= ${min}, got ${value}`);
}

function checkLength(name: string, array: Float32Array, needed: number): void {
  if (!(array instanceof Float32Array)) throw new TypeError(`wasm kernels: ${name} must be a Float32Array`);
  if (array.length < needed) throw new RangeError(`wasm kernels: ${name} has ${array.length} floats, needs ${needed}`);
}

/** Checks a matmul call and returns its dims with the defaults filled in. */
export function checkMatmul(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims) {
  const { batch, m, k, n } = dims;
  for (const [name, v] of Object.entries({ batch, m, k, n })) checkCount(name, v);
  const d = {
    batch,
    m,
    k,
    n,
    transA: dims.transA ?? false,
    transB: dims.transB ?? false,
    aBatchStride: dims.aBatchStride ?? m * k,
    bBatchStride: dims.bBatchStride ?? k * n,
  };
  checkCount('aBatchStride', d.aBatchStride);
  checkCount('bBatchStride', d.bBatchStride);
  const span = (stride: number, size: number) => (batch === 0 || size === 0 ? 0 : (batch - 1) * stride + size);
  checkLength('a', a, span(d.aBatchStride, m * k));
  checkLength('b', b, span(d.bBatchStride, k * n));
  checkLength('out', out, batch * m * n);
  return d;
}

/** Checks an rfft (inverse false) or irfft (inverse true) call. */
export function checkFft(input: Float32Array, out: Float32Array, dims: FftDims, inverse: boolean): void {
  checkCount('rows', dims.rows);
  checkCount('n', dims.n, 1);
  const spectrum = dims.rows * (Math.floor(dims.n / 2) + 1) * 2;
  const signal = dims.rows * dims.n;
  checkLength(inverse ? 'spectrum' : 'x', input, inverse ? spectrum : signal);
  checkLength('out', out, inverse ? signal : spectrum);
}

/** Checks a causal convolution call. */
export function checkConv(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): void {
  checkCount('rows', dims.rows);
  checkCount('length', dims.length);
  checkCount('kernelRows', dims.kernelRows, 1);
  checkCount('kernelLength', dims.kernelLength);
  checkLength('u', u, dims.rows * dims.length);
  checkLength('k', k, dims.kernelRows * dims.kernelLength);
  checkLength('out', out, dims.rows * dims.length);
}
