/** Real FFTs and causal convolution, along the last axis. */
import { ShapeError } from '../../kernels/index.ts';
import { apply } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';

/** numpy.fft.rfft(x, n): [..., L] → [..., ⌊n/2⌋+1, 2], zero-padding or truncating to n (default L). */
export function rfft(x: Tensor, n = x.shape[x.rank - 1]): Tensor {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError('rfft', [x.shape], `n = ${n} must be a positive integer`);
  return apply('rfft', [x], { n });
}

/** numpy.fft.irfft(X, n): [..., m, 2] → [..., n] (default n = 2(m − 1)), normalised by 1/n. */
export function irfft(x: Tensor, n = 2 * (x.shape[x.rank - 2] - 1)): Tensor {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError('irfft', [x.shape], `n = ${n} must be a positive integer`);
  return apply('irfft', [x], { n });
}

/**
 * Causal convolution along the last axis: y[..., l] = Σ_{j ≤ l} k[..., j] u[..., l − j].
 * k's leading axes broadcast against u's (k [H, Lk] with u [B, H, L] is the SSM layout).
 * Computed by FFT on the CPU backends (padding to a fast size), directly elsewhere.
 */
export function causalConv(u: Tensor, k: Tensor): Tensor {
  return apply('causalConv', [u, k], {});
}
