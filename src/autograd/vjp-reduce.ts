/** Gradient rules of the reductions: broadcast the output gradient back over the reduced axes. */
import { numel, type Shape } from '../../kernels/index.ts';
import * as ew from '../ops/elementwise.ts';
import { sum } from '../ops/reduce.ts';
import { expand, reshape } from '../ops/shape.ts';
import type { Tensor } from '../tensor.ts';
import type { VjpTable } from './types.ts';

/** The input shape with reduced axes set to 1: where a reduced value broadcasts back from. */
function keptShape(input: Shape, axes: readonly number[]): number[] {
  return input.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** A reduced tensor (output or its gradient) broadcast back to the input's shape. */
function spread(t: Tensor, input: Shape, axes: readonly number[]): Tensor {
  return expand(reshape(t, keptShape(input, axes)), input);
}

function count(input: Shape, axes: readonly number[]): number {
  return numel(axes.map((a) => input[a]));
}

/** max/min: the gradient goes to the extreme elements, shared evenly among ties. */
function extremeVjp({ inputs: [x], output, attrs: { axes }, grad }: { inputs: readonly Tensor[]; output: Tensor; attrs: { axes: number[] }; grad: Tensor }) {
  const hits = ew.equal(x, spread(output, x.shape, axes));
  const ties = sum(hits, axes, { keepDims: true });
  return [ew.mul(hits, spread(ew.div(reshape(grad, keptShape(x.shape, axes)), reshape(ties, keptShape(x.shape, axes))), x.shape, axes))];
}

export const reduceVjps: VjpTable<'sum' | 'mean' | 'max' | 'min' | 'var' | 'logsumexp' | 'argmax' | 'argmin'> = {
  sum: ({ inputs: [x], attrs: { axes }, grad }) => [spread(grad, x.shape, axes)],
  mean: ({ inputs: [x], attrs: { axes }, grad }) => [ew.div(spread(grad, x.shape, axes), count(x.shape, axes))],
  max: extremeVjp,
  min: extremeVjp,
  // d/dx Σ(x − μ)² / (N − c) = 2 (x − μ) / (N − c): the μ term cancels because Σ(x − μ) = 0.
  var: ({ inputs: [x], attrs: { axes, correction }, grad }) => {
    const centred = ew.sub(x, spread(sum(x, axes, { keepDims: true }).div(count(x.shape, axes)), x.shape, axes));
    return [ew.mul(spread(grad, x.shape, axes), ew.mul(centred, 2 / (count(x.shape, axes) - correction)))];
  },
  // d/dx log Σ e^x = softmax(x) = e^(x − lse)
  logsumexp: ({ inputs: [x], output, attrs: { axes }, grad }) => [ew.mul(spread(grad, x.shape, axes), ew.exp(ew.sub(x, spread(output, x.shape, axes))))],
  argmax: 'nondiff',
  argmin: 'nondiff',
};
