/**
 * End-to-end training: a tiny MLP and a tiny attention model each overfit one fixed batch
 * (loss falls by at least 90 %) on every CPU backend, and two runs from the same seed give
 * bit-identical losses.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';

// GPU.js runs every kernel body on its three CPU modes; the default CPU configuration runs the
// same bodies as JavaScript loops (and the hand-written fast paths) instead.
const backends: { label: string; options: cs.EngineOptions }[] = [
  { label: 'cpu', options: { name: 'cpu', threads: 1, jsLoops: false, fastPaths: false } },
  { label: 'webasm', options: { name: 'webasm', threads: 1, jsLoops: false, fastPaths: false } },
  { label: 'webasm with threads', options: { name: 'webasm', threads: 2, jsLoops: false, fastPaths: false } },
  { label: 'the default CPU configuration (JS loops and fast paths)', options: { name: 'webasm', threads: 2 } },
];

class TinyMlp extends cs.Module {
  net = new cs.MLP({ inFeatures: 6, hiddenFeatures: 32, outFeatures: 3, activation: 'gelu' });
  forward(x: cs.Tensor): cs.Tensor {
    return this.net.forward(x);
  }
}

/** Next-token prediction with one causal attention block. */
class TinyAttention extends cs.Module {
  embed = new cs.Embedding(7, 16);
  norm = new cs.LayerNorm(16);
  attn = new cs.MultiHeadAttention({ dim: 16, heads: 2 });
  ffn = new cs.SwiGLU({ inFeatures: 16, hiddenFeatures: 32 });
  head = new cs.Linear(16, 7);
  forward(tokens: cs.Tensor): cs.Tensor {
    let h = this.embed.forward(tokens); // [B, L, D]
    h = h.add(this.attn.forward(this.norm.forward(h), { causal: true }));
    h = h.add(this.ffn.forward(h));
    return this.head.forward(h); // [B, L, V]
  }
}

async function train(
  model: () => cs.Module & { forward(x: cs.Tensor): cs.Tensor },
  batch: () => { x: cs.Tensor; loss: (y: cs.Tensor) => cs.Tensor },
  steps: number,
): Promise<number[]> {
  cs.manualSeed(42);
  const m = model();
  const { x, loss } = batch();
  const optimizer = new cs.AdamW(m.parameters(), { lr: 0.01, weightDecay: 0 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const l = loss(m.forward(x));
    await l.backward();
    losses.push(await l.item());
    await cs.clipGradNorm(m.parameters(), 1);
    await optimizer.step();
    optimizer.zeroGrad();
  }
  return losses;
}

const regression = () => {
  const rng = new cs.Random(5);
  const x = cs.randn([8, 6], rng);
  const target = cs.randn([8, 3], rng);
  return { x, loss: (y: cs.Tensor) => cs.mseLoss(y, target) };
};

const sequences = () => {
  const rng = new cs.Random(6);
  const tokens = Array.from({ length: 4 }, () => Array.from({ length: 9 }, () => rng.integer(7)));
  const inputs = cs.tensor(tokens.map((row) => row.slice(0, 8)));
  const targets = cs.tensor(tokens.map((row) => row.slice(1)));
  return { x: inputs, loss: (logits: cs.Tensor) => cs.crossEntropy(logits, targets) };
};

for (const { label, options } of backends) {
  test(`a tiny MLP overfits a fixed batch reproducibly on ${label}`, async () => {
    await cs.init(options);
    const first = await train(() => new TinyMlp(), regression, 150);
    const second = await train(() => new TinyMlp(), regression, 150);
    assert.ok(first.at(-1)! < 0.1 * first[0], `loss ${first[0]} → ${first.at(-1)}`);
    assert.equal(second, first, 'two seeded runs give identical losses');
  });

  test(`a tiny attention model overfits a fixed batch reproducibly on ${label}`, async () => {
    await cs.init(options);
    const first = await train(() => new TinyAttention(), sequences, 120);
    const second = await train(() => new TinyAttention(), sequences, 120);
    assert.ok(first.at(-1)! < 0.1 * first[0], `loss ${first[0]} → ${first.at(-1)}`);
    assert.equal(second, first, 'two seeded runs give identical losses');
  });
}

test.after(() => cs.shutdown());
test.run();
