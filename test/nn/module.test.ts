/** Modules: parameters found by reflection with dotted names, modes, state dicts and checkpoints. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

class Block extends cs.Module {
  norm = new cs.LayerNorm(4);
  attn = new cs.MultiHeadAttention({ dim: 4, heads: 2, rng: new cs.Random(1) });
  mlp = new cs.MLP({ inFeatures: 4, hiddenFeatures: 8, rng: new cs.Random(2) });
}

class Net extends cs.Module {
  embed = new cs.Embedding(10, 4, { rng: new cs.Random(3) });
  blocks = [new Block(), new Block()];
  head = new cs.Linear(4, 3, { bias: false, rng: new cs.Random(4) });
  scale = cs.buffer(Float32Array.of(0.5), [1]);
}

test('parameters are found by reflection under PyTorch-style dotted names', () => {
  const names = new Net().namedParameters().map(([name]) => name);
  assert.ok(names.includes('embed.weight'));
  assert.ok(names.includes('blocks.1.attn.qkv.weight'));
  assert.ok(names.includes('blocks.0.mlp.fc2.bias'));
  assert.ok(names.includes('head.weight'));
  assert.not.ok(names.includes('head.bias'), 'a Linear without bias has no bias parameter');
  assert.not.ok(names.includes('scale'), 'buffers are not parameters');
  assert.ok([...new Net().stateDict().keys()].includes('scale'), 'buffers are saved');
});

test('train() and eval() set the mode on every sub-module', () => {
  const net = new Net().eval();
  assert.is(net.blocks[1].mlp.drop.training, false);
  net.train();
  assert.is(net.blocks[1].mlp.drop.training, true);
});

test('a model with the same seeds is built with identical weights', async () => {
  const a = await new Net().blocks[0].attn.qkv.weight.data();
  const b = await new Net().blocks[0].attn.qkv.weight.data();
  assert.equal(Array.from(a), Array.from(b));
});

test('loadStateDict rejects missing, unexpected and mis-shaped entries', () => {
  const net = new Net();
  const state = new Map(net.stateDict());
  state.delete('head.weight');
  assert.throws(() => net.loadStateDict(state), /missing head\.weight/);
  const wrong = new Map(net.stateDict());
  wrong.set('head.weight', { shape: [4, 3], data: new Float32Array(12) });
  assert.throws(() => net.loadStateDict(wrong), /head\.weight has shape \[4, 3\]/);
  const partial = net.loadStateDict(state, { strict: false });
  assert.equal(partial.missing, ['head.weight']);
});

test('a checkpoint round-trips the weights, the optimizer state and the metadata', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-'));
  try {
    const net = new Net();
    const optimizer = new cs.AdamW(net.parameters(), { lr: 0.01 });
    const tokens = cs.tensor([[1, 2, 3]]);
    const loss = () => net.head.forward(net.embed.forward(tokens)).square().mean();
    await loss().backward();
    await optimizer.step();
    optimizer.zeroGrad();
    const file = path.join(dir, 'net.safetensors');
    await cs.saveCheckpoint(file, net, { family: 'test', config: { dim: 4 }, extra: { step: 1 }, optimizer });

    const restored = new Net();
    const restoredOptimizer = new cs.AdamW(restored.parameters(), { lr: 0.01 });
    const meta = await cs.loadCheckpoint(file, restored, { optimizer: restoredOptimizer });
    assert.equal(meta.config, { dim: 4 });
    assert.equal(meta.extra, { step: 1 });
    assert.is(meta.family, 'test');
    for (const [name, t] of restored.namedTensors()) {
      const original = net.stateDict().get(name)!;
      assert.equal(Array.from(t.storage!.data), Array.from(original.data), name);
    }
    // The same next step from both: identical weights after it.
    for (const [model, opt] of [
      [net, optimizer],
      [restored, restoredOptimizer],
    ] as const) {
      const l = model.head.forward(model.embed.forward(tokens)).square().mean();
      await l.backward();
      await opt.step();
      opt.zeroGrad();
    }
    assert.equal(Array.from(restored.head.weight.storage!.data), Array.from(net.head.weight.storage!.data));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
