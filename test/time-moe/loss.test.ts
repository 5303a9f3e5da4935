/**
 * Time-MoE's training loss: the shifted multi-horizon targets and masks, the Huber head loss
 * and the load-balancing loss against hand computations, gradients of the whole objective
 * against finite differences on a tiny config, and a tiny model overfitting one batch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AdamW, Random, clipGradNorm, init, shutdown, tensor, type Tensor } from '../../src/index.ts';
import { TimeMoE, headLoss, loadBalancingLoss, shiftedTargets, timeMoELoss, timeMoEParamGroups } from '../../models/time-moe/index.ts';
import { assertClose } from '../helpers/close.ts';
import { gradCheck } from '../helpers/gradcheck.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

test('targets at t are the labels t … t+h−1, padded with zeros past the end', async () => {
  const y = tensor([[[1], [2], [3]]]); // [1, 3, 1]
  assert.equal(await shiftedTargets(y, 2).array(), [
    [
      [[1], [2]],
      [[2], [3]],
      [[3], [0]],
    ],
  ]);
  assert.equal(await shiftedTargets(y, 1).array(), [[[[1]], [[2]], [[3]]]]);
});

const huber = (d: number): number => (Math.abs(d) <= 2 ? 0.5 * d * d : 2 * (Math.abs(d) - 1));

test('a head loss is the masked mean Huber (δ = 2) over the shifted targets', async () => {
  const labels = tensor([[[1], [2], [5]]]); // [1, 3, 1]
  const prediction = tensor([
    [
      [0.5, 4],
      [2, -1],
      [9, 3],
    ],
  ]); // [1, 3, h = 2]
  const mask = tensor([[[1], [1], [0]]]); // [1, 3, 1]: the last point is padding
  // Entries kept by the shifted mask: (t0: 1, 2), (t1: 2); t1's second target and t2 are padding.
  const expected = (huber(0.5 - 1) + huber(4 - 2) + huber(2 - 2)) / 3;
  assertClose([await headLoss(prediction, labels, mask, 2).item()], [expected], 'masked');
  // Without a mask every entry counts, the zero padding included (upstream's torch.mean).
  const all = (huber(0.5 - 1) + huber(4 - 2) + huber(2 - 2) + huber(-1 - 5) + huber(9 - 5) + huber(3 - 0)) / 6;
  assertClose([await headLoss(prediction, labels, null, 2).item()], [all], 'unmasked');
});

test('the load-balancing loss equals E · Σ_e f_e · P_e over every layer, by hand', async () => {
  const layers = [
    [
      [2, 1, 0],
      [0, 3, 1],
      [1, 1, 2],
    ],
    [
      [0.5, 0, -1],
      [-2, 0, 2],
      [1, 4, 0],
    ],
  ];
  const rows = layers.flat();
  const probabilities = rows.map((row) => {
    const e = row.map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  });
  const counts = [0, 0, 0];
  for (const p of probabilities) {
    const order = [0, 1, 2].sort((a, b) => p[b] - p[a]);
    counts[order[0]]++;
    counts[order[1]]++;
  }
  const f = counts.map((c) => c / rows.length); // top-2 slots per expert, per token
  const P = [0, 1, 2].map((e) => probabilities.reduce((s, p) => s + p[e], 0) / rows.length);
  const expected = 3 * f.reduce((s, fe, e) => s + fe * P[e], 0);
  const loss = loadBalancingLoss(
    layers.map((l) => tensor(l)),
    2,
  );
  assertClose([await loss.item()], [expected], 'load balancing', { rtol: 1e-6, atol: 1e-7 });
});

const tiny = {
  hidden_size: 8,
  intermediate_size: 8,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_experts: 3,
  horizon_lengths: [1, 2],
  max_position_embeddings: 16,
};

test('gradients of the whole loss (heads, aux, attention, experts, router) match finite differences', async () => {
  const model = new TimeMoE(tiny, { rng: new Random(11) });
  const rng = new Random(12);
  const input = tensor(rng.normalArray(2 * 5), [2, 5]);
  const labels = tensor(rng.normalArray(2 * 5), [2, 5]);
  const mask = tensor([1, 1, 1, 1, 0, 1, 1, 1, 0, 0], [2, 5]);
  const layer = model.model.layers[0];
  const moe = layer.ffn_layer as import('../../models/time-moe/index.ts').SparseExpertsLayer;
  // The loss as a function of a few parameters: each slot of the model takes the checked leaf.
  const slots: [string, { weight: Tensor }][] = [
    ['embed gate', model.model.embed_layer.gate_layer],
    ['q_proj', layer.self_attn.q_proj],
    ['k_proj', layer.self_attn.k_proj],
    ['router', moe.gate],
    ['expert 1 down', moe.experts[1].down_proj],
    ['shared gate', moe.shared_expert_gate],
    ['head 1', model.lm_heads[1].out_layer],
  ];
  const values = await Promise.all(slots.map(async ([, slot]) => ({ shape: slot.weight.shape, data: await slot.weight.data(), differentiable: true })));
  // Scaled up so that the router's and the gate's contributions are far above the float32 noise.
  for (const v of values) v.data = v.data.map((x) => x * 20);
  await gradCheck(
    'timeMoELoss',
    (...weights) => {
      weights.forEach((w, i) => (slots[i][1].weight = w));
      return timeMoELoss(model, input, labels, mask).loss;
    },
    values,
    { rtol: 5e-3, atol: 5e-4 },
  );
});

test('the optimiser groups decay every weight, norms included, and no bias (the official Trainer)', () => {
  const model = new TimeMoE(tiny, { rng: new Random(14) });
  const [decayed, biases] = timeMoEParamGroups(model, { weightDecay: 0.1 });
  assert.is(decayed.weightDecay, 0.1);
  assert.is(biases.weightDecay, 0);
  assert.is(biases.params.length, 3); // q, k, v of the one layer
  assert.ok(decayed.params.includes(model.model.norm.weight));
  assert.is(decayed.params.length + biases.params.length, model.parameters().length);
});

test('a tiny model overfits one batch (the loss falls by 90 %)', async () => {
  const model = new TimeMoE({ ...tiny, hidden_size: 16, intermediate_size: 16 }, { rng: new Random(13) });
  const series = Array.from({ length: 4 }, (_, b) => Array.from({ length: 17 }, (_, t) => Math.sin(0.6 * t + b)));
  const input = tensor(series.map((s) => s.slice(0, 16)));
  const labels = tensor(series.map((s) => s.slice(1)));
  const optimizer = new AdamW(model.parameters(), { lr: 3e-2, weightDecay: 0, betas: [0.9, 0.95] });
  const losses: number[] = [];
  for (let step = 0; step < 200; step++) {
    const { ar, loss } = timeMoELoss(model, input, labels);
    await loss.backward();
    losses.push(await ar.item());
    await clipGradNorm(model.parameters(), 1);
    await optimizer.step();
    optimizer.zeroGrad();
  }
  assert.ok(losses.at(-1)! < 0.1 * losses[0], `the Huber loss went from ${losses[0]} to ${losses.at(-1)}`);
});

test.run();
