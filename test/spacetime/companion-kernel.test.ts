/**
 * The companion kernel K[l] = cᵀAˡb: the fast FFT algorithm and the official Krylov path against
 * the step-by-step recurrence, on the engine and on the GPU.js bodies, with finite-difference
 * gradients to a, b and c.
 */
import { test } from 'uvu';
import { createBackend, type Backend } from '../../kernels/index.ts';
import * as cs from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { assertClose } from '../helpers/close.ts';
import { gradCheck, type GradInput } from '../helpers/gradcheck.ts';
import { evaluateGpuBodies } from '../ssm/evaluate.ts';
import { normalizeL1 } from '../../models/spacetime/normalize.ts';
import { companionKernelReference, row } from './reference.ts';

let gpu: Backend;
test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
  gpu = await createBackend({ name: 'webasm', threads: 1 });
});
test.after(async () => {
  gpu.dispose();
  await cs.shutdown();
});

/** a with ||a||₁ = 0.9 (roots inside the unit disk, as SpaceTime's L1 normalisation ensures), b and c standard normal. */
function system(rows: number, d: number, seed: number): { a: Float32Array; b: Float32Array; c: Float32Array } {
  const rng = new Random(seed);
  const a = rng.normalArray(rows * d);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let i = 0; i < d; i++) norm += Math.abs(a[r * d + i]);
    for (let i = 0; i < d; i++) a[r * d + i] *= 0.9 / norm;
  }
  return { a, b: rng.normalArray(rows * d), c: rng.normalArray(rows * d) };
}

function expected(p: ReturnType<typeof system>, rows: number, d: number, length: number): Float64Array {
  const out = new Float64Array(rows * length);
  for (let r = 0; r < rows; r++) out.set(companionKernelReference(row(p.a, r, d), row(p.b, r, d), row(p.c, r, d), length), r * length);
  return out;
}

// d > L exercises the fold modulo L; odd L the odd-length inverse FFT; L = 1 a single tap.
for (const [rows, d, length] of [
  [3, 4, 9],
  [2, 25, 9],
  [4, 8, 1],
  [2, 16, 97],
  [2, 64, 336],
]) {
  test(`companionKernel equals the recurrence cᵀAˡb (${rows} kernels, d = ${d}, L = ${length})`, async () => {
    const p = system(rows, d, d * 31 + length);
    const [a, b, c] = [p.a, p.b, p.c].map((x) => cs.tensor(x, [rows, d]));
    const want = expected(p, rows, d, length);
    assertClose(await cs.companionKernel(a, b, c, length).data(), want, 'fast kernel', { rtol: 1e-3, atol: 1e-4 });
    assertClose(await cs.companionKrylovKernel(a, b, c, length).data(), want, 'krylov kernel', { rtol: 1e-3, atol: 1e-4 });
  });
}

test('companionKernel stays exact when A has eigenvalues on the unit circle (a ≥ 0 with ||a||₁ = 1, and a = e_1: Aᵈ = I)', async () => {
  const d = 4;
  const a = Float32Array.of(0.25, 0.25, 0.25, 0.25, 1, 0, 0, 0);
  const { b, c } = system(2, d, 17);
  for (const length of [8, 12, 50]) {
    const k = cs.companionKernel(cs.tensor(a, [2, d]), cs.tensor(b, [2, d]), cs.tensor(c, [2, d]), length);
    assertClose(await k.data(), expected({ a, b, c }, 2, d, length), `L = ${length}`, { rtol: 1e-3, atol: 1e-4 });
  }
});

test('companionKernel reads out several c over one system (c [2, ..., d])', async () => {
  const p = system(3, 5, 21);
  const second = new Random(22).normalArray(15);
  const c = cs.tensor(Float32Array.from([...p.c, ...second]), [2, 3, 5]);
  const k = cs.companionKernel(cs.tensor(p.a, [3, 5]), cs.tensor(p.b, [3, 5]), c, 10);
  assertClose(k.shape, [2, 3, 10], 'shape');
  const want = [...expected(p, 3, 5, 10), ...expected({ ...p, c: second }, 3, 5, 10)];
  assertClose(await k.data(), want, 'values', { rtol: 1e-3, atol: 1e-4 });
});

test('companionKernel on the GPU.js bodies equals the recurrence', async () => {
  const [rows, d, length] = [2, 6, 13];
  const p = system(rows, d, 5);
  const [a, b, c] = [p.a, p.b, p.c].map((x) => cs.tensor(x, [rows, d]));
  assertClose(await evaluateGpuBodies(cs.companionKernel(a, b, c, length), gpu), expected(p, rows, d, length), 'gpu bodies', { rtol: 1e-3, atol: 1e-4 });
});

test('companionKernel keeps leading axes ([2, 3, d] → [2, 3, L])', async () => {
  const p = system(6, 5, 9);
  const [a, b, c] = [p.a, p.b, p.c].map((x) => cs.tensor(x, [2, 3, 5]));
  const k = cs.companionKernel(a, b, c, 7);
  assertClose(k.shape, [2, 3, 7], 'shape');
  assertClose(await k.data(), expected(p, 6, 5, 7), 'values', { rtol: 1e-3, atol: 1e-4 });
});

const inputs = (rows: number, d: number, seed: number): GradInput[] => {
  const p = system(rows, d, seed);
  return [p.a, p.b, p.c].map((data) => ({ shape: [rows, d], data, differentiable: true }));
};
test('companionKernel gradients to a, b and c match finite differences (d > L folds)', () =>
  gradCheck('companionKernel', (a, b, c) => cs.companionKernel(a, b, c, 6), inputs(2, 7, 3)));
test('companionKernel gradients to a, b and c match finite differences (L > d)', () =>
  gradCheck('companionKernel long', (a, b, c) => cs.companionKernel(a, b, c, 11), inputs(1, 4, 4)));
test('companionKrylovKernel gradients match finite differences', () =>
  gradCheck('companionKrylovKernel', (a, b, c) => cs.companionKrylovKernel(a, b, c, 9), inputs(2, 4, 5)));

test('krylov of a dense matrix and the L1 normalisation have the right gradients', () =>
  gradCheck('krylov normalizeL1', (A, v) => cs.krylov(5, A, normalizeL1(v)), [
    { shape: [2, 3, 3], data: new Random(23).normalArray(18).map((x) => 0.5 * x), differentiable: true },
    { shape: [2, 3], data: new Random(24).normalArray(6), differentiable: true },
  ]));
test('rowTimesPower equals repeated products cᵀA·A·…·A', async () => {
  const A = new Random(25).normalArray(9).map((x) => 0.5 * x);
  const c = Float32Array.of(1, -2, 0.5);
  let row = Array.from(c, Number);
  for (let step = 0; step < 11; step++) row = [0, 1, 2].map((j) => row.reduce((acc, r, i) => acc + r * A[i * 3 + j], 0));
  assertClose(await cs.rowTimesPower(cs.tensor(c, [3]), cs.tensor(A, [3, 3]), 11).data(), row, 'cᵀA¹¹', { rtol: 1e-4, atol: 1e-5 });
});

test.run();
