/**
 * The S4 (DPLR) kernel: with P = 0 it is the bilinear S4D kernel, and with P ≠ 0 it equals the
 * powers of the dense bilinear discretisation of A_full = diag(A) − P Pᴴ, which is what proves
 * the Cauchy sums and the Woodbury correction faithful.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackend, type Backend } from '../../kernels/index.ts';
import * as cs from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { assertClose } from '../helpers/close.ts';
import { evaluateGpuBodies } from './evaluate.ts';
import { diagonalArrays, diagonalTensors } from './fixtures.ts';
import { at, cconj, cexp, cmul, cscale, csub, denseBilinear, discretize, matpow, matvec, transpose, type Complex, type DiagonalArrays } from './reference.ts';

let gpu: Backend;
test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
  gpu = await createBackend({ name: 'webasm', threads: 1 });
});
test.after(async () => {
  gpu.dispose();
  await cs.shutdown();
});

const size = { channels: 2, H: 4, S: 2, N2: 3 };
const tolerance = { rtol: 1e-4, atol: 2e-6 };
const shapes = { modes: [size.S, size.N2, 2], outputs: [size.channels, size.H, size.N2, 2] };

/** Writes value v at complex index i of a pair-layout array. */
function put(x: Float32Array, i: number, v: Complex): void {
  x[2 * i] = v[0];
  x[2 * i + 1] = v[1];
}

for (const [length, kernelLength] of [
  [50, 64],
  [33, 33],
  [1031, 2048],
]) {
  test(`dplrKernel with P = 0 equals the bilinear s4dKernel when C̃ = C(I − dA^Lk) (L = ${length}, Lk = ${kernelLength})`, async () => {
    const p = diagonalArrays(length, size);
    const Ctilde = new Float32Array(p.C.length);
    for (let c = 0; c < size.channels; c++) {
      for (let h = 0; h < size.H; h++) {
        for (let n = 0; n < size.N2; n++) {
          const { logDA } = discretize(p, h, n, 'bilinear');
          const i = (c * size.H + h) * size.N2 + n;
          put(Ctilde, i, cmul(at(p.C, i), csub([1, 0], cexp(cscale(logDA, kernelLength)))));
        }
      }
    }
    const system = diagonalTensors(p);
    const dplr = cs.dplrKernel({ ...system, P: cs.zeros(shapes.modes), Ctilde: cs.tensor(Ctilde, shapes.outputs) }, { length, kernelLength });
    const diagonal = cs.s4dKernel(system, { length, discretization: 'bilinear' });
    assertClose(await dplr.data(), await diagonal.data(), 'DPLR with P = 0 against S4D bilinear', tolerance);
  });
}

/**
 * K[c, h, l] = C_fᵀ dA^l dB over the conjugate-pair-expanded state (float64, dense), and the
 * C̃ = (I − dA^Lk)ᵀ C_f that makes the truncated generating function exact.
 */
function denseReference(p: DiagonalArrays, P: Float32Array, length: number, kernelLength: number): { K: Float64Array; Ctilde: Float32Array } {
  const K = new Float64Array(p.channels * p.H * length);
  const Ctilde = new Float32Array(p.C.length);
  const modes = (x: Float32Array, row: number): Complex[] => Array.from({ length: p.N2 }, (_, n) => at(x, row * p.N2 + n));
  for (let h = 0; h < p.H; h++) {
    const s = h % p.S;
    const { dA, dB } = denseBilinear(modes(p.A, s), modes(P, s), modes(p.B, s), p.dt[h]);
    const truncation = transpose(matpow(dA, kernelLength).map((row, i) => row.map((v, j) => csub(i === j ? [1, 0] : [0, 0], v))));
    for (let c = 0; c < p.channels; c++) {
      const C = modes(p.C, c * p.H + h);
      const full = [...C, ...C.map(cconj)];
      matvec(truncation, full)
        .slice(0, p.N2)
        .forEach((v, n) => put(Ctilde, (c * p.H + h) * p.N2 + n, v));
      let state = dB;
      for (let l = 0; l < length; l++) {
        K[(c * p.H + h) * length + l] = full.reduce((acc, v, i) => acc + cmul(v, state[i])[0], 0);
        state = matvec(dA, state);
      }
    }
  }
  return { K, Ctilde };
}

for (const [length, kernelLength] of [
  [50, 64],
  [33, 33],
  [1, 8],
  [300, 512],
]) {
  test(`dplrKernel with P ≠ 0 matches the dense float64 bilinear discretisation of diag(A) − P Pᴴ (L = ${length}, Lk = ${kernelLength})`, async () => {
    const p = diagonalArrays(100 + length, size);
    const P = new Random(length).normalArray(size.S * size.N2 * 2, 0, 0.5);
    const { K, Ctilde } = denseReference(p, P, length, kernelLength);
    const dplr = cs.dplrKernel({ ...diagonalTensors(p), P: cs.tensor(P, shapes.modes), Ctilde: cs.tensor(Ctilde, shapes.outputs) }, { length, kernelLength });
    assert.equal(dplr.shape, [size.channels, size.H, length]);
    assertClose(await dplr.data(), K, 'fast paths against dense', tolerance);
    assertClose(await evaluateGpuBodies(dplr, gpu), K, 'GPU.js bodies against dense', tolerance);
  });
}

test('dplrKernel refuses a kernel longer than the length C̃ is attuned to', () => {
  const p = diagonalTensors(diagonalArrays(1, size));
  const params = { ...p, P: cs.zeros(shapes.modes), Ctilde: p.C };
  assert.throws(() => cs.dplrKernel(params, { length: 65, kernelLength: 64 }), /length ≤ kernelLength/);
  assert.throws(() => cs.dplrKernel({ ...params, P: cs.zeros([size.S, size.N2 + 1, 2]) }, { length: 8 }), /B and P must have A's shape/);
});

test.run();
