/**
 * SpaceTime's layers: the open-loop companion and shift SSMs against the companion recurrence
 * (with upstream's kernel sharing over channels), the fixed preprocessing kernels, the L1
 * normalisation, and the closed-loop decoder against its unrolled recurrence.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { ClosedLoopCompanionSSM, CompanionSSM, ResidualSSM, ShiftSSM, differencingKernels } from '../../models/spacetime/index.ts';
import { normalizeL1 } from '../../models/spacetime/normalize.ts';
import { assertClose } from '../helpers/close.ts';
import { closedLoopReference, companionKernelReference, normalized, openLoopReference, row } from './reference.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

const tolerance = { rtol: 2e-3, atol: 2e-4 };
const data = async (t: cs.Tensor): Promise<Float32Array> => t.data();

/** y[b, t, ch] = Σ_j K_ch[j] u[b, t − j, ch] (+ skip): the per-channel convolution, float64. */
function convolveReference(u: Float32Array, [batch, length, width]: number[], kernelOf: (ch: number) => ArrayLike<number>, skip?: Float32Array): Float64Array {
  const y = new Float64Array(u.length);
  for (let ch = 0; ch < width; ch++) {
    const k = kernelOf(ch);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < length; t++) {
        const at = (s: number): number => u[(b * length + s) * width + ch];
        let acc = skip ? skip[ch] * at(t) : 0;
        for (let j = 0; j <= t; j++) acc += k[j] * at(t - j);
        y[(b * length + t) * width + ch] = acc;
      }
    }
  }
  return y;
}

test('CompanionSSM equals the companion recurrence, each kernel shared by nHeads·headDim channels and repeated', async () => {
  const [nKernels, kernelRepeat, nHeads, d] = [2, 2, 3, 5];
  const layer = new CompanionSSM({ nKernels, kernelRepeat, nHeads, kernelDim: d, rng: new Random(1) });
  const shape = [2, 11, kernelRepeat * nKernels * nHeads];
  const u = new Random(2).normalArray(shape[0] * shape[1] * shape[2]);
  const [a, b, c, skip] = await Promise.all([layer.a, layer.b, layer.c, layer.skip!].map(data));
  const kernelOf = (ch: number): Float64Array => {
    const k = Math.floor(ch / nHeads) % nKernels;
    return companionKernelReference(normalized(row(a, k, d)), row(b, k, d), row(c, k, d), shape[1]);
  };
  assertClose(await layer.forward(cs.tensor(u, shape)).data(), convolveReference(u, shape, kernelOf, skip), 'companion SSM', tolerance);
});

test('CompanionSSM with normOrder 0 uses a as trained (a kernel that differs from the normalised one)', async () => {
  const raw = new CompanionSSM({ nKernels: 1, kernelDim: 3, normOrder: 0, rng: new Random(4) });
  const [a, b, c] = await Promise.all([raw.a, raw.b, raw.c].map(data));
  const want = companionKernelReference(a, b, c, 6);
  assertClose(await raw.kernel(6).data(), want, 'raw kernel', tolerance);
  const normal = companionKernelReference(normalized(a), b, c, 6);
  assert.ok(
    want.some((v, i) => Math.abs(v - normal[i]) > 1e-3),
    'the test point must tell the two apart',
  );
});

test('ShiftSSM kernel is c itself: the companion kernel with a = 0 and b = e_1', async () => {
  const layer = new ShiftSSM({ nKernels: 2, kernelDim: 4, skipConnection: false, rng: new Random(5) });
  const c = await data(layer.c);
  const e1 = [1, 0, 0, 0];
  const want = [0, 1].flatMap((k) => [...companionKernelReference([0, 0, 0, 0], e1, row(c, k, 4), 7)]);
  assertClose(await layer.kernel(7).data(), want, 'shift kernel (padded)', tolerance);
  assertClose(await layer.kernel(3).data(), [...row(c, 0, 4).slice(0, 3), ...row(c, 1, 4).slice(0, 3)], 'shift kernel (cropped)', tolerance);
});

test('differencing kernels are the signed binomial rows of orders 0-3', () => {
  assert.equal([...differencingKernels(4)], [1, 0, 0, 0, 1, -1, 0, 0, 1, -2, 1, 0, 1, -3, 3, -1]);
});

test('ResidualSSM differences and subtracts moving averages in upstream channel order, windows kept in the state dict', async () => {
  const pre = new ResidualSSM({ kernelRepeat: 2, headDim: 1, maxAvgWindow: 9, rng: new Random(6) });
  const width = pre.width;
  assert.is(width, 16);
  const ma = await data(pre.ma_r_kernel); // [8, 9]
  const windows = Array.from({ length: 8 }, (_, r) => 1 / -ma[r * 9 + 1]);
  for (const w of windows) assert.ok(Math.abs(w - Math.round(w)) < 1e-3 && w >= 4 && w < 9, `window ${w} in [4, 9)`);
  const length = 12;
  const series = Float32Array.from({ length }, (_, t) => Math.sin(t) + 0.1 * t * t);
  const u = new Float32Array(length * width);
  for (let t = 0; t < length; t++) for (let ch = 0; ch < width; ch++) u[t * width + ch] = series[t];
  const y = await pre.forward(cs.tensor(u, [1, length, width])).data();
  const at = (s: number): number => (s >= 0 ? series[s] : 0);
  for (let ch = 0; ch < width; ch++) {
    const [group, kernel] = [Math.floor(ch / 8), ch % 8];
    for (let t = 0; t < length; t++) {
      let want: number;
      if (kernel < 4) want = [at(t), at(t) - at(t - 1), at(t) - 2 * at(t - 1) + at(t - 2), at(t) - 3 * at(t - 1) + 3 * at(t - 2) - at(t - 3)][kernel];
      else {
        const w = Math.round(windows[group * 4 + kernel - 4]);
        let total = 0;
        for (let j = 0; j < w; j++) total += at(t - j);
        want = at(t) - total / w;
      }
      assert.ok(Math.abs(y[t * width + ch] - want) < 1e-4, `channel ${ch}, t ${t}: ${y[t * width + ch]} vs ${want}`);
    }
  }
  const other = new ResidualSSM({ kernelRepeat: 2, maxAvgWindow: 9, rng: new Random(99) });
  other.loadStateDict(pre.stateDict());
  assertClose(await other.kernel(length).data(), await pre.kernel(length).data(), 'reloaded windows', { rtol: 0, atol: 0 });
});

test('normalizeL1 gives every row an L1 norm of 1, and leaves near-zero parameters alone', async () => {
  const x = cs.tensor([
    [1, -3],
    [0.5, 0.5],
  ]);
  assertClose(await normalizeL1(x).data(), [0.25, -0.75, 0.5, 0.5], 'normalised');
  assertClose(await normalizeL1(cs.tensor([[1e-6, -1e-6]])).data(), [1e-6, -1e-6], 'left alone', { rtol: 1e-6, atol: 0 });
});

test('the closed-loop decoder forecast equals its unrolled recurrence, feedback generating the inputs', async () => {
  const [width, d, lookback, horizon, batch] = [3, 4, 10, 7, 2];
  const decoder = new ClosedLoopCompanionSSM({ width, horizon, kernelDim: d, rng: new Random(8) });
  const u = new Random(9).normalArray(batch * lookback * width);
  const y = await decoder.forward(cs.tensor(u, [batch, lookback, width])).data(); // [B, H, D]
  const [a, b, c, k] = await Promise.all([decoder.a, decoder.b, decoder.c, decoder.k].map(data));
  for (let ch = 0; ch < width; ch++) {
    const system = {
      a: normalized(row(a, ch, d)),
      b: row(b, ch, d),
      bHat: normalized(row(b, ch, d)),
      c: normalized(row(c, ch, d)),
      k: normalized(row(k, ch, d)),
    };
    for (let s = 0; s < batch; s++) {
      const inputs = Array.from({ length: lookback }, (_, t) => u[(s * lookback + t) * width + ch]);
      const want = closedLoopReference(system, inputs, horizon);
      const got = Array.from({ length: horizon }, (_, h) => y[(s * horizon + h) * width + ch]);
      assertClose(got, want, `channel ${ch}, sample ${s}`, tolerance);
    }
  }
});

test('the decoder open loop predicts next outputs and next inputs by the same recurrence', async () => {
  const [width, d, lookback] = [2, 5, 9];
  const decoder = new ClosedLoopCompanionSSM({ width, horizon: 3, kernelDim: d, rng: new Random(10) });
  const u = new Random(11).normalArray(lookback * width);
  const { y, nextInputs } = decoder.openLoop(cs.tensor(u, [1, lookback, width]));
  const [yData, uData] = [await y.data(), await nextInputs.data()];
  const [a, b, c, k] = await Promise.all([decoder.a, decoder.b, decoder.c, decoder.k].map(data));
  for (let ch = 0; ch < width; ch++) {
    const system = {
      a: normalized(row(a, ch, d)),
      b: row(b, ch, d),
      bHat: normalized(row(b, ch, d)),
      c: normalized(row(c, ch, d)),
      k: normalized(row(k, ch, d)),
    };
    const inputs = Array.from({ length: lookback }, (_, t) => u[t * width + ch]);
    const column = (x: Float32Array) => Array.from({ length: lookback }, (_, t) => x[t * width + ch]);
    assertClose(column(yData), openLoopReference(system, system.c, inputs), `outputs ${ch}`, tolerance);
    assertClose(column(uData), openLoopReference(system, system.k, inputs), `inputs ${ch}`, tolerance);
  }
});

test.run();
