/** Gradient rules of matmul, softmax, the norms and top-k. */
import { matmul } from '../ops/linalg.ts';
import * as ew from '../ops/elementwise.ts';
import { mean, sum } from '../ops/reduce.ts';
import type { Tensor } from '../tensor.ts';
import { sumTo } from './sum-to.ts';
import type { VjpTable } from './types.ts';

/**
 * Shared tail of the layer and RMS norm gradients. With x̂ the normalised input, r the inverse
 * scale and ĝ = g · w: dx = r (ĝ − mean(ĝ) − x̂ mean(ĝ x̂)) for layer norm; RMS norm has no
 * mean(ĝ) term because it does not centre.
 */
function normInputGrad(gHat: Tensor, xHat: Tensor, r: Tensor, centred: boolean): Tensor {
  const projection = ew.mul(xHat, mean(ew.mul(gHat, xHat), -1, { keepDims: true }));
  const centredGrad = centred ? ew.sub(gHat, mean(gHat, -1, { keepDims: true })) : gHat;
  return ew.mul(r, ew.sub(centredGrad, projection));
}

export const linalgVjps: VjpTable<'matmul' | 'softmax' | 'logSoftmax' | 'layerNorm' | 'rmsNorm' | 'topkIndices'> = {
  // C = op(A) op(B). dA = g op(B)ᵀ, or its transpose when A was used transposed; likewise dB.
  matmul: ({ inputs: [a, b], attrs: { transA, transB }, grad }) => [
    sumTo(transA ? matmul(b, grad, { transA: transB, transB: true }) : matmul(grad, b, { transB: !transB }), a.shape),
    sumTo(transB ? matmul(grad, a, { transA: true, transB: transA }) : matmul(a, grad, { transA: !transA }), b.shape),
  ],
  // dx = y (g − Σ g y)
  softmax: ({ output, attrs: { axis }, grad }) => [ew.mul(output, ew.sub(grad, sum(ew.mul(grad, output), axis, { keepDims: true })))],
  // dx = g − softmax(x) Σ g, with softmax(x) = e^y
  logSoftmax: ({ output, attrs: { axis }, grad }) => [ew.sub(grad, ew.mul(ew.exp(output), sum(grad, axis, { keepDims: true })))],
  layerNorm: ({ inputs: [x, weight, bias], attrs: { eps }, grad }) => {
    const centred = ew.sub(x, mean(x, -1, { keepDims: true }));
    const r = ew.rsqrt(ew.add(mean(ew.square(centred), -1, { keepDims: true }), eps));
    const xHat = ew.mul(centred, r);
    return [normInputGrad(ew.mul(grad, weight), xHat, r, true), sumTo(ew.mul(grad, xHat), weight.shape), sumTo(grad, bias.shape)];
  },
  rmsNorm: ({ inputs: [x, weight], attrs: { eps }, grad }) => {
    const r = ew.rsqrt(ew.add(mean(ew.square(x), -1, { keepDims: true }), eps));
    const xHat = ew.mul(x, r);
    return [normInputGrad(ew.mul(grad, weight), xHat, r, false), sumTo(ew.mul(grad, xHat), weight.shape)];
  },
  topkIndices: 'nondiff',
};
