/**
 * The Time-MoE network: upstream's parameter names and shapes, one expert with top-1 equal to a
 * dense SwiGLU, the top-k weights left unnormalised, key/value-cache decoding equal to the full
 * forward, the dense variant, and the config reader's errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random, SwiGLU, concat, init, narrow, parameter, randn, shutdown, softmax, tensor, topk } from '../../src/index.ts';
import { SparseExpertsLayer, type TemporalBlock, TimeMoE, generate, parseTimeMoEConfig, routedDecode, timeMoEPresets } from '../../models/time-moe/index.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const tiny = {
  hidden_size: 16,
  intermediate_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_experts: 4,
  num_experts_per_tok: 2,
  horizon_lengths: [1, 4, 8],
  max_position_embeddings: 64,
};

test('the released layout has the 463 official tensor names, with their shapes', () => {
  // The 50M preset's counts (12 layers, 8 experts, 4 heads) at a width small enough to build here.
  const model = new TimeMoE({ ...timeMoEPresets.timeMoE50M, hidden_size: 24, intermediate_size: 16 }, { init: 'zeros' });
  const state = model.stateDict();
  assert.is(state.size, 463);
  const shapes: [string, number[]][] = [
    ['model.embed_layer.emb_layer.weight', [24, 1]],
    ['model.embed_layer.gate_layer.weight', [24, 1]],
    ['model.layers.0.input_layernorm.weight', [24]],
    ['model.layers.0.self_attn.q_proj.weight', [24, 24]],
    ['model.layers.0.self_attn.q_proj.bias', [24]],
    ['model.layers.11.self_attn.k_proj.bias', [24]],
    ['model.layers.0.self_attn.v_proj.bias', [24]],
    ['model.layers.0.self_attn.o_proj.weight', [24, 24]],
    ['model.layers.0.post_attention_layernorm.weight', [24]],
    ['model.layers.0.ffn_layer.gate.weight', [8, 24]],
    ['model.layers.0.ffn_layer.experts.3.gate_proj.weight', [8, 24]],
    ['model.layers.0.ffn_layer.experts.7.down_proj.weight', [24, 8]],
    ['model.layers.5.ffn_layer.shared_expert.up_proj.weight', [16, 24]],
    ['model.layers.5.ffn_layer.shared_expert.down_proj.weight', [24, 16]],
    ['model.layers.5.ffn_layer.shared_expert_gate.weight', [1, 24]],
    ['model.norm.weight', [24]],
    ['lm_heads.0.out_layer.weight', [1, 24]],
    ['lm_heads.2.out_layer.weight', [32, 24]],
    ['lm_heads.3.out_layer.weight', [64, 24]],
  ];
  for (const [name, shape] of shapes) assert.equal([...(state.get(name)?.shape ?? [])], shape, name);
  assert.not.ok(state.has('model.layers.0.self_attn.o_proj.bias'), 'o_proj has no bias');
  assert.not.ok(
    [...state.keys()].some((name) => name.includes('rotary') || name.includes('inv_freq')),
    'the rotary tables are not state',
  );
});

test('forward gives the chosen head at every position, truncated below the first head', () => {
  const model = new TimeMoE({ ...tiny, horizon_lengths: [2, 4] }, { rng: new Random(1) });
  const x = randn([3, 7], new Random(2));
  assert.equal([...model.forward(x).shape], [3, 7, 2]);
  assert.equal([...model.forward(x, { maxHorizon: 1 }).shape], [3, 7, 1]);
  assert.equal([...model.forward(x, { maxHorizon: 5 }).shape], [3, 7, 4]);
  assert.equal([...model.forward(x, { maxHorizon: 100 }).shape], [3, 7, 4]);
  assert.throws(() => model.forward(randn([3, 7, 2], new Random(3))), /expected x \[B, T\]/);
});

test('one expert with top-1 equals a dense SwiGLU (the shared expert switched off)', async () => {
  const config = parseTimeMoEConfig({ ...tiny, num_experts: 1, num_experts_per_tok: 1 }, 'test', { defaults: true });
  const layer = new SparseExpertsLayer(config, { std: 0.3, rng: new Random(4) });
  const shared = layer.shared_expert.down_proj;
  shared.weight = parameter(new Float32Array(shared.weight.size), shared.weight.shape);
  const dense = new SwiGLU({ inFeatures: 16, hiddenFeatures: 32 });
  const expert = layer.experts[0];
  dense.loadStateDict(expert.stateDict());
  const x = randn([2, 5, 16], new Random(5));
  assertClose(await layer.forward(x).output.data(), await dense.forward(x).data(), 'MoE vs SwiGLU', { rtol: 1e-6, atol: 1e-7 });
});

test('the top-k weights are the router probabilities themselves, not renormalised, plus the gated shared expert', async () => {
  const config = parseTimeMoEConfig(tiny, 'test');
  const layer = new SparseExpertsLayer(config, { std: 0.3, rng: new Random(6) });
  const x = randn([1, 3, 16], new Random(7));
  const tokens = x.reshape([3, 16]);
  const p = await softmax(layer.gate.forward(tokens), -1).data();
  const { indices } = topk(softmax(layer.gate.forward(tokens), -1), 2);
  const chosen = await indices.data();
  const expected: number[] = [];
  for (let n = 0; n < 3; n++) {
    const token = narrow(tokens, 0, n, 1);
    let y = await layer.shared_expert.forward(token).mul(layer.shared_expert_gate.forward(token).sigmoid()).data();
    for (let j = 0; j < 2; j++) {
      const e = chosen[n * 2 + j];
      const out = await (layer.experts[e] as TemporalBlock).forward(token).data();
      y = y.map((v, i) => v + p[n * 4 + e] * out[i]);
    }
    expected.push(...y);
  }
  assertClose(await layer.forward(x).output.data(), expected, 'per-token dispatch', { rtol: 1e-5, atol: 1e-6 });
});

test('decoding through the key/value cache equals the full forward, chunk by chunk', async () => {
  const model = new TimeMoE(tiny, { rng: new Random(8) }).eval();
  const x = randn([2, 11], new Random(9));
  const full = model.forward(x, { maxHorizon: 4 }); // [2, 11, 4]
  let past = null;
  const parts = [];
  for (const [start, length] of [
    [0, 5],
    [5, 1],
    [6, 4],
    [10, 1],
  ]) {
    const step = model.decode(narrow(x, 1, start, length), { maxHorizon: 4, past });
    parts.push(step.prediction);
    past = step.cache;
  }
  assert.is(past!.length, 11);
  assertClose(await concat(parts, 1).data(), await full.data(), 'cached vs full', { rtol: 1e-5, atol: 1e-6 });
});

test('experts dispatched by realised routing give the dense forward, through the cache too', async () => {
  const model = new TimeMoE({ ...tiny, initializer_range: 0.3 }, { rng: new Random(20) }).eval();
  const x = randn([3, 9], new Random(21));
  const first = await routedDecode(model, narrow(x, 1, 0, 6), { maxHorizon: 8 });
  const second = await routedDecode(model, narrow(x, 1, 6, 3), { maxHorizon: 8, past: first.cache });
  const full = await model.forward(x, { maxHorizon: 8 }).data();
  assertClose(await concat([first.prediction, second.prediction], 1).data(), full, 'routed vs dense', { rtol: 1e-5, atol: 1e-6 });
  const dense = await generate(model, x, 13, { experts: 'dense' });
  assertClose(await (await generate(model, x, 13)).data(), await dense.data(), 'generate, routed vs dense', { rtol: 1e-5, atol: 1e-6 });
  // The same routing spreads tokens over several experts, so the dispatch is exercised (not one expert taking all).
  const { indices } = (model.model.layers[0].ffn_layer as SparseExpertsLayer).route(randn([27, 16], new Random(22)));
  assert.ok(new Set(await indices.data()).size > 2);
});

test('grouped-query attention equals full attention with each key/value head repeated', async () => {
  const grouped = new TimeMoE({ ...tiny, num_attention_heads: 4, num_key_value_heads: 2, initializer_range: 0.3 }, { rng: new Random(30) }).eval();
  const full = new TimeMoE({ ...tiny, num_attention_heads: 4, num_key_value_heads: 4 }, { init: 'zeros' }).eval();
  const state = new Map(grouped.stateDict());
  // Query heads 0, 1 read key/value head 0 and heads 2, 3 head 1 (upstream's repeat_kv): rows of 4 per head.
  const repeatRows = (t: { shape: readonly number[]; data: Float32Array }) => {
    const width = t.data.length / t.shape[0];
    const out = new Float32Array(2 * t.data.length);
    for (let head = 0; head < 4; head++) out.set(t.data.subarray(Math.floor(head / 2) * 4 * width, (Math.floor(head / 2) + 1) * 4 * width), head * 4 * width);
    return { shape: [2 * t.shape[0], ...t.shape.slice(1)], data: out };
  };
  for (const [name, t] of state) if (/self_attn\.[kv]_proj/.test(name)) state.set(name, repeatRows(t));
  full.loadStateDict(state);
  const x = randn([2, 7], new Random(31));
  assertClose(await grouped.forward(x, { maxHorizon: 4 }).data(), await full.forward(x, { maxHorizon: 4 }).data(), 'GQA vs repeated heads', {
    rtol: 1e-5,
    atol: 1e-6,
  });
});

test('several values per time point (input_size 2): heads give h × C values, generate [B, P, C]', async () => {
  const model = new TimeMoE({ ...tiny, input_size: 2 }, { rng: new Random(32) }).eval();
  const x = randn([2, 5, 2], new Random(33));
  assert.equal([...model.forward(x, { maxHorizon: 4 }).shape], [2, 5, 8]);
  assert.equal([...(await generate(model, x, 6)).shape], [2, 6, 2]);
  assert.throws(() => model.forward(randn([2, 5], new Random(34))), /expected x \[B, T, 2\]/);
});

test('the dense variant (use_dense) has one SwiGLU FFN per layer and no router', async () => {
  const model = new TimeMoE({ ...tiny, use_dense: true, apply_aux_loss: false }, { rng: new Random(10) });
  const names = [...model.stateDict().keys()];
  assert.ok(names.includes('model.layers.1.ffn_layer.gate_proj.weight'));
  assert.ok(names.includes('model.layers.1.ffn_layer.down_proj.weight'));
  assert.not.ok(names.some((name) => name.includes('experts') || name.endsWith('ffn_layer.gate.weight')));
  const { routerLogits } = model.hidden(tensor([[0.1, 0.2, 0.3]]));
  assert.is(routerLogits.length, 0);
  assert.ok((await model.forward(tensor([[0.1, 0.2, 0.3]])).data()).every(Number.isFinite));
});

test('the config reader names the key and the rule that failed', () => {
  const full = { ...tiny, use_dense: false, apply_aux_loss: true };
  const { horizon_lengths: _, ...withoutHeads } = full;
  assert.throws(() => parseTimeMoEConfig(withoutHeads, 'dir/config.json'), /dir\/config.json: missing "horizon_lengths"/);
  assert.throws(() => parseTimeMoEConfig({ ...full, use_dense: true }, 'c'), /"use_dense" and "apply_aux_loss" must differ/);
  assert.throws(() => parseTimeMoEConfig({ ...full, use_dense: false, apply_aux_loss: false }, 'c'), /must differ/);
  assert.throws(() => parseTimeMoEConfig({ ...full, horizon_lengths: [8, 1] }, 'c'), /strictly ascending/);
  assert.throws(() => parseTimeMoEConfig({ ...full, horizon_lengths: [] }, 'c'), /non-empty list/);
  assert.throws(() => parseTimeMoEConfig({ ...full, hidden_size: 15 }, 'c'), /divisible by "num_attention_heads"/);
  assert.throws(() => parseTimeMoEConfig({ ...full, hidden_act: 'gelu' }, 'c'), /"hidden_act" must be "silu"/);
  assert.throws(() => parseTimeMoEConfig({ ...full, num_experts_per_tok: 5 }, 'c'), /exceeds "num_experts"/);
  assert.throws(() => parseTimeMoEConfig({ ...full, rms_norm_eps: 'small' }, 'c'), /"rms_norm_eps" must be a number > 0/);
  assert.throws(() => parseTimeMoEConfig([1], 'c'), /must be a JSON object/);
  assert.throws(() => new TimeMoE({ hidden_size: 8 } as never), /TimeMoE config: missing "intermediate_size"/);
  assert.equal(parseTimeMoEConfig({ ...full, horizon_lengths: 4 }, 'c').horizon_lengths, [4], 'a bare integer is one head, as upstream');
  assert.is(parseTimeMoEConfig(full, 'c').num_key_value_heads, 2, 'key/value heads default to the attention heads');
});

test.run();
