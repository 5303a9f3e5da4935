/**
 * The SpaceTime network: shapes, upstream's parameter names, determinism, channel independence,
 * the training objective's terms, overfitting one fixed batch, and a checkpoint round trip.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AdamW, Random, init, loadCheckpoint, narrow, randn, saveCheckpoint, shutdown, tensor } from '../../src/index.ts';
import { SpaceTimeNetwork, type SpaceTimeNetworkConfig } from '../../models/spacetime/index.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const tiny: SpaceTimeNetworkConfig = { lookback: 24, horizon: 8, channels: 1, modelDim: 8, kernelDim: 4, dropout: 0, maxAvgWindow: 8 };

test('the network maps [B, L, C] to [B, H, C] and names its tensors as upstream', () => {
  const network = new SpaceTimeNetwork({ ...tiny, channels: 3, encoderBlocks: 2, rng: new Random(1) }).eval();
  assert.equal(network.forward(randn([2, 24, 3], new Random(2))).shape, [2, 8, 3]);
  const names = [...network.stateDict().keys()];
  for (const name of [
    'encoder.blocks.0.pre.diff_kernel',
    'encoder.blocks.0.pre.ma_r_kernel',
    'encoder.blocks.0.ssm.a',
    'encoder.blocks.0.ssm.skip',
    'encoder.blocks.0.mlp.layers.1.weight',
    'encoder.blocks.1.ssm.c',
    'decoder.blocks.ssm.k',
    'output.layers.1.bias',
  ]) {
    assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  }
  assert.equal([...network.stateDict().get('encoder.blocks.0.ssm.a')!.shape], [1, 4]); // D/8 kernels × 8 heads
  assert.throws(() => network.forward(randn([2, 24, 2], new Random(3))), /expected x \[B, 24, 3\]/);
});

test('the same seed builds the same network; another seed another one', async () => {
  const x = randn([2, 24, 1], new Random(4));
  const forecast = async (seed: number) => new SpaceTimeNetwork({ ...tiny, rng: new Random(seed) }).eval().forward(x).data();
  const [first, again, other] = [await forecast(5), await forecast(5), await forecast(6)];
  assertClose(again, first, 'same seed', { rtol: 0, atol: 0 });
  assert.ok(
    other.some((v, i) => Math.abs(v - first[i]) > 1e-4),
    'another seed differs',
  );
});

test('a seeded network gives its recorded forecast (golden output)', async () => {
  const network = new SpaceTimeNetwork({ ...tiny, rng: new Random(2024) }).eval();
  const golden = [-0.45903, -1.31048, -0.68049, -0.00222, -0.02394, 0.03587, 0.17997, -0.91707];
  assertClose(await network.forward(randn([1, 24, 1], new Random(2025))).data(), golden, 'forecast', { rtol: 1e-3, atol: 1e-4 });
});

test('channels are forecast independently with shared weights, and the lookback mean is added back', async () => {
  const network = new SpaceTimeNetwork({ ...tiny, channels: 2, rng: new Random(7) }).eval();
  const single = new SpaceTimeNetwork({ ...tiny, channels: 1, rng: new Random(7) }).eval();
  const x = randn([2, 24, 2], new Random(8));
  const y = await network.forward(x).data(); // [2, 8, 2]
  for (let c = 0; c < 2; c++) {
    const alone = await single.forward(narrow(x, 2, c, 1)).data();
    assertClose(
      Float32Array.from({ length: 16 }, (_, i) => y[i * 2 + c]),
      alone,
      `channel ${c}`,
      { rtol: 1e-4, atol: 1e-5 },
    );
  }
  const shifted = await single.forward(narrow(x, 2, 0, 1).add(5)).data();
  const base = await single.forward(narrow(x, 2, 0, 1)).data();
  assertClose(
    shifted,
    Float32Array.from(base, (v) => v + 5),
    'level shift passes through',
    { rtol: 1e-4, atol: 1e-4 },
  );
});

test('the training loss adds the one-step and next-input terms to the horizon term', async () => {
  const network = new SpaceTimeNetwork({ ...tiny, rng: new Random(9) });
  const x = randn([3, 24, 1], new Random(10));
  const y = randn([3, 8, 1], new Random(11));
  const horizonOnly = await new SpaceTimeNetwork({ ...tiny, criterionWeights: [1, 0, 0], rng: new Random(9) }).loss(x, y).data();
  const full = await network.loss(x, y).data();
  const evaluated = await network.eval().loss(x, y).data();
  assertClose(evaluated, horizonOnly, 'eval mode scores the horizon alone', { rtol: 1e-5, atol: 1e-6 });
  assert.ok(full[0] > horizonOnly[0] + 1e-3, `full ${full[0]} > horizon ${horizonOnly[0]}`);
});

test('a tiny SpaceTime overfits one fixed batch', async () => {
  const rng = new Random(12);
  const [batch, L, H] = [4, 24, 8];
  // Noisy damped oscillations: one fixed batch the model must memorise.
  const series = Float32Array.from(
    { length: batch * (L + H) },
    (_, i) => Math.sin(0.7 * (i % (L + H)) + Math.floor(i / (L + H))) * 0.9 ** ((i % (L + H)) / 8) + 0.1 * rng.normal(),
  );
  const x = new Float32Array(batch * L);
  const y = new Float32Array(batch * H);
  for (let b = 0; b < batch; b++) {
    x.set(series.subarray(b * (L + H), b * (L + H) + L), b * L);
    y.set(series.subarray(b * (L + H) + L, (b + 1) * (L + H)), b * H);
  }
  const network = new SpaceTimeNetwork({ ...tiny, modelDim: 16, rng: new Random(13) });
  const [xs, ys] = [tensor(x, [batch, L, 1]), tensor(y, [batch, H, 1])];
  const horizonError = async () => (await network.eval().loss(xs, ys).data())[0];
  const before = await horizonError();
  const optimizer = new AdamW(network.parameters(), { lr: 0.01, weightDecay: 0 });
  network.train();
  for (let step = 0; step < 150; step++) {
    optimizer.zeroGrad();
    await network.loss(xs, ys).backward();
    await optimizer.step();
  }
  const after = await horizonError();
  assert.ok(after < 0.25 * before, `horizon RMSE ${before.toFixed(3)} → ${after.toFixed(3)}`);
});

test('a checkpoint round trip restores every tensor, the drawn moving-average windows included', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-spacetime-'));
  try {
    const file = path.join(dir, 'model.safetensors');
    const source = new SpaceTimeNetwork({ ...tiny, encoderBlocks: 2, rng: new Random(14) }).eval();
    await saveCheckpoint(file, source, { family: 'spaceTime', config: tiny });
    const target = new SpaceTimeNetwork({ ...tiny, encoderBlocks: 2, rng: new Random(15) }).eval();
    const x = randn([2, 24, 1], new Random(16));
    const want = await source.forward(x).data();
    assert.ok(
      (await target.forward(x).data()).some((v, i) => Math.abs(v - want[i]) > 1e-4),
      'differs before loading',
    );
    const loaded = await loadCheckpoint(file, target);
    assert.is(loaded.family, 'spaceTime');
    assertClose(await target.forward(x).data(), want, 'forecast after loading', { rtol: 0, atol: 0 });
    assertClose(target.stateDict().get('encoder.blocks.0.pre.ma_r_kernel')!.data, source.stateDict().get('encoder.blocks.0.pre.ma_r_kernel')!.data, 'windows', {
      rtol: 0,
      atol: 0,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
