/** Gradient rules of movement, indexing and scan kernels: each is the op's adjoint. */
import { apply } from '../engine/apply.ts';
import { gather, indexAdd, indexSelect, scatterAdd } from '../ops/indexing.ts';
import { cumsum } from '../ops/scan.ts';
import { flip, permute } from '../ops/shape.ts';
import type { Tensor } from '../tensor.ts';
import { sumTo } from './sum-to.ts';
import type { VjpTable } from './types.ts';

type Movement = 'permute' | 'expand' | 'slice' | 'unslice' | 'pad' | 'flip' | 'concat';
type Indexing = 'indexSelect' | 'indexAdd' | 'gather' | 'scatterAdd' | 'oneHot' | 'cumsum';

/** A strided window: slice with explicit canonical bounds. */
function window(t: Tensor, starts: number[], ends: number[], steps: number[]): Tensor {
  return apply('slice', [t], { starts, ends, steps });
}

export const movementVjps: VjpTable<Movement | Indexing> = {
  permute: ({ attrs: { perm }, grad }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [permute(grad, inverse)];
  },
  expand: ({ inputs: [x], grad }) => [sumTo(grad, x.shape)],
  slice: ({ inputs: [x], attrs: { starts, steps }, grad }) => [apply('unslice', [grad], { shape: [...x.shape], starts, steps })],
  unslice: ({ inputs: [x], attrs: { starts, steps }, grad }) => [
    window(
      grad,
      starts,
      x.shape.map((d, i) => starts[i] + (d - 1) * steps[i] + 1),
      steps,
    ),
  ],
  pad: ({ inputs: [x], attrs: { before }, grad }) => [
    window(
      grad,
      before,
      x.shape.map((d, i) => before[i] + d),
      x.shape.map(() => 1),
    ),
  ],
  flip: ({ attrs: { axes }, grad }) => [flip(grad, axes)],
  concat: ({ inputs, attrs: { axis }, grad }) => {
    let offset = 0;
    return inputs.map((input) => {
      const starts = grad.shape.map((_, i) => (i === axis ? offset : 0));
      const ends = grad.shape.map((d, i) => (i === axis ? offset + input.shape[axis] : d));
      offset += input.shape[axis];
      return window(
        grad,
        starts,
        ends,
        grad.shape.map(() => 1),
      );
    });
  },
  indexSelect: ({ inputs: [x, index], attrs: { axis }, grad }) => [indexAdd(index, grad, axis, x.shape[axis]), null],
  indexAdd: ({ inputs: [index], attrs: { axis }, grad }) => [null, indexSelect(grad, axis, index)],
  gather: ({ inputs: [x, index], attrs: { axis }, grad }) => [scatterAdd(index, grad, axis, x.shape), null],
  scatterAdd: ({ inputs: [index], attrs: { axis }, grad }) => [null, gather(grad, axis, index)],
  oneHot: 'nondiff',
  cumsum: ({ attrs: { axis, exclusive, reverse }, grad }) => [cumsum(grad, axis, { exclusive, reverse: !reverse })],
};
