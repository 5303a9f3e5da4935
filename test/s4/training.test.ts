/**
 * Training the S4 family: a tiny S4D, S4 and SGConv model each overfit a fixed batch (loss falls
 * by at least 90 %) with the official parameter grouping, reproducibly from a seed; and a
 * checkpoint round-trip restores outputs, C̃ and l_kernel exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { createS4Block, s4ParamGroups, type S4Block, type S4LayerConfig } from '../../models/s4/block.ts';
import type { S4Kernel } from '../../models/s4/s4.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 1 });
});
test.after(() => cs.shutdown());

/** Linear(1 → H) → S4Block → Linear(H → 1) over [B, L, 1]. */
class TinySequenceModel extends cs.Module {
  encoder: cs.Linear;
  block: S4Block;
  decoder: cs.Linear;
  constructor(layer: S4LayerConfig, seed: number) {
    super();
    const rng = new cs.Random(seed);
    this.encoder = new cs.Linear(1, layer.dModel, { rng });
    this.block = createS4Block({ layer, rng });
    this.decoder = new cs.Linear(layer.dModel, 1, { rng });
  }
  forward(x: cs.Tensor): cs.Tensor {
    return this.decoder.forward(this.block.forwardBLH(this.encoder.forward(x))); // [B, L, 1]
  }
}

/** A fixed batch: y_t = x_{t−3} + ½ x_{t−1}, a causal filter an SSM can represent. */
function batch(): { x: cs.Tensor; y: cs.Tensor } {
  const x = cs.randn([4, 32, 1], new cs.Random(8));
  const xs = x.storage!.data;
  const y = new Float32Array(xs.length);
  for (let b = 0; b < 4; b++) for (let t = 0; t < 32; t++) y[b * 32 + t] = (t >= 3 ? xs[b * 32 + t - 3] : 0) + 0.5 * (t >= 1 ? xs[b * 32 + t - 1] : 0);
  return { x, y: cs.tensor(y, [4, 32, 1]) };
}

async function train(layer: S4LayerConfig, steps: number): Promise<number[]> {
  const model = new TinySequenceModel(layer, 7);
  const { x, y } = batch();
  const optimizer = new cs.AdamW(s4ParamGroups(model, { lr: 0.01, weightDecay: 0.01, ssmLr: 0.01 }));
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = cs.mseLoss(model.forward(x), y);
    await loss.backward();
    losses.push(await loss.item());
    await optimizer.step();
    optimizer.zeroGrad();
  }
  return losses;
}

// dtMax = 1: a 32-step task needs time scales up to ~1 step (the default 0.1 targets long sequences).
const layers: S4LayerConfig[] = [
  { kind: 's4d', dModel: 8, dState: 8, dtMax: 1 },
  { kind: 's4', dModel: 8, dState: 8, lMax: 32, dtMax: 1 },
  { kind: 'sgconv', dModel: 8, kernelDim: 8, lMax: 32 },
];

for (const layer of layers) {
  test(`a tiny ${layer.kind} model overfits a fixed batch reproducibly`, async () => {
    const first = await train(layer, 100);
    assert.ok(first.at(-1)! < 0.1 * first[0], `loss ${first[0]} → ${first.at(-1)}`);
    const second = await train(layer, 100);
    assert.equal(second, first, 'two seeded runs give identical losses');
  });
}

test('a checkpoint round-trip restores the outputs, C̃ and l_kernel of an S4 model', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 's4-checkpoint-'));
  try {
    const layer: S4LayerConfig = { kind: 's4', dModel: 4, dState: 8, lMax: 16 };
    const saved = new TinySequenceModel(layer, 1).eval();
    (saved.block.layer.kernel as S4Kernel).extendKernel(24); // l_kernel 16 → 32
    const x = cs.randn([2, 24, 1], new cs.Random(3));
    const expected = await saved.forward(x).data();
    const file = path.join(dir, 'model.safetensors');
    await cs.saveCheckpoint(file, saved, { family: 's4', config: layer });
    const header = await cs.readSafetensorsHeader(file);
    for (const name of ['block.layer.kernel.l_kernel', 'block.layer.kernel.P', 'block.layer.kernel.inv_dt', 'block.layer.D', 'block.output_linear.0.weight'])
      assert.ok(header.entries.has(name), name);
    const restored = new TinySequenceModel(layer, 2).eval();
    const meta = await cs.loadCheckpoint(file, restored);
    assert.equal(meta.config, layer);
    const kernel = restored.block.layer.kernel as S4Kernel;
    assert.is(kernel.kernelLength, 32);
    assert.equal(Array.from(kernel.C.storage!.data), Array.from((saved.block.layer.kernel as S4Kernel).C.storage!.data));
    assert.equal(Array.from(await restored.forward(x).data()), Array.from(expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
