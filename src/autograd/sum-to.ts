/** Undoing broadcasting in gradients. */
import { sameShape, ShapeError, type Shape } from '../../kernels/index.ts';
import type { Tensor } from '../tensor.ts';
import { sum } from '../ops/reduce.ts';
import { reshape } from '../ops/shape.ts';

/**
 * Sums a gradient over the axes along which `shape` was broadcast to produce it: the adjoint
 * of broadcasting (leading axes that were added, and axes of size 1 that were stretched).
 */
export function sumTo(grad: Tensor, shape: Shape): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const offset = grad.rank - shape.length;
  if (offset < 0) throw new ShapeError('sumTo', [grad.shape, shape], 'the target has more axes than the gradient');
  const axes = grad.shape.flatMap((d, i) => (i < offset || (shape[i - offset] === 1 && d !== 1) ? [i] : []));
  return reshape(sum(grad, axes, { keepDims: true }), shape);
}
