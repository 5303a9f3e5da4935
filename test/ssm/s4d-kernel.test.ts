/**
 * The S4D kernel against its definition: the materialised float64 formula, the recurrence it
 * stands for (convolution = recurrence), and the recurrence helper. Run through the engine
 * (CPU fast paths) and through the GPU.js bodies alone (float32 throughout, as on a GPU).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackend, type Backend } from '../../kernels/index.ts';
import * as cs from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { assertClose } from '../helpers/close.ts';
import { evaluateGpuBodies } from './evaluate.ts';
import { diagonalArrays, diagonalTensors } from './fixtures.ts';
import { recurrenceReference, s4dKernelReference } from './reference.ts';

let gpu: Backend;
test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
  gpu = await createBackend({ name: 'webasm', threads: 1 });
});
test.after(async () => {
  gpu.dispose();
  await cs.shutdown();
});

/** Float32 parameters and outputs: ~1e-6 of max |K| is what rounding of dt·A leaves (measured ≤ 1.1e-6). */
const kernelTolerance = { rtol: 1e-4, atol: 2e-6 };
const size = { channels: 2, H: 6, S: 3, N2: 8 };

for (const discretization of ['zoh', 'bilinear'] as const) {
  for (const length of [1, 7, 1031, 4096]) {
    test(`s4dKernel (${discretization}) matches the materialised float64 formula at L = ${length}, with A and B shared by channel groups`, async () => {
      const p = diagonalArrays(length, size);
      const K = cs.s4dKernel(diagonalTensors(p), { length, discretization });
      assert.equal(K.shape, [size.channels, size.H, length]);
      const expected = s4dKernelReference(p, length, discretization);
      assertClose(await K.data(), expected, `${discretization} fast paths`, kernelTolerance);
      assertClose(await evaluateGpuBodies(K, gpu), expected, `${discretization} GPU.js bodies`, kernelTolerance);
    });
  }
}

test('s4dKernel gives channel h the copy h mod S of A and B, as einops (v t)', async () => {
  const p = diagonalArrays(3, { channels: 1, H: 4, S: 2, N2: 3 });
  const shared = cs.s4dKernel(diagonalTensors(p), { length: 20 });
  const { dt, A, B, C } = diagonalTensors(p);
  const tiled = cs.s4dKernel({ dt, C, A: cs.concat([A, A], 0), B: cs.concat([B, B], 0) }, { length: 20 });
  assertClose(await shared.data(), await tiled.data(), 'S = 2 against explicitly tiled copies', { rtol: 0, atol: 0 });
});

for (const discretization of ['zoh', 'bilinear'] as const) {
  test(`convolving with the ${discretization} S4D kernel equals running the recurrence step by step`, async () => {
    const p = diagonalArrays(11, size);
    const [batch, length] = [2, 300];
    const u = new Random(5).normalArray(batch * size.H * length);
    const K = cs.s4dKernel(diagonalTensors(p), { length, discretization }); // [channels, H, L]
    const y = cs.causalConv(cs.expand(cs.tensor(u, [batch, 1, size.H, length]), [batch, size.channels, size.H, length]), K); // [batch, channels, H, L]
    assertClose(await y.data(), recurrenceReference(p, u, batch, length, discretization), 'conv against recurrence', { rtol: 1e-4, atol: 1e-5 });
  });
}

test('s4dStep run step by step reproduces the convolution output', async () => {
  const p = diagonalArrays(12, { channels: 2, H: 3, S: 1, N2: 4 });
  const [batch, length] = [2, 24];
  const u = cs.tensor(new Random(6).normalArray(batch * p.H * length), [batch, p.H, length]);
  const { C, ...system } = diagonalTensors(p);
  const { dA, dB } = cs.discretizeDiagonal(system, 'bilinear');
  let state = cs.zeros([batch, p.H, p.N2, 2]);
  const ys: cs.Tensor[] = [];
  for (let l = 0; l < length; l++) {
    const step = cs.s4dStep(state, cs.squeeze(cs.narrow(u, -1, l, 1), -1), { dA, dB, C });
    state = step.state;
    ys.push(step.y); // [batch, channels, H]
  }
  const stepped = cs.stack(ys, -1); // [batch, channels, H, L]
  const K = cs.s4dKernel({ ...system, C }, { length, discretization: 'bilinear' });
  const convolved = cs.causalConv(cs.expand(cs.unsqueeze(u, 1), [batch, p.channels, p.H, length]), K);
  assertClose(await stepped.data(), await convolved.data(), 's4dStep against causalConv', { rtol: 1e-4, atol: 1e-5 });
});

test('s4dKernel names the shape it cannot use', () => {
  const p = diagonalArrays(1, { channels: 1, H: 4, S: 3, N2: 2 });
  assert.throws(
    () => cs.s4dKernel(diagonalTensors(p), { length: 5 }),
    (e: Error) => e instanceof cs.ShapeError && /copies of \(A, B\) must divide/.test(e.message),
  );
  const q = diagonalTensors(diagonalArrays(1, { channels: 1, H: 4, S: 2, N2: 2 }));
  assert.throws(
    () => cs.s4dKernel({ ...q, C: cs.zeros([4, 2, 2]) }, { length: 5 }),
    (e: Error) => /C must be \[channels, 4, 2, 2\]/.test(e.message),
  );
  assert.throws(() => cs.s4dKernel(q, { length: 5, discretization: 'euler' as 'zoh' }), /unknown discretization 'euler'/);
});

test.run();
