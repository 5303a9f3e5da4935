/** The eager debug mode, and the seeded random generator. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';

test.after(() => cs.shutdown());

test('eager mode realises every op as it is built, with the same values as lazy mode', async () => {
  await cs.init({ name: 'cpu', eager: true });
  const w = cs.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    undefined,
    { requiresGrad: true },
  );
  const h = w.matmul(w).tanh();
  assert.is(h.isRealised, true, 'realised at once');
  const loss = h.sum();
  await loss.backward();
  const eagerGrad = Array.from(await w.grad!.data());
  await cs.init({ name: 'cpu', eager: false });
  const w2 = cs.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    undefined,
    { requiresGrad: true },
  );
  const h2 = w2.matmul(w2).tanh();
  assert.is(h2.isRealised, false);
  await h2.sum().backward();
  assert.equal(eagerGrad, Array.from(await w2.grad!.data()));
});

test('eager mode without an initialised backend says how to start it', async () => {
  await cs.shutdown();
  const { engine } = await import('../../src/engine/context.ts');
  engine.eager = true;
  try {
    assert.throws(() => cs.tensor([1]).add(1), /init\(\{ eager: true \}\)/);
  } finally {
    engine.eager = false;
  }
});

test('a seeded generator gives the same stream bit for bit, and its state round-trips', () => {
  const a = new cs.Random(123);
  const b = new cs.Random(123);
  const first = Array.from({ length: 5 }, () => a.nextUint32());
  assert.equal(
    first,
    Array.from({ length: 5 }, () => b.nextUint32()),
  );
  assert.not.equal(
    first,
    Array.from({ length: 5 }, () => new cs.Random(124).nextUint32()),
  );
  a.normal(); // leaves a spare normal in the state
  const state = a.getState();
  const expected = [a.normal(), a.uniform(), a.integer(10)];
  const c = new cs.Random(0);
  c.setState(state);
  assert.equal([c.normal(), c.uniform(), c.integer(10)], expected);
});

test('uniform, normal and permutation draws have the right distribution', () => {
  const rng = new cs.Random(9);
  const n = 20000;
  const u = rng.uniformArray(n);
  const z = rng.normalArray(n);
  const mean = (xs: Float32Array) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean(u) - 0.5) < 0.01, `uniform mean ${mean(u)}`);
  assert.ok(Math.abs(mean(z)) < 0.03, `normal mean ${mean(z)}`);
  const variance = z.reduce((s, x) => s + x * x, 0) / n;
  assert.ok(Math.abs(variance - 1) < 0.04, `normal variance ${variance}`);
  const p = Array.from(rng.permutation(50)).sort((x, y) => x - y);
  assert.equal(
    p,
    Array.from({ length: 50 }, (_, i) => i),
  );
  const counts = new Array(3).fill(0);
  for (let i = 0; i < 30000; i++) counts[rng.integer(3)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `integer counts ${counts}`);
});

test.run();
