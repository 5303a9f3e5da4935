/** Gradient rules of the elementwise kernels. Broadcast inputs get their gradient summed back. */
import { apply } from '../engine/apply.ts';
import * as ew from '../ops/elementwise.ts';
import type { Tensor } from '../tensor.ts';
import { sumTo } from './sum-to.ts';
import type { VjpRule, VjpTable } from './types.ts';

type Unary =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'square'
  | 'abs'
  | 'sign'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'silu'
  | 'softplus'
  | 'sin'
  | 'cos'
  | 'gelu'
  | 'geluGrad';
type Binary =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual'
  | 'where';

/** A unary rule from dy/dx given x and y. */
function chain(derivative: (x: Tensor, y: Tensor) => Tensor): VjpRule<Unary> {
  return ({ inputs: [x], output, grad }) => [ew.mul(grad, derivative(x, output))];
}

/** Gradient share of `a` in max/min: 1 where it wins, ½ on ties (as PyTorch), 0 where it loses. */
function winnerShare(a: Tensor, b: Tensor, wins: (a: Tensor, b: Tensor) => Tensor): Tensor {
  return ew.add(wins(a, b), ew.mul(ew.equal(a, b), 0.5));
}

export const elementwiseVjps: VjpTable<Unary | Binary> = {
  neg: ({ grad }) => [ew.neg(grad)],
  exp: chain((_x, y) => y),
  log: ({ inputs: [x], grad }) => [ew.div(grad, x)],
  sqrt: ({ output, grad }) => [ew.div(ew.mul(grad, 0.5), output)],
  rsqrt: chain((x, y) => ew.mul(ew.div(y, x), -0.5)), // d/dx x^-½ = −½ x^-3/2 = −½ y / x
  reciprocal: chain((_x, y) => ew.neg(ew.square(y))),
  square: chain((x) => ew.mul(x, 2)),
  abs: chain((x) => ew.sign(x)),
  sign: 'nondiff', // zero almost everywhere
  tanh: chain((_x, y) => ew.sub(1, ew.square(y))),
  sigmoid: chain((_x, y) => ew.mul(y, ew.sub(1, y))),
  relu: chain((x) => ew.greater(x, 0)),
  // d/dx x σ(x) = σ(x) (1 + x (1 − σ(x)))
  silu: chain((x) => {
    const s = ew.sigmoid(x);
    return ew.mul(s, ew.add(1, ew.mul(x, ew.sub(1, s))));
  }),
  softplus: chain((x) => ew.sigmoid(x)),
  sin: chain((x) => ew.cos(x)),
  cos: chain((x) => ew.neg(ew.sin(x))),
  gelu: ({ inputs: [x], attrs, grad }) => [ew.mul(grad, apply('geluGrad', [x], attrs))],
  geluGrad: 'nondiff', // only used inside gelu's gradient; second derivatives are not supported

  add: ({ inputs: [a, b], grad }) => [sumTo(grad, a.shape), sumTo(grad, b.shape)],
  sub: ({ inputs: [a, b], grad }) => [sumTo(grad, a.shape), sumTo(ew.neg(grad), b.shape)],
  mul: ({ inputs: [a, b], grad }) => [sumTo(ew.mul(grad, b), a.shape), sumTo(ew.mul(grad, a), b.shape)],
  div: ({ inputs: [a, b], output, grad }) => [
    sumTo(ew.div(grad, b), a.shape),
    sumTo(ew.neg(ew.div(ew.mul(grad, output), b)), b.shape), // −g a / b² = −g y / b
  ],
  pow: ({ inputs: [a, b], output, grad }) => [
    sumTo(ew.mul(grad, ew.mul(b, ew.pow(a, ew.sub(b, 1)))), a.shape),
    sumTo(ew.mul(grad, ew.mul(output, ew.log(a))), b.shape),
  ],
  maximum: ({ inputs: [a, b], grad }) => {
    const share = winnerShare(a, b, ew.greater);
    return [sumTo(ew.mul(grad, share), a.shape), sumTo(ew.mul(grad, ew.sub(1, share)), b.shape)];
  },
  minimum: ({ inputs: [a, b], grad }) => {
    const share = winnerShare(a, b, ew.less);
    return [sumTo(ew.mul(grad, share), a.shape), sumTo(ew.mul(grad, ew.sub(1, share)), b.shape)];
  },
  equal: 'nondiff',
  notEqual: 'nondiff',
  less: 'nondiff',
  lessEqual: 'nondiff',
  greater: 'nondiff',
  greaterEqual: 'nondiff',
  where: ({ inputs: [condition, a, b], grad }) => [null, sumTo(ew.where(condition, grad, 0), a.shape), sumTo(ew.where(condition, 0, grad), b.shape)],
};
