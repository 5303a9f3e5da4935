/** Optimizers against their published update rules, computed independently in float64. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await cs.init({ name: 'cpu', threads: 1 });
});
test.after(() => cs.shutdown());

/** Runs `steps` steps minimising Σ c·w² (gradient 2cw) and returns the weights. */
async function descend(optimizer: (w: cs.Tensor) => cs.Optimizer, steps: number, start: number[], c: number[]): Promise<Float32Array> {
  const w = cs.tensor(start, undefined, { requiresGrad: true });
  const opt = optimizer(w);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    await w.square().mul(cs.tensor(c)).sum().backward();
    await opt.step();
  }
  return w.storage!.data;
}

test('AdamW follows the decoupled-weight-decay update of Loshchilov & Hutter', async () => {
  const [lr, b1, b2, eps, wd] = [0.05, 0.9, 0.999, 1e-8, 0.1];
  const start = [1, -2, 0.5];
  const c = [1, 3, 0.5];
  const got = await descend((w) => new cs.AdamW([w], { lr, betas: [b1, b2], eps, weightDecay: wd }), 5, start, c);
  const w = start.slice();
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  for (let t = 1; t <= 5; t++) {
    for (let i = 0; i < 3; i++) {
      const g = 2 * c[i] * w[i];
      w[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      w[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    }
  }
  assertClose(got, w, 'AdamW weights', { rtol: 1e-5, atol: 1e-6 });
});

test('SGD with momentum and Nesterov follows torch.optim.SGD', async () => {
  const [lr, mu, wd] = [0.1, 0.9, 0.01];
  const start = [1, -2];
  const c = [1, 2];
  const got = await descend((w) => new cs.SGD([w], { lr, momentum: mu, nesterov: true, weightDecay: wd }), 4, start, c);
  const w = start.slice();
  const buf = [0, 0];
  for (let t = 0; t < 4; t++) {
    for (let i = 0; i < 2; i++) {
      const d = 2 * c[i] * w[i] + wd * w[i];
      buf[i] = t === 0 ? d : mu * buf[i] + d;
      w[i] -= lr * (d + mu * buf[i]);
    }
  }
  assertClose(got, w, 'SGD weights', { rtol: 1e-5, atol: 1e-6 });
});

test('parameter groups use their own learning rate and weight decay', async () => {
  const a = cs.tensor([1], undefined, { requiresGrad: true });
  const b = cs.tensor([1], undefined, { requiresGrad: true });
  const opt = new cs.SGD([{ params: [a] }, { params: [b], lr: 0.01, weightDecay: 0 }], { lr: 0.1, weightDecay: 1 });
  await a.add(b).sum().backward(); // both gradients are 1
  await opt.step();
  assertClose(a.storage!.data, [1 - 0.1 * (1 + 1)], 'group 0');
  assertClose(b.storage!.data, [1 - 0.01 * 1], 'group 1');
});

test('clipGradNorm scales the joint gradient to the maximum norm and reports the norm before', async () => {
  const a = cs.tensor([3], undefined, { requiresGrad: true });
  const b = cs.tensor([4], undefined, { requiresGrad: true });
  await a.mul(3).add(b.mul(4)).sum().backward(); // gradients 3 and 4: norm 5
  const norm = await cs.clipGradNorm([a, b], 1);
  assert.ok(Math.abs(norm - 5) < 1e-6);
  assertClose(await a.grad!.data(), [0.6], 'a');
  assertClose(await b.grad!.data(), [0.8], 'b');
});

test('clipGradNorm scales a gradient shared by two parameters once', async () => {
  const a = cs.tensor([1, 1], undefined, { requiresGrad: true });
  const b = cs.tensor([1, 1], undefined, { requiresGrad: true });
  await a.add(b).mul(3).sum().backward(); // both receive the same gradient tensor [3, 3]
  await cs.clipGradNorm([a, b], 3); // joint norm 6 → scale ½
  assertClose(await a.grad!.data(), [1.5, 1.5], 'a');
  assertClose(await b.grad!.data(), [1.5, 1.5], 'b');
});

test('warmup-cosine, step decay and reduce-on-plateau schedules give the documented factors', () => {
  const schedule = cs.warmupCosine({ warmupSteps: 4, totalSteps: 14, minFactor: 0.1 });
  assertClose([schedule(0), schedule(3), schedule(4), schedule(9), schedule(14), schedule(100)], [0.25, 1, 1, 0.55, 0.1, 0.1], 'warmupCosine');
  const decay = cs.stepDecay({ stepSize: 10, gamma: 0.5 });
  assertClose([decay(9), decay(10), decay(25)], [1, 0.5, 0.25], 'stepDecay');
  const w = cs.tensor([1], undefined, { requiresGrad: true });
  const opt = new cs.SGD([w], { lr: 1 });
  const plateau = new cs.ReduceOnPlateau(opt, { patience: 2, factor: 0.5 });
  const cuts = [1, 0.9, 0.95, 0.95, 0.95, 0.8].map((v) => plateau.report(v));
  assert.equal(cuts, [false, false, false, false, true, false]);
  assert.is(opt.lrScale, 0.5);
});

test('an LrScheduler drives the optimizer learning rate', async () => {
  const w = cs.tensor([1], undefined, { requiresGrad: true });
  const opt = new cs.SGD([w], { lr: 1 });
  const scheduler = new cs.LrScheduler(opt, cs.stepDecay({ stepSize: 1, gamma: 0.5 }));
  await w.sum().backward();
  await opt.step(); // lr 1
  scheduler.step();
  await opt.step(); // lr 0.5 with the same gradient
  assertClose(w.storage!.data, [1 - 1 - 0.5], 'weights');
});

test.run();
