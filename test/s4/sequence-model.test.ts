/**
 * The S4 sequence model: shapes for token and real inputs, pooling that ignores padding, the
 * recurrent mode of a causal model equal to its convolution, parameter names and groups, a tiny
 * classifier that overfits, and a checkpoint round trip (BatchNorm running statistics included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { createSequenceModel, sequenceParamGroups, type SequenceModel, type SequenceModelConfig } from '../../models/s4/sequence-model.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

const real = (overrides: Partial<SequenceModelConfig> = {}): SequenceModel =>
  createSequenceModel({
    input: { kind: 'real', channels: 2 },
    dModel: 8,
    layers: 2,
    layer: { kernel: 's4d', dState: 8, lMax: 32, dtMax: 1 },
    classes: 3,
    rng: new cs.Random(1),
    ...overrides,
  });

test('token and real inputs give logits [B, classes], features [B, L, H] and encodings [B, H]', async () => {
  const tokens = createSequenceModel({
    input: { kind: 'tokens', vocabulary: 5 },
    dModel: 8,
    layers: 2,
    layer: { kernel: 's4', dState: 4, lMax: 16, bidirectional: true, nSsm: 1 },
    norm: 'batch',
    classes: 4,
    rng: new cs.Random(2),
  });
  const ids = cs.tensor(
    Float32Array.from({ length: 3 * 16 }, (_, i) => i % 5),
    [3, 16],
  );
  assert.equal(tokens.forward(ids).shape, [3, 4]);
  assert.equal(tokens.encode(ids).shape, [3, 8]);
  for (const kernel of ['s4d', 'sgconv'] as const) {
    const model = real({ layer: { kernel, dState: 8, lMax: 32, kernelDim: 8 }, prenorm: true, pooling: 'last' });
    const x = cs.randn([2, 32, 2], new cs.Random(3));
    assert.equal(model.features(x).shape, [2, 32, 8]);
    const logits = await model.forward(x).data();
    assert.is(logits.length, 6);
    assert.ok(logits.every(Number.isFinite));
  }
  assert.throws(() => real().forward(cs.randn([2, 32, 3], new cs.Random(4))), /reals \[B, L, 2\]/);
  assert.throws(() => real({ layer: { kernel: 's4d', lMax: 8, init: 'hippo' } }), /unknown init 'hippo'/);
});

test('parameter names follow the official backbone (encoder, layers.i.layer…, layers.i.norm, norm, decoder)', () => {
  const names = [...real({ prenorm: true, norm: 'batch' }).stateDict().keys()];
  for (const name of [
    'encoder.weight',
    'layers.0.layer.layer.kernel.inv_dt',
    'layers.1.layer.layer.D',
    'layers.1.layer.output_linear.0.weight',
    'layers.0.norm.running_var',
    'norm.weight',
    'decoder.bias',
  ]) {
    assert.ok(names.includes(name), name);
  }
});

test('mean and last pooling over lengths ignore what follows each sequence (lengths or padId)', async () => {
  for (const pooling of ['mean', 'last'] as const) {
    const model = real({ pooling }).eval(); // causal blocks, LayerNorm: a step never sees later steps
    const x = cs.randn([2, 32, 2], new cs.Random(5));
    const junk = x.storage!.data.slice();
    for (let t = 20; t < 32; t++) junk.set([9, -9], (32 + t) * 2); // the second sequence is 20 long
    const lengths = cs.tensor([32, 20]);
    const a = await model.forward(x, lengths).data();
    const b = await model.forward(cs.tensor(junk, [2, 32, 2]), lengths).data();
    assertClose(b, a, `${pooling} pooling over padding`, { rtol: 1e-5, atol: 1e-6 });
    const alone = await model.forward(cs.narrow(cs.narrow(x, 0, 1, 1), 1, 0, 20)).data();
    assertClose(b.subarray(3), alone, `${pooling} pooling equals the unpadded sequence`, { rtol: 1e-4, atol: 1e-5 });
  }
  const tokens = createSequenceModel({
    input: { kind: 'tokens', vocabulary: 6, padId: 0 },
    dModel: 8,
    layers: 1,
    layer: { kernel: 's4d', dState: 4, lMax: 12 },
    classes: 2,
    rng: new cs.Random(6),
  });
  const ids = cs.tensor([3, 4, 5, 1, 0, 0, 0, 0, 2, 2, 3, 4, 5, 1, 0, 0], [2, 8]);
  assertClose(await tokens.forward(ids).data(), await tokens.forward(ids, cs.tensor([4, 6])).data(), 'padId = lengths', { rtol: 1e-6, atol: 1e-7 });
});

for (const [norm, prenorm] of [
  ['layer', true],
  ['batch', false],
] as const) {
  test(`a 2-layer causal S4D model (${norm} norm, ${prenorm ? 'prenorm' : 'post-norm'}) steps exactly like its convolution`, async () => {
    const model = real({ norm, prenorm, dropout: 0.2 });
    if (norm === 'batch') {
      await model
        .features(cs.randn([4, 24, 2], new cs.Random(7), { mean: 0.3 }))
        .sum()
        .backward(); // running statistics
    }
    model.eval();
    const x = cs.randn([2, 24, 2], new cs.Random(8));
    const expected = await model.features(x).data(); // [B, L, H]
    let states = model.initialState(2);
    const steps: Float32Array[] = [];
    for (let t = 0; t < 24; t++) {
      const out = model.step(cs.squeeze(cs.narrow(x, 1, t, 1), 1), states);
      states = out.states;
      steps.push(await out.y.data());
    }
    const unrolled = new Float32Array(expected.length);
    steps.forEach((y, t) => {
      for (let b = 0; b < 2; b++) unrolled.set(y.subarray(b * 8, b * 8 + 8), (b * 24 + t) * 8);
    });
    assertClose(unrolled, expected, 'step vs features', { rtol: 1e-3, atol: 1e-4 });
  });
}

test('parameter groups give dt, A, B the SSM rate without decay; biases and norms optionally undecayed', () => {
  const model = real();
  const groups = sequenceParamGroups(model, { lr: 0.01, weightDecay: 0.05, ssmLr: 0.001 });
  const ssm = groups.find((g) => g.lr === 0.001)!;
  assert.is(ssm.weightDecay, 0);
  assert.ok(ssm.params.includes(model.layers[0].layer.layer.kernel.parameters()[0]));
  const split = sequenceParamGroups(model, { lr: 0.01, weightDecay: 0.05, ssmLr: 0.001, biasAndNormDecay: false });
  const decayed = split.filter((g) => g.weightDecay === 0.05).flatMap((g) => g.params);
  assert.ok(decayed.includes(model.decoder.weight) && !decayed.includes(model.decoder.bias!) && !decayed.includes(model.layers[0].norm.weight!));
  assert.is(split.flatMap((g) => g.params).length, model.parameters().length);
});

/** 32 sequences of length 64: the class is the sign of the mean of the first 8 steps (noise after). */
function signTask(): { x: cs.Tensor; y: cs.Tensor } {
  const rng = new cs.Random(11);
  const x = new Float32Array(32 * 64);
  const y = new Float32Array(32);
  for (let b = 0; b < 32; b++) {
    y[b] = b % 2;
    for (let t = 0; t < 64; t++) x[b * 64 + t] = t < 8 ? (b % 2 ? 1 : -1) * (0.5 + rng.uniform()) : rng.normal();
  }
  return { x: cs.tensor(x, [32, 64, 1]), y: cs.tensor(y) };
}

test('a tiny S4D classifier overfits a 32-sequence sign task', async () => {
  const model = createSequenceModel({
    input: { kind: 'real', channels: 1 },
    dModel: 16,
    layers: 2,
    layer: { kernel: 's4d', dState: 8, lMax: 64 },
    norm: 'batch',
    classes: 2,
    rng: new cs.Random(12),
  });
  const optimizer = new cs.AdamW(sequenceParamGroups(model, { lr: 0.01, weightDecay: 0.01, ssmLr: 0.001 }));
  const { x, y } = signTask();
  const losses: number[] = [];
  for (let step = 0; step < 60; step++) {
    const loss = cs.crossEntropy(model.forward(x), y);
    await loss.backward();
    losses.push(await loss.item());
    await optimizer.step();
    optimizer.zeroGrad();
  }
  model.eval();
  const predicted = await cs.argmax(model.forward(x), -1).data();
  const correct = predicted.filter((p, i) => p === y.storage!.data[i]).length;
  assert.ok(losses.at(-1)! < 0.1 * losses[0], `loss ${losses[0]} → ${losses.at(-1)}`);
  assert.is(correct, 32, `eval-mode accuracy ${correct}/32`);
});

test('a checkpoint round trip restores the outputs, running statistics included', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 's4-sequence-'));
  try {
    const config: SequenceModelConfig = {
      input: { kind: 'real', channels: 2 },
      dModel: 8,
      layers: 2,
      layer: { kernel: 's4', dState: 8, lMax: 16 },
      norm: 'batch',
      classes: 3,
    };
    const saved = createSequenceModel({ ...config, rng: new cs.Random(13) });
    await saved
      .forward(cs.randn([4, 16, 2], new cs.Random(14), { mean: 1 }))
      .sum()
      .backward();
    saved.eval();
    const x = cs.randn([2, 16, 2], new cs.Random(15));
    const expected = await saved.forward(x).data();
    const file = path.join(dir, 'model.safetensors');
    await cs.saveCheckpoint(file, saved, { family: 's4-sequence', config });
    const restored = createSequenceModel({ ...config, rng: new cs.Random(16) }).eval();
    await cs.loadCheckpoint(file, restored);
    assert.equal(Array.from(await restored.forward(x).data()), Array.from(expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
