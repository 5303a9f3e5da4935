/**
 * The routed dispatch at the sizes the forecaster batches: one expert receiving 200,000 tokens
 * (a batch of contexts in one `generate` call) is dispatched without overflowing the call stack,
 * and gives the dense path's values.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random, init, noGrad, randn, shutdown } from '../../src/index.ts';
import { SparseExpertsLayer, parseTimeMoEConfig } from '../../models/time-moe/index.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

test('200,000 tokens routed to the same two experts: no stack overflow, the values of the dense path', async () => {
  const config = parseTimeMoEConfig({
    hidden_size: 4,
    intermediate_size: 4,
    horizon_lengths: [1],
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_experts: 2,
  });
  const layer = new SparseExpertsLayer(config, { std: 0.5, rng: new Random(3) });
  const n = 200_000;
  const tokens = randn([n, 4], new Random(4));
  // Every token chooses experts 0 and 1 with weights 0.6 and 0.4.
  const indices = Float32Array.from({ length: 2 * n }, (_, i) => i % 2);
  const values = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? 0.6 : 0.4));
  const routed = await noGrad(() => layer.dispatch(tokens, indices, values)).data();
  const [e0, e1, shared] = await Promise.all(
    [layer.experts[0].forward(tokens), layer.experts[1].forward(tokens), layer.shared(tokens)].map((t) => noGrad(() => t).data()),
  );
  for (const i of [0, 1, 12_345, 4 * n - 1]) {
    const expected = 0.6 * e0[i] + 0.4 * e1[i] + shared[i];
    assert.ok(Math.abs(routed[i] - expected) < 1e-5 * (1 + Math.abs(expected)), `element ${i}: ${routed[i]} vs ${expected}`);
  }
});

test.run();
