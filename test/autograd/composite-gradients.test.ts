/**
 * Finite-difference gradient checks of the composite ops (losses, attention, the nn layers'
 * functional forms and the conveniences built from kernels), against the float64 references.
 */
import { test } from 'uvu';
import * as ops from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { gradCheck, type GradInput } from '../helpers/gradcheck.ts';

test.before(async () => {
  await ops.init({ name: 'webasm', threads: 2 });
});

const rng = new Random(11);
const real = (...shape: number[]): GradInput => ({ shape, data: rng.normalArray(shape.reduce((a, b) => a * b, 1)), differentiable: true });
const fixed = (shape: number[], values: number[]): GradInput => ({ shape, data: Float32Array.from(values), differentiable: false });
const classes = (shape: number[], n: number): GradInput => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, () => rng.integer(n)), differentiable: false };
};

test('mseLoss gradient matches finite differences', () => gradCheck('mseLoss', (p, t) => ops.mseLoss(p, t), [real(3, 4), real(3, 4)]));
test('maeLoss gradient matches finite differences', () => gradCheck('maeLoss', (p, t) => ops.maeLoss(p, t), [real(3, 4), real(3, 4)]));
test('huberLoss gradient matches finite differences on both branches', () =>
  gradCheck('huberLoss', (p, t) => ops.huberLoss(p, t, { delta: 0.7 }), [real(4, 5), real(4, 5)]));
test('masked mseLoss gradient ignores masked elements', () =>
  gradCheck('masked mseLoss', (p, t, m) => ops.mseLoss(p, t, { mask: m }), [real(2, 3), real(2, 3), fixed([2, 3], [1, 0, 1, 1, 1, 0])]));
test('crossEntropy gradient matches finite differences', () =>
  gradCheck('crossEntropy', (logits, target) => ops.crossEntropy(logits, target), [real(4, 5), classes([4], 5)]));
test('crossEntropy with label smoothing and an ignored index has the right gradient', () =>
  gradCheck('crossEntropy smoothing', (logits, target) => ops.crossEntropy(logits, target, { labelSmoothing: 0.1, ignoreIndex: 2 }), [
    real(2, 3, 4),
    fixed([2, 3], [0, 2, 3, 1, 2, 0]),
  ]));

test('scaledDotProductAttention gradient matches finite differences (causal)', () =>
  gradCheck('sdpa causal', (q, k, v) => ops.scaledDotProductAttention(q, k, v, { causal: true }), [real(1, 2, 3, 4), real(1, 2, 3, 4), real(1, 2, 3, 2)]));
test('scaledDotProductAttention gradient matches finite differences with a block mask and key padding', () =>
  gradCheck('sdpa masks', (q, k, v, mask, padding) => ops.scaledDotProductAttention(q, k, v, { mask, keyPadding: padding }), [
    real(2, 1, 3, 2),
    real(2, 1, 4, 2),
    real(2, 1, 4, 3),
    fixed([3, 4], [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1]),
    fixed([2, 4], [1, 1, 1, 0, 1, 1, 1, 1]),
  ]));
test('linear gradient matches finite differences', () => gradCheck('linear', (x, w, b) => ops.linear(x, w, b), [real(2, 3, 4), real(5, 4), real(5)]));
test('matmul of vectors and matrices has the right gradient', () =>
  gradCheck('matmul 1-D', (v, m, u) => ops.matmul(ops.matmul(v, m), u), [real(3), real(3, 4), real(4)]));
test('std and clamp have the right gradient', () => gradCheck('std clamp', (x) => ops.clamp(ops.std(x, 1, { correction: 1 }), -0.5, 1.2), [real(3, 5)]));
test('stack, split and chunk pass gradients through', () =>
  gradCheck(
    'stack split',
    (a, b) => {
      const [first, second] = ops.split(ops.stack([a, b], 1), [1, 1], 1);
      return ops.concat([...ops.chunk(first, 2, -1), ops.mul(second, 2)], -1);
    },
    [real(2, 4), real(2, 4)],
  ));
test('topk values carry the gradient of the selected elements', () => gradCheck('topk', (x) => ops.topk(x, 2).values, [real(3, 5)]));
test('complex helpers (conj, real, imag) have the right gradient', () =>
  gradCheck('complex helpers', (a, b) => ops.mul(ops.real(ops.complexMul(ops.conj(a), b)), ops.imag(a)), [real(4, 2), real(4, 2)]));
test('a round trip through rfft and irfft has the right gradient', () =>
  gradCheck('rfft irfft', (x) => ops.irfft(ops.complexMul(ops.rfft(x, 12), ops.rfft(x, 12)), 12), [real(2, 7)]));
test('layerNorm and rmsNorm compose with the right gradient', () =>
  gradCheck('norms', (x, w, b, g) => ops.rmsNorm(ops.layerNorm(x, w, b), g), [real(3, 6), real(6), real(6), real(6)]));
test('dropout with a drawn mask has the gradient of the masked product', () => gradCheck('dropout', (x) => ops.dropout(x, 0.3, new Random(3)), [real(4, 6)]));

test.after(() => ops.shutdown());
test.run();
