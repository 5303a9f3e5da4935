/**
 * The S4 family's layers: convolution mode equals recurrent mode (S4D zoh and bilinear, S4 DPLR,
 * the full S4Block), the recurrence follows parameter changes, the (B, L, H) variants, shapes,
 * refusals, determinism and a seeded golden output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { createS4Block, type S4Block } from '../../models/s4/block.ts';
import { createS4 } from '../../models/s4/s4.ts';
import { createS4D } from '../../models/s4/s4d.ts';
import { createSGConv } from '../../models/s4/sgconv.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 1 });
});
test.after(() => cs.shutdown());

interface Stepper {
  initialState(batch: number): cs.Tensor;
  step(u: cs.Tensor, state: cs.Tensor): { y: cs.Tensor; state: cs.Tensor };
}

/** Runs a layer step by step over u [B, H, L]; returns y [B, F, L] like forward. */
async function unroll(layer: Stepper, u: cs.Tensor): Promise<Float32Array> {
  const [batch, , length] = u.shape;
  let state = layer.initialState(batch);
  const outputs: cs.Tensor[] = [];
  for (let l = 0; l < length; l++) {
    const next = layer.step(cs.narrow(u, 2, l, 1).squeeze(2), state);
    state = next.state;
    outputs.push(next.y.keep());
    await next.y.data(); // realise step by step, as an inference loop would
  }
  return cs.stack(outputs, -1).data();
}

const input = (shape: number[], seed = 9) => cs.randn(shape, new cs.Random(seed));

for (const discretization of ['zoh', 'bilinear'] as const) {
  test(`S4D convolution mode equals its recurrent mode (${discretization}, two channels, n_ssm < H)`, async () => {
    const layer = createS4D({ dModel: 4, dState: 8, channels: 2, nSsm: 2, init: 'diag-inv', discretization, rng: new cs.Random(1) });
    const u = input([2, 4, 40]);
    assertClose(await unroll(layer, u), await layer.forward(u).data(), 'S4D step vs forward', { rtol: 1e-4, atol: 1e-5 });
  });
}

test('S4 (DPLR) convolution mode equals its dense recurrent mode, with C recovered from C̃ by a solve', async () => {
  const layer = createS4({ dModel: 3, dState: 8, channels: 2, lMax: 32, rng: new cs.Random(2) });
  const u = input([2, 3, 32]);
  assertClose(await unroll(layer, u), await layer.forward(u).data(), 'S4 step vs forward', { rtol: 1e-3, atol: 1e-5 });
  // shorter sequences truncate the Lk-point kernel; the recurrence is the same system
  const short = input([1, 3, 20], 4);
  assertClose(await unroll(layer, short), await layer.forward(short).data(), 'S4 step vs forward (L < l_kernel)', { rtol: 1e-3, atol: 1e-5 });
});

test('after extendKernel the recurrent mode still matches (C recovered with the doubled l_kernel)', async () => {
  const layer = createS4({ dModel: 2, dState: 6, lMax: 16, rng: new cs.Random(3) });
  layer.kernel.extendKernel(48);
  const u = input([1, 2, 48]);
  assertClose(await unroll(layer, u), await layer.forward(u).data(), 'S4 step vs forward after doubling', { rtol: 2e-3, atol: 1e-5 });
});

for (const kind of ['s4d', 's4'] as const) {
  test(`an S4Block (${kind}) in eval mode steps exactly like its convolution`, async () => {
    const block = createS4Block({
      layer: kind === 's4' ? { kind, dModel: 4, dState: 8, lMax: 24 } : { kind, dModel: 4, dState: 8 },
      dropout: 0.3,
      rng: new cs.Random(4),
    }).eval();
    const u = input([2, 4, 24]);
    assertClose(await unroll(block, u), await block.forward(u).data(), 'block step vs forward', { rtol: 1e-3, atol: 1e-5 });
  });
}

test('the recurrence follows parameter changes (it is rebuilt when a kernel tensor mutates)', async () => {
  const layer = createS4({ dModel: 2, dState: 4, lMax: 8, rng: new cs.Random(5) });
  const u = input([1, 2, 8]);
  await unroll(layer, u);
  const D = layer.kernel.inv_dt;
  layer.kernel.loadStateDict(new Map([['inv_dt', { shape: D.shape, data: D.storage!.data.map((x) => x + 0.7) }]]), { strict: false });
  assertClose(await unroll(layer, u), await layer.forward(u).data(), 'after a change of dt', { rtol: 1e-3, atol: 1e-5 });
});

test('bidirectional layers have no recurrent mode', () => {
  const bidirectional = createS4D({ dModel: 2, dState: 4, bidirectional: true });
  assert.throws(() => bidirectional.initialState(1), /not causal/);
});

test('SGConv steps as an FIR filter that equals its convolution', async () => {
  const layer = createSGConv({ dModel: 3, kernelDim: 4, lMax: 16, channels: 2, rng: new cs.Random(9) });
  const u = input([2, 3, 13]);
  assertClose(await unroll(layer, u), await layer.forward(u).data(), 'SGConv step vs forward', { rtol: 1e-4, atol: 1e-5 });
});

test('layers map [B, H, L] to [B, C·H, L], blocks to [B, H, L], and the [B, L, H] variants agree', async () => {
  const rng = new cs.Random(6);
  const u = input([2, 3, 10]);
  const uBLH = cs.permute(u, [0, 2, 1]);
  const layers = [
    createS4D({ dModel: 3, dState: 4, channels: 2, rng }),
    createS4({ dModel: 3, dState: 4, lMax: 10, bidirectional: true, rng }),
    createSGConv({ dModel: 3, kernelDim: 4, lMax: 10, rng }),
  ];
  for (const layer of layers) {
    const y = layer.forward(u);
    assert.equal(y.shape, [2, 3 * layer.channels, 10]);
    assertClose(await cs.permute(layer.forwardBLH(uBLH), [0, 2, 1]).data(), await y.data(), 'FFTConv BLH');
  }
  const block: S4Block = createS4Block({ layer: { kind: 's4d', dModel: 3, dState: 4, channels: 2 }, rng }).eval();
  const y = block.forward(u);
  assert.equal(y.shape, [2, 3, 10]);
  assertClose(await cs.permute(block.forwardBLH(uBLH), [0, 2, 1]).data(), await y.data(), 'block BLH');
});

test('tied dropout drops whole (batch, feature) rows across L in both layouts; untied dropout does not', async () => {
  type Droppable = { drop(y: cs.Tensor, lengthAxis: 1 | 2): cs.Tensor };
  const make = (tieDropout: boolean) =>
    createS4Block({ layer: { kind: 's4d', dModel: 8, dState: 4 }, dropout: 0.5, tieDropout, rng: new cs.Random(7) }) as unknown as Droppable;
  // Probe the dropout directly on ones [B, L, F] and [B, F, L].
  const tied = await make(true)
    .drop(cs.ones([2, 6, 8]), 1)
    .data();
  for (let b = 0; b < 2; b++) for (let f = 0; f < 8; f++) for (let l = 1; l < 6; l++) assert.is(tied[(b * 6 + l) * 8 + f], tied[b * 6 * 8 + f]);
  const tiedFirst = await make(true)
    .drop(cs.ones([2, 8, 6]), 2)
    .data();
  for (let b = 0; b < 2; b++) for (let f = 0; f < 8; f++) for (let l = 0; l < 6; l++) assert.is(tiedFirst[(b * 8 + f) * 6 + l], tied[b * 6 * 8 + f]);
  const free = await make(false)
    .drop(cs.ones([2, 6, 8]), 1)
    .data();
  assert.ok(Array.from({ length: 16 }, (_, r) => r).some((r) => free[(Math.floor(r / 8) * 6 + 1) * 8 + (r % 8)] !== free[Math.floor(r / 8) * 48 + (r % 8)]));
});

test('the channel-first forward equals the channel-last one, values and gradients', async () => {
  const block = createS4Block({ layer: { kind: 's4d', dModel: 6, dState: 4, lMax: 9 }, rng: new cs.Random(11) });
  const x = input([2, 6, 9], 12); // [B, H, L]
  const first = block.forward(x);
  const last = cs.permute(block.forwardBLH(cs.permute(x, [0, 2, 1])), [0, 2, 1]);
  assertClose(await first.data(), await last.data(), 'outputs', { rtol: 1e-5, atol: 1e-6 });
  const gradients = async (y: cs.Tensor) => {
    for (const p of block.parameters()) p.grad = null;
    await cs.sum(cs.mul(y, cs.sin(y))).backward();
    return Promise.all(block.parameters().map((p) => p.grad!.data()));
  };
  const viaFirst = await gradients(block.forward(x));
  const viaLast = await gradients(cs.permute(block.forwardBLH(cs.permute(x, [0, 2, 1])), [0, 2, 1]));
  viaFirst.forEach((g, i) => assertClose(g, viaLast[i], `gradient ${i}`, { rtol: 1e-4, atol: 1e-6 }));
});

test('a seeded S4 block is deterministic and gives the golden output', async () => {
  const run = async () => {
    const block = createS4Block({ layer: { kind: 's4', dModel: 2, dState: 4, lMax: 6 }, rng: new cs.Random(2024) }).eval();
    return block.forward(input([1, 2, 6], 2025)).data();
  };
  const first = await run();
  assert.equal(Array.from(await run()), Array.from(first));
  const golden = [
    0.03733897, 0.03448658, 0.06228044, 0.1375052, 0.1103613, -0.05619184, -0.1659346, -0.1919315, -0.1984099, -0.3259875, -0.2582132, -0.06029386,
  ];
  assertClose(first, golden, 'golden output', { rtol: 1e-4, atol: 1e-6 });
});

test.run();
