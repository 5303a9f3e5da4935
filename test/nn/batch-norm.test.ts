/**
 * BatchNorm1d: outputs against a float64 reference in training and eval mode, running
 * statistics folded after the training steps as torch updates them, a finite-difference gradient
 * check in training mode, and the torch state-dict names.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { assertClose } from '../helpers/close.ts';
import { gradCheck } from '../helpers/gradcheck.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 1 });
});
test.after(() => cs.shutdown());

/** Per-channel mean and population variance of x [B, C, L] in float64. */
function channelStats(x: Float32Array, [b, c, l]: readonly number[]): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    let s = 0;
    for (let i = 0; i < b; i++) for (let t = 0; t < l; t++) s += x[(i * c + k) * l + t];
    mean[k] = s / (b * l);
    let q = 0;
    for (let i = 0; i < b; i++) for (let t = 0; t < l; t++) q += (x[(i * c + k) * l + t] - mean[k]) ** 2;
    variance[k] = q / (b * l);
  }
  return { mean, variance };
}

/** (x − μ)/√(σ² + eps)·w + b over [B, C, L] in float64. */
function normalise(
  x: Float32Array,
  shape: readonly number[],
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number>,
  eps = 1e-5,
): Float64Array {
  const [, c, l] = shape;
  return Float64Array.from(x, (v, i) => {
    const k = Math.floor(i / l) % c;
    return ((v - mean[k]) / Math.sqrt(variance[k] + eps)) * w[k] + bias[k];
  });
}

function randomBatchNorm(channels: number, seed: number, options: cs.BatchNormOptions = {}): cs.BatchNorm1d {
  const bn = new cs.BatchNorm1d(channels, options);
  const rng = new cs.Random(seed);
  if (bn.weight) bn.weight.storage!.data.set(rng.normalArray(channels, 1, 0.3));
  if (bn.bias) bn.bias.storage!.data.set(rng.normalArray(channels, 0, 0.3));
  return bn;
}

test('training mode normalises by the batch statistics of [B, C, L] and of [B, C]', async () => {
  for (const shape of [
    [3, 4, 5],
    [6, 4, 1],
  ]) {
    const bn = randomBatchNorm(4, 1);
    const x = cs.randn(shape, new cs.Random(2), { mean: 0.5, std: 2 });
    const y = bn.forward(shape[2] === 1 ? cs.reshape(x, [6, 4]) : x);
    const { mean, variance } = channelStats(x.storage!.data, shape);
    const expected = normalise(x.storage!.data, shape, mean, variance, bn.weight!.storage!.data, bn.bias!.storage!.data);
    assertClose(await y.data(), expected, `BatchNorm1d [${shape}]`, { rtol: 1e-5, atol: 1e-5 });
  }
});

test('eval mode normalises by the running statistics', async () => {
  const bn = randomBatchNorm(3, 3);
  bn.running_mean!.storage!.data.set([0.5, -1, 2]);
  bn.running_var!.storage!.data.set([4, 0.25, 1]);
  bn.eval();
  const x = cs.randn([2, 3, 7], new cs.Random(4));
  const expected = normalise(x.storage!.data, [2, 3, 7], [0.5, -1, 2], [4, 0.25, 1], bn.weight!.storage!.data, bn.bias!.storage!.data);
  assertClose(await bn.forward(x).data(), expected, 'BatchNorm1d eval', { rtol: 1e-5, atol: 1e-5 });
});

/** Running estimates after the batches, by torch's rule (unbiased variance, momentum m or 1/k). */
function torchRunning(batches: Float32Array[], shape: readonly number[], momentum: number | null): { mean: Float64Array; variance: Float64Array } {
  const c = shape[1];
  const mean = new Float64Array(c);
  const variance = new Float64Array(c).fill(1);
  const n = shape[0] * shape[2];
  batches.forEach((x, k) => {
    const m = momentum ?? 1 / (k + 1);
    const stats = channelStats(x, shape);
    for (let j = 0; j < c; j++) {
      mean[j] = (1 - m) * mean[j] + m * stats.mean[j];
      variance[j] = (1 - m) * variance[j] + (m * stats.variance[j] * n) / (n - 1);
    }
  });
  return { mean, variance };
}

for (const momentum of [0.1, null]) {
  test(`running statistics after training steps follow torch's update (momentum ${momentum})`, async () => {
    const shape = [4, 3, 6];
    const bn = randomBatchNorm(3, 5, { momentum });
    const optimizer = new cs.SGD(bn.parameters(), { lr: 0.1 });
    const batches: Float32Array[] = [];
    for (let step = 0; step < 4; step++) {
      const x = cs.randn(shape, new cs.Random(10 + step), { mean: step, std: 1 + step });
      batches.push(x.storage!.data.slice());
      const loss = bn.forward(x).square().mean();
      await loss.backward();
      await optimizer.step();
      optimizer.zeroGrad();
    }
    bn.eval(); // folds the last step's statistics
    const expected = torchRunning(batches, shape, momentum);
    assertClose(bn.running_mean!.storage!.data, expected.mean, 'running_mean', { rtol: 1e-5, atol: 1e-6 });
    assertClose(bn.running_var!.storage!.data, expected.variance, 'running_var', { rtol: 1e-5, atol: 1e-6 });
    assert.is(bn.num_batches_tracked!.storage!.data[0], 4);
  });
}

test('two training forwards in one graph both update the statistics, in order', async () => {
  const shape = [2, 2, 5];
  const bn = randomBatchNorm(2, 6);
  const a = cs.randn(shape, new cs.Random(20));
  const b = cs.randn(shape, new cs.Random(21), { mean: 3 });
  await bn.forward(a).add(bn.forward(b)).sum().backward();
  bn.foldRunningStats();
  const expected = torchRunning([a.storage!.data, b.storage!.data], shape, 0.1);
  assertClose(bn.running_mean!.storage!.data, expected.mean, 'running_mean', { rtol: 1e-5, atol: 1e-6 });
});

test('a forward whose graph never ran does not update, and a loaded state supersedes pending statistics', async () => {
  const bn = randomBatchNorm(2, 7);
  bn.forward(cs.randn([2, 2, 4], new cs.Random(30))); // built, never realised
  bn.eval();
  assert.equal(Array.from(bn.running_mean!.storage!.data), [0, 0]);
  bn.train();
  await bn.forward(cs.randn([2, 2, 4], new cs.Random(31), { mean: 5 })).data();
  const state = new Map([...bn.stateDict()].map(([name, t]) => [name, { shape: t.shape, data: t.data.slice() }]));
  state.get('running_mean')!.data.set([-1, -2]);
  bn.loadStateDict(state);
  bn.eval();
  assert.equal(Array.from(bn.running_mean!.storage!.data), [-1, -2]);
});

test('the gradient in training mode matches finite differences (input, weight and bias)', async () => {
  const bn = new cs.BatchNorm1d(3);
  const rng = new cs.Random(8);
  await gradCheck(
    'BatchNorm1d',
    (x, w, b) => {
      bn.weight = w;
      bn.bias = b;
      return bn.forward(x);
    },
    [
      { shape: [3, 3, 4], data: rng.normalArray(36, 0, 1.5), differentiable: true },
      { shape: [3], data: rng.normalArray(3, 1, 0.3), differentiable: true },
      { shape: [3], data: rng.normalArray(3, 0, 0.3), differentiable: true },
    ],
  );
});

test("state names are torch's; affine: false has no weight or bias; eval without running statistics uses the batch", async () => {
  assert.equal([...new cs.BatchNorm1d(2).stateDict().keys()], ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  assert.equal([...new cs.BatchNorm1d(2, { affine: false }).stateDict().keys()], ['running_mean', 'running_var', 'num_batches_tracked']);
  const bn = new cs.BatchNorm1d(2, { trackRunningStats: false, affine: false }).eval();
  const x = cs.randn([3, 2, 4], new cs.Random(9));
  const { mean, variance } = channelStats(x.storage!.data, [3, 2, 4]);
  assertClose(await bn.forward(x).data(), normalise(x.storage!.data, [3, 2, 4], mean, variance, [1, 1], [0, 0]), 'batch statistics in eval', {
    rtol: 1e-5,
    atol: 1e-5,
  });
});

test.run();
