/**
 * Finite-difference gradient checks through the state-space kernels' composite ops, with respect
 * to every parameter (dt, A's real and imaginary parts, B, C, P), on small sizes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { gradCheck, type GradInput } from '../helpers/gradcheck.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

const rng = new Random(21);
const input = (shape: number[], data: Float32Array): GradInput => ({ shape, data, differentiable: true });
const normal = (...shape: number[]): GradInput =>
  input(
    shape,
    rng.normalArray(
      shape.reduce((a, b) => a * b, 1),
      0,
      0.7,
    ),
  );

/** dt in [0.05, 0.35]; A with Re in [−0.9, −0.2] and Im of either sign up to ~3. */
function system(H: number, S: number, N2: number): GradInput[] {
  const dt = rng.uniformArray(H, 0.05, 0.35);
  const A = new Float32Array(S * N2 * 2);
  for (let i = 0; i < S * N2; i++) {
    A[2 * i] = -0.2 - 0.7 * rng.uniform();
    A[2 * i + 1] = 3 * (2 * rng.uniform() - 1);
  }
  return [input([H], dt), input([S, N2, 2], A), normal(S, N2, 2)];
}

for (const discretization of ['zoh', 'bilinear'] as const) {
  test(`s4dKernel (${discretization}) has the gradient of finite differences in dt, A, B and C`, () =>
    gradCheck(`s4dKernel ${discretization}`, (dt, A, B, C) => cs.s4dKernel({ dt, A, B, C }, { length: 9, discretization }), [
      ...system(4, 2, 2),
      normal(2, 4, 2, 2),
    ]));
}

test('dplrKernel has the gradient of finite differences in dt, A, B, P and C̃', () =>
  gradCheck('dplrKernel', (dt, A, B, P, Ctilde) => cs.dplrKernel({ dt, A, B, P, Ctilde }, { length: 7, kernelLength: 8 }), [
    ...system(2, 1, 2),
    normal(1, 2, 2),
    normal(2, 2, 2, 2),
  ]));

test('dplrKernel with an odd kernel length has the right gradient', () =>
  gradCheck('dplrKernel odd', (dt, A, B, P, Ctilde) => cs.dplrKernel({ dt, A, B, P, Ctilde }, { length: 5, kernelLength: 7 }), [
    ...system(2, 2, 2),
    normal(2, 2, 2),
    normal(1, 2, 2, 2),
  ]));

test('s4dStep has the gradient of finite differences through two steps', () =>
  gradCheck(
    's4dStep',
    (dt, A, B, C, u) => {
      const { dA, dB } = cs.discretizeDiagonal({ dt, A, B }, 'zoh');
      const first = cs.s4dStep(cs.zeros([2, 2, 2, 2]), cs.narrow(u, 0, 0, 2), { dA, dB, C });
      return cs.s4dStep(first.state, cs.narrow(u, 0, 2, 2), { dA, dB, C }).y;
    },
    [...system(2, 1, 2), normal(1, 2, 2, 2), normal(4, 2)],
  ));

test('the gradient of a power-2 Cauchy sum is refused with a clear message', async () => {
  const values = cs.tensor(rng.normalArray(4), [2, 2], { requiresGrad: true });
  const poles = cs.tensor(Float32Array.of(-1, 0.5, -2, -1), [2, 2]);
  const points = cs.tensor(Float32Array.of(1, 1), [1, 2]);
  const loss = cs.sum(cs.cauchy(values, poles, points, { power: 2 }));
  let message = '';
  try {
    await loss.backward();
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /second derivatives are not supported/);
});

test.run();
