/** The lazy graph: nothing runs until an await, shape errors at the line, buffers released and reused. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { engine } from '../../src/engine/context.ts';
import { AdamW } from '../../src/optim/index.ts';
import * as cs from '../../src/index.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

test('building ops computes nothing until a value is awaited', async () => {
  const x = cs.tensor([1, 2, 3]);
  const y = x.mul(2).add(1);
  assert.is(y.isRealised, false);
  assert.equal(Array.from(await y.data()), [3, 5, 7]);
  assert.is(y.isRealised, true);
});

test('a shape error is thrown by the op that caused it and names the op and shapes', () => {
  const a = cs.zeros([2, 3]);
  const b = cs.zeros([4]);
  try {
    a.add(b);
    assert.unreachable('add of [2, 3] and [4] should throw');
  } catch (error) {
    assert.instance(error, cs.ShapeError);
    assert.match((error as Error).message, /^add: .*\[2, 3\], \[4\]/);
    assert.match((error as Error).stack ?? '', /lazy-graph\.test\.ts/);
  }
  assert.throws(() => cs.matmul(cs.zeros([2, 3]), cs.zeros([4, 5])), /matmul/);
  assert.throws(() => cs.zeros([2, 3]).reshape([4, 2]), /reshape: 6 elements do not fit 8/);
});

test('intermediates are released after use and recomputed if read later', async () => {
  const x = cs.tensor([1, 2, 3, 4]);
  const h = x.exp();
  const y = h.sum();
  assert.is(await y.item(), Math.fround(Math.exp(1)) + Math.fround(Math.exp(2)) + Math.fround(Math.exp(3)) + Math.fround(Math.exp(4)));
  assert.is(h.isRealised, false, 'the intermediate was released');
  const values = await h.data(); // recomputed on demand
  assert.ok(Math.abs(values[3] - Math.exp(4)) < 1e-4);
});

test('keep() holds an intermediate through a larger realisation', async () => {
  const h = cs.tensor([1, 2]).square().keep();
  await h.sum().data();
  assert.is(h.isRealised, true);
});

test('dataSync reads a realised tensor without awaiting and refuses an unrealised one', async () => {
  const x = cs.tensor([1, 2, 3]);
  const copy = x.dataSync();
  assert.equal([...copy], [1, 2, 3]);
  copy[0] = 9; // a copy: the tensor keeps its value
  assert.equal([...x.dataSync()], [1, 2, 3]);
  const y = x.mul(2);
  assert.throws(() => y.dataSync(), /not realised; await its data\(\)/);
  await y.data();
  assert.equal([...y.dataSync()], [2, 4, 6]);
});

test('freed buffers are reused by later realisations of the same sizes', async () => {
  // Fast paths write into pooled buffers (GPU.js allocates its own outputs); topk has one.
  const x = cs.tensor(new Float32Array(5000).map((_, i) => Math.sin(i))).reshape([50, 100]);
  const run = () => cs.topk(cs.topk(x, 40).values, 20).values.sum().data();
  await run();
  const before = engine.pool.stats();
  await run();
  const after = engine.pool.stats();
  assert.ok(after.hits > before.hits, `pool hits ${before.hits} → ${after.hits}`);
});

test('a reshape shares its input buffer instead of copying', async () => {
  const x = cs.tensor([1, 2, 3, 4, 5, 6]).keep();
  const y = x.reshape([2, 3]).keep();
  const z = y.sum();
  await z.data();
  assert.is(y.storage?.data, x.storage?.data);
});

test('reading a graph built before an optimizer step is refused with a clear error', async () => {
  const w = cs.tensor([1, 2], undefined, { requiresGrad: true });
  const loss = w.square().sum();
  await loss.backward();
  const stale = w.mul(3); // built before the step, read after it
  await new AdamW([w], { lr: 0.1 }).step();
  try {
    await stale.data();
    assert.unreachable('a stale graph should be refused');
  } catch (error) {
    assert.match((error as Error).message, /changed in place/);
  }
});

test('noGrad builds tensors that need no gradient', () => {
  const w = cs.tensor([1, 2], undefined, { requiresGrad: true });
  const y = cs.noGrad(() => w.mul(2));
  assert.is(y.requiresGrad, false);
  assert.is(w.mul(2).requiresGrad, true);
});

test('gradients accumulate over backward calls until cleared', async () => {
  const w = cs.tensor([1, -2], undefined, { requiresGrad: true });
  await w.square().sum().backward();
  await w.square().sum().backward();
  assert.equal(Array.from(await w.grad!.data()), [4, -8]);
  cs.zeroGrad([w]);
  assert.is(w.grad, null);
});

test('backward of a non-scalar needs an explicit output gradient', async () => {
  const w = cs.tensor([1, 2], undefined, { requiresGrad: true });
  try {
    await w.mul(2).backward();
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /not a scalar/);
  }
  await w.mul(2).backward({ grad: cs.tensor([1, 10]) });
  assert.equal(Array.from(await w.grad!.data()), [2, 20]);
});

test('concurrent realisations of overlapping graphs give the right values', async () => {
  const x = cs.tensor([1, 2, 3]);
  const shared = x.mul(x);
  const a = shared.add(1);
  const b = shared.sub(1);
  const [va, vb] = await Promise.all([a.data(), b.data()]);
  assert.equal(Array.from(va), [2, 5, 10]);
  assert.equal(Array.from(vb), [0, 3, 8]);
});

test('a realised tensor that needs no gradient lets go of its graph', async () => {
  const y = cs.tensor([1, 2]).add(1);
  await y.data();
  assert.is(y.isLeaf, true);
  assert.is(y.inputs.length, 0);
});

test.run();
