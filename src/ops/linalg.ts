/** Matrix products. */
import { ShapeError } from '../../kernels/index.ts';
import { apply } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';
import { add } from './elementwise.ts';
import { reshape, squeeze } from './shape.ts';

export interface MatmulOptions {
  /** Use a's last two axes transposed. */
  transA?: boolean;
  /** Use b's last two axes transposed. */
  transB?: boolean;
}

/**
 * Matrix product with NumPy semantics: [..., M, K] · [..., K, N] → [..., M, N] with batch
 * axes broadcast; a 1-D operand is a row (left) or column (right) vector and its axis is dropped.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  if (a.rank === 0 || b.rank === 0) throw new ShapeError('matmul', [a.shape, b.shape], 'operands must have at least one axis');
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  let out = apply('matmul', [a2, b2], { transA: a.rank > 1 && (options.transA ?? false), transB: b.rank > 1 && (options.transB ?? false) });
  if (b.rank === 1) out = squeeze(out, -1);
  if (a.rank === 1) out = squeeze(out, -2 + (b.rank === 1 ? 1 : 0));
  return out;
}

/** x · Wᵀ + b with W stored [out, in], as torch.nn.Linear (so checkpoints map one to one). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const y = matmul(x, weight, { transB: true });
  return bias ? add(y, bias) : y;
}
