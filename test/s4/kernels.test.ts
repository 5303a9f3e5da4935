/**
 * The S4 family's kernels from their stored parameters, against float64 formulas: S4D (both
 * discretisations, tiled copies, channels, trained B), S4's C̃ attunement and doubling against
 * dense powers of the bilinear discretisation, the P = 0 case against S4D, SGConv's multiscale
 * kernel, and the two-sided convolution with its deliberate off-by-one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { fftConvolve } from '../../models/s4/conv.ts';
import { positiveValue } from '../../models/s4/init.ts';
import { S4Kernel } from '../../models/s4/s4.ts';
import { S4DKernel, s4dConvolutionKernel } from '../../models/s4/s4d.ts';
import { SGConvKernel, interpolationWeights } from '../../models/s4/sgconv.ts';
import { assertClose } from '../helpers/close.ts';
import { at, attuneReference, bilinearDplr, cadd, cdiv, cexp, cmul, cscale, csub, kernelByPowers, type Complex, type Head } from './reference.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 1 });
});
test.after(() => cs.shutdown());

const data = (t: cs.Tensor): Float32Array => t.storage!.data;

/** Head h of a kernel's continuous system in float64 (copy h mod S). */
function headOf(kernel: S4Kernel | S4DKernel, h: number): Head {
  const [S, N2] = kernel.A_real.shape;
  const t = kernel instanceof S4Kernel ? kernel.transforms : kernel.settings;
  const s = h % S;
  const pick = (x: Float32Array | null, fallback: Complex): Complex[] => Array.from({ length: N2 }, (_, n) => (x ? at(x, s * N2 + n) : fallback));
  return {
    dt: positiveValue(data(kernel.inv_dt)[h], t.dtTransform),
    A: Array.from(
      { length: N2 },
      (_, n): Complex => [-positiveValue(data(kernel.A_real)[s * N2 + n], t.realTransform), -positiveValue(data(kernel.A_imag)[s * N2 + n], t.imagTransform)],
    ),
    B: pick(kernel.B ? data(kernel.B) : null, [1, 0]),
    P: pick(kernel instanceof S4Kernel ? data(kernel.P) : null, [0, 0]),
  };
}

/** Row (c, h) of C as complex values. */
const rowOf = (C: Float32Array, row: number, N2: number): Complex[] => Array.from({ length: N2 }, (_, n) => at(C, row * N2 + n));

for (const discretization of ['zoh', 'bilinear'] as const) {
  test(`the S4D kernel equals 2·Re Σ C'·dA^l from its stored parameters (${discretization}, n_ssm < H, two channels, trained B)`, async () => {
    const kernel = new S4DKernel({
      dModel: 4,
      dState: 6,
      channels: 2,
      nSsm: 2,
      init: 'diag-inv',
      bInit: 'random',
      dtTransform: 'softplus',
      discretization,
      rng: new cs.Random(1),
    });
    const L = 20;
    const K = await kernel.forward(L).data();
    const expected = new Float64Array(2 * 4 * L);
    for (let c = 0; c < 2; c++) {
      for (let h = 0; h < 4; h++) {
        const { dt, A, B } = headOf(kernel, h);
        const C = rowOf(data(kernel.C), c * 4 + h, 3);
        for (let n = 0; n < 3; n++) {
          const dtA = cscale(A[n], dt);
          const [dA, dB] =
            discretization === 'zoh'
              ? [cexp(dtA), cmul(B[n], cdiv(csub(cexp(dtA), [1, 0]), A[n]))]
              : [cdiv(cadd([1, 0], cscale(dtA, 0.5)), csub([1, 0], cscale(dtA, 0.5))), cmul(B[n], cdiv([dt, 0], csub([1, 0], cscale(dtA, 0.5))))];
          let power: Complex = [1, 0];
          for (let l = 0; l < L; l++) {
            expected[(c * 4 + h) * L + l] += 2 * cmul(cmul(C[n], dB), power)[0];
            power = cmul(power, dA);
          }
        }
      }
    }
    assertClose(K, expected, 'S4D kernel', { rtol: 1e-4, atol: 1e-5 });
  });
}

test('S4 attunes C̃ = C(I − dA^L) and its kernel equals Ĉᵀ dA^l dB of the dense bilinear discretisation of diag(A) − P Pᴴ', async () => {
  const kernel = new S4Kernel({ dModel: 2, dState: 6, channels: 2, nSsm: 1, lMax: 0, rng: new cs.Random(2) });
  const plain = data(kernel.C).slice();
  const [Lk, L] = [16, 12];
  kernel.extendKernel(Lk);
  assert.is(kernel.kernelLength, Lk);
  const K = await kernel.forward(L).data();
  const expected: number[] = [];
  const ctilde: number[] = [];
  for (let row = 0; row < 4; row++) {
    const { dA, dB } = bilinearDplr(headOf(kernel, row % 2));
    expected.push(...kernelByPowers(rowOf(plain, row, 3), dA, dB, L));
    ctilde.push(...attuneReference(rowOf(plain, row, 3), dA, Lk).flat());
  }
  assertClose(data(kernel.C), ctilde, 'C̃', { rtol: 1e-5, atol: 1e-6 });
  assertClose(K, expected, 'DPLR kernel', { rtol: 1e-4, atol: 1e-5 });
});

test('a longer kernel needs extendKernel, which doubles l_kernel with C̃(I + dA^Lk) = attuning straight to 2Lk', async () => {
  const make = (lMax: number) => new S4Kernel({ dModel: 3, dState: 4, lMax, rng: new cs.Random(3) });
  const short = make(8);
  assert.throws(() => short.forward(9), /extendKernel\(9\)/);
  short.extendKernel(9);
  assert.is(short.kernelLength, 16);
  assertClose(data(short.C), data(make(16).C), 'doubled C̃ vs direct', { rtol: 1e-4, atol: 1e-6 });
  short.extendKernel(40);
  assert.is(short.kernelLength, 64, 'doubles until long enough');
  const direct = make(64);
  assertClose(await short.forward(64).data(), await direct.forward(64).data(), 'kernels after doubling', { rtol: 1e-3, atol: 1e-5 });
});

test('S4 with P = 0 (a diag init) is the bilinear S4D kernel of the same A, B and the plain C', async () => {
  const kernel = new S4Kernel({ dModel: 3, dState: 8, nSsm: 3, init: 'diag-lin', lMax: 0, dtTransform: 'exp', rng: new cs.Random(4) });
  const plainC = cs.tensor(data(kernel.C).slice(), kernel.C.shape);
  kernel.extendKernel(32);
  const diagonal = s4dConvolutionKernel({ ...kernel, C: plainC }, { ...kernel.transforms, discretization: 'bilinear' }, 32);
  assertClose(await kernel.forward(32).data(), await diagonal.data(), 'DPLR with P = 0 vs S4D bilinear', { rtol: 1e-4, atol: 1e-5 });
});

test('interpolation follows PyTorch linear with align_corners=False', () => {
  const upsample = (x: number[], s: number) => {
    const { i0, i1, lambda } = interpolationWeights(x.length, s, 'linear');
    return Array.from(i0, (_, j) => (1 - lambda[j]) * x[i0[j]] + lambda[j] * x[i1[j]]);
  };
  assert.equal(upsample([0, 1, 2, 3], 2), [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
  assert.equal(upsample([0, 1, 2, 3], 4), [0, 0, 0.125, 0.375, 0.625, 0.875, 1.125, 1.375, 1.625, 1.875, 2.125, 2.375, 2.625, 2.875, 3, 3]);
});

test('SGConv: 1 + ⌈log2(lMax/d)⌉ sub-kernels, upsampled by 2^max(i−1,0), weighted m^(S−1−i), concatenated, unit norm at init', async () => {
  const d = 8;
  const kernel = new SGConvKernel({ dModel: 3, channels: 2, kernelDim: d, lMax: 100, decayMin: 1.5, decayMax: 3, rng: new cs.Random(5) });
  const S = kernel.kernel_list.length;
  assert.is(S, 5);
  assert.is(kernel.fullLength, 128);
  assert.is(kernel.parameterCount(), S * 2 * 3 * d, 'parameters grow with log(lMax)');
  const T = kernel.fullLength;
  const full = await kernel.forward(T).data();
  const expected = new Float64Array(2 * 3 * T);
  for (let row = 0; row < 6; row++) {
    const m = 1.5 + (1.5 * (row % 3)) / 2;
    let offset = 0;
    for (let i = 0; i < S; i++) {
      const s = 2 ** Math.max(i - 1, 0);
      const k = Array.from(data(kernel.kernel_list[i]).slice(row * d, (row + 1) * d), (v) => v * m ** (S - 1 - i));
      for (let j = 0; j < d * s; j++) {
        const x = Math.max(0, (j + 0.5) / s - 0.5);
        const lo = Math.min(Math.floor(x), d - 1);
        expected[row * T + offset + j] = k[lo] + (x - lo) * (k[Math.min(lo + 1, d - 1)] - k[lo]);
      }
      offset += d * s;
    }
    let norm = 0;
    for (let l = 0; l < T; l++) norm += expected[row * T + l] ** 2;
    for (let l = 0; l < T; l++) expected[row * T + l] /= Math.sqrt(norm);
  }
  assertClose(full, expected, 'SGConv kernel', { rtol: 1e-4, atol: 1e-6 });
  const cut = await kernel.forward(40).data();
  const padded = await kernel.forward(150).data();
  for (let row = 0; row < 6; row++) {
    assertClose(cut.slice(row * 40, (row + 1) * 40), full.slice(row * T, row * T + 40), 'cut to L');
    assertClose(padded.slice(row * 150, row * 150 + T), full.slice(row * T, (row + 1) * T), 'padded to L');
    assert.ok(padded.slice(row * 150 + T, (row + 1) * 150).every((v) => v === 0));
  }
});

/** y[b, c, h, l] = Σ_j k[c, h, j] u[b, h, l − j] (+ the anti-causal half) + D[c, h]·u[b, h, l]. */
function convolutionReference(
  u: Float32Array,
  k: Float32Array,
  D: Float32Array,
  [B, H, L]: number[],
  channels: number,
  Lk: number,
  bidirectional: boolean,
): Float64Array {
  const y = new Float64Array(B * channels * H * L);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < channels; c++) {
      for (let h = 0; h < H; h++) {
        const kRow = (c * H + h) * Lk;
        const back = ((channels + c) * H + h) * Lk;
        for (let l = 0; l < L; l++) {
          let s = D[c * H + h] * u[(b * H + h) * L + l];
          for (let j = 0; j < Lk && j <= l; j++) s += k[kRow + j] * u[(b * H + h) * L + l - j];
          // the official two-sided kernel puts k1[j] at lag −(j + 1)
          if (bidirectional) for (let j = 0; j < Lk && l + j + 1 < L; j++) s += k[back + j] * u[(b * H + h) * L + l + j + 1];
          y[((b * channels + c) * H + h) * L + l] = s;
        }
      }
    }
  }
  return y;
}

for (const [channels, bidirectional, Lk] of [
  [1, false, 9],
  [2, false, 9],
  [1, true, 9],
  [2, true, 5],
] as const) {
  test(`the FFT convolution equals the direct sum (${channels} channel(s), ${bidirectional ? 'bidirectional with the official off-by-one' : 'causal'}, Lk = ${Lk})`, async () => {
    const rng = new cs.Random(6);
    const [B, H, L] = [2, 3, 9];
    const u = cs.randn([B, H, L], rng);
    const k = cs.randn([channels * (bidirectional ? 2 : 1), H, Lk], rng);
    const D = cs.randn([channels, H], rng);
    const y = await fftConvolve(u, k, D, { bidirectional }).data();
    assertClose(y, convolutionReference(data(u), data(k), data(D), [B, H, L], channels, Lk, bidirectional), 'convolution', { rtol: 1e-4, atol: 1e-5 });
  });
}

test.run();
