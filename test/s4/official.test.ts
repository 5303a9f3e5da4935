/**
 * Official state-spaces/s4 weights: synthetic state dicts with the official names, shapes and
 * dtypes (SSMKernelDPLR and SSMKernelDiag inside FFTConv / S4Block, and the minimal s4d.py S4D)
 * load, give the kernel and outputs of the reference computation, and bad ones fail clearly.
 * Plus the optimizer's parameter groups (`setup_optimizer`).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { S4Block, createS4Block, s4ParamGroups } from '../../models/s4/block.ts';
import { loadMinimalS4DStateDict, loadOfficialS4StateDict, type SourceTensor } from '../../models/s4/official.ts';
import { createS4 } from '../../models/s4/s4.ts';
import { S4DKernel, createS4D, s4dPresets } from '../../models/s4/s4d.ts';
import { assertClose } from '../helpers/close.ts';
import { attuneReference, bilinearDplr, cdiv, cexp, cmul, cscale, csub, kernelByPowers, type Complex } from './reference.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 1 });
});
test.after(() => cs.shutdown());

const [H, N2, Lk] = [3, 3, 16];
const rng = new cs.Random(12);
const flat = (values: Complex[]): number[] => values.flat();
const randomComplex = (n: number, scale = 1): Complex[] => Array.from({ length: n }, () => [scale * rng.normal(), scale * rng.normal()]);

/** A DPLR layer's true parameters (S = 1), in float64. */
const truth = {
  dt: [0.05, 0.1, 0.3],
  aReal: [0.5, 0.7, 0.3],
  aImag: [1, 4, 9],
  B: randomComplex(N2),
  P: randomComplex(N2, 0.5),
  C: Array.from({ length: H }, () => randomComplex(N2)),
  D: [0.3, -1.2, 0.8],
};
const head = (h: number) => ({ dt: truth.dt[h], A: truth.aReal.map((a, n): Complex => [-a, -truth.aImag[n]]), B: truth.B, P: truth.P });
const softplusInverse = (x: number) => Math.log(Math.expm1(x));

/** The official FFTConv(mode='dplr') state dict: C holds C̃ attuned to Lk; l_kernel is int64. */
function officialDplr(dtTransform: 'softplus' | 'exp'): Map<string, SourceTensor> {
  const Ctilde = truth.C.flatMap((row, h) => flat(attuneReference(row, bilinearDplr(head(h)).dA, Lk)));
  return new Map<string, SourceTensor>([
    ['kernel.inv_dt', { shape: [H, 1], data: truth.dt.map((dt) => (dtTransform === 'exp' ? Math.log(dt) : softplusInverse(dt))) }],
    ['kernel.A_real', { shape: [1, N2], data: truth.aReal.map(Math.log) }],
    ['kernel.A_imag', { shape: [1, N2], data: truth.aImag }],
    ['kernel.B', { shape: [1, 1, N2, 2], data: flat(truth.B) }],
    ['kernel.P', { shape: [1, 1, N2, 2], data: flat(truth.P) }],
    ['kernel.C', { shape: [1, H, N2, 2], data: Ctilde }],
    ['kernel.l_kernel', { shape: [], data: BigInt64Array.of(BigInt(Lk)) }],
    ['D', { shape: [1, H], data: truth.D }],
  ]);
}

const referenceKernel = (length: number) => truth.C.flatMap((row, h) => kernelByPowers(row, bilinearDplr(head(h)).dA, bilinearDplr(head(h)).dB, length));

test('an official SSMKernelDPLR FFTConv state dict loads by name, shape and dtype, and its kernel equals Ĉᵀ dA^l dB', async () => {
  const layer = createS4({ dModel: H, dState: 2 * N2, nSsm: 1, lMax: 8, rng: new cs.Random(1) });
  const report = loadOfficialS4StateDict(layer, officialDplr('softplus'));
  assert.equal(report, { missing: [], unexpected: [] });
  assert.is(layer.kernel.kernelLength, Lk);
  assertClose(await layer.kernel.forward(12).data(), referenceKernel(12), 'loaded kernel', { rtol: 1e-4, atol: 1e-5 });
  assertClose(await layer.D.data(), truth.D, 'D');
});

test('a checkpoint trained with exp dt loads into a softplus layer (inv_dt converted) with the same kernel', async () => {
  const layer = createS4({ dModel: H, dState: 2 * N2, nSsm: 1, lMax: 8, dtTransform: 'softplus' });
  loadOfficialS4StateDict(layer, officialDplr('exp'), { sourceDtTransform: 'exp' });
  assertClose(await layer.kernel.forward(Lk).data(), referenceKernel(Lk), 'kernel after converting dt', { rtol: 1e-4, atol: 1e-5 });
});

test('an S4Block state dict loads with layer.* and output_linear.0.* names, under a prefix too', async () => {
  const block = createS4Block({ layer: { kind: 's4', dModel: H, dState: 2 * N2, nSsm: 1, lMax: 8 } });
  const weight = Array.from({ length: 2 * H * H }, () => rng.normal());
  const source = new Map<string, SourceTensor>([...officialDplr('softplus')].map(([name, t]) => [`model.layers.0.layer.${name}`, t]));
  source.set('model.layers.0.output_linear.0.weight', { shape: [2 * H, H], data: weight });
  source.set('model.layers.0.output_linear.0.bias', { shape: [2 * H], data: new Float64Array(2 * H) });
  loadOfficialS4StateDict(block, source, { prefix: 'model.layers.0.' });
  assertClose(await block.output_linear[0].weight.data(), weight, 'output linear');
  assertClose(await block.layer.kernel.forward(12).data(), referenceKernel(12), 'kernel in a block', { rtol: 1e-4, atol: 1e-5 });
});

test('an SSMKernelDiag checkpoint with B loads into a B ≡ 1 layer by folding B into C, with the same kernel', async () => {
  const withB = createS4D({ dModel: H, dState: 2 * N2, nSsm: 1, learnB: true });
  const folded = createS4D({ dModel: H, dState: 2 * N2, nSsm: 1, learnB: false });
  const source = officialDplr('exp');
  for (const name of ['kernel.P', 'kernel.l_kernel']) source.delete(name);
  loadOfficialS4StateDict(withB, source);
  loadOfficialS4StateDict(folded, source);
  assertClose(await folded.kernel.forward(20).data(), await withB.kernel.forward(20).data(), 'B folded into C', { rtol: 1e-5, atol: 1e-6 });
});

test('bad official state dicts fail with clear messages', () => {
  const layer = () => createS4({ dModel: H, dState: 2 * N2, nSsm: 1, lMax: 8 });
  const edit = (name: string, value: SourceTensor | null) => {
    const source = officialDplr('softplus');
    if (value) source.set(name, value);
    else source.delete(name);
    return source;
  };
  assert.throws(() => loadOfficialS4StateDict(layer(), edit('kernel.P', { shape: [2, 1, N2, 2], data: new Float64Array(4 * N2) })), /only rank 1/);
  assert.throws(() => loadOfficialS4StateDict(layer(), edit('kernel.inv_dt', { shape: [H, N2], data: new Float64Array(H * N2) })), /dt_tie/);
  assert.throws(
    () => loadOfficialS4StateDict(layer(), edit('D', { shape: [2, H], data: new Float64Array(2 * H) })),
    /D has shape \[2, 3\] in the source, \[1, 3\] here/,
  );
  assert.throws(() => loadOfficialS4StateDict(layer(), edit('kernel.B', null)), /missing kernel\.B/);
  const partial = loadOfficialS4StateDict(layer(), edit('kernel.B', null), { strict: false });
  assert.equal(partial.missing, ['kernel.B']);
});

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), for the exact GELU x·Φ(x). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
}

test('the minimal s4d.py S4D loads into an S4Block and reproduces its forward pass', async () => {
  const [h, n2, L] = [2, 3, 10];
  const logDt = [Math.log(0.02), Math.log(0.2)];
  const logAReal = Array.from({ length: h * n2 }, () => Math.log(0.5) + 0.1 * rng.normal());
  const aImag = Array.from({ length: h * n2 }, (_, i) => Math.PI * (i % n2) + 0.1 * rng.normal());
  const C = randomComplex(h * n2);
  const D = [0.4, -0.9];
  const W = Array.from({ length: 2 * h * h }, () => rng.normal() / 2);
  const bias = Array.from({ length: 2 * h }, () => rng.normal() / 2);
  const source = new Map<string, SourceTensor>([
    ['kernel.log_dt', { shape: [h], data: logDt }],
    ['kernel.log_A_real', { shape: [h, n2], data: logAReal }],
    ['kernel.A_imag', { shape: [h, n2], data: aImag }],
    ['kernel.C', { shape: [h, n2, 2], data: flat(C) }],
    ['D', { shape: [h], data: D }],
    ['output_linear.0.weight', { shape: [2 * h, h, 1], data: W }],
    ['output_linear.0.bias', { shape: [2 * h], data: bias }],
  ]);
  const block = createS4Block({ layer: { kind: 's4d', dModel: h, dState: 2 * n2, ...s4dPresets.minimal } }).eval();
  assert.ok(block.layer.kernel instanceof S4DKernel && block.layer.kernel.B === null);
  loadMinimalS4DStateDict(block, source);
  // s4d.py: A = −exp(log_A_real) + i·A_imag, K = 2·Re Σ C (e^{dtA} − 1)/A · e^{dtA·l}, then
  // y = conv + D·u, GELU, Conv1d(H → 2H), GLU over channels.
  const K = Array.from({ length: h }, (_, i) =>
    Array.from({ length: L }, (_, l) => {
      let s = 0;
      for (let n = 0; n < n2; n++) {
        const A: Complex = [-Math.exp(logAReal[i * n2 + n]), aImag[i * n2 + n]];
        const dtA = cscale(A, Math.exp(logDt[i]));
        s += 2 * cmul(cmul(C[i * n2 + n], cdiv(csub(cexp(dtA), [1, 0]), A)), cexp(cscale(dtA, l)))[0];
      }
      return s;
    }),
  );
  assertClose(await block.layer.kernel.forward(L).data(), K.flat(), 'minimal kernel', { rtol: 1e-4, atol: 1e-5 });
  const u = cs.randn([1, h, L], new cs.Random(4));
  const ud = u.storage!.data;
  const expected = new Float64Array(h * L);
  for (let l = 0; l < L; l++) {
    const hidden = Array.from({ length: h }, (_, i) => {
      let y = D[i] * ud[i * L + l];
      for (let j = 0; j <= l; j++) y += K[i][j] * ud[i * L + l - j];
      return 0.5 * y * (1 + erf(y / Math.SQRT2));
    });
    const z = Array.from({ length: 2 * h }, (_, o) => bias[o] + hidden.reduce((s, x, i) => s + W[o * h + i] * x, 0));
    for (let i = 0; i < h; i++) expected[i * L + l] = z[i] / (1 + Math.exp(-z[h + i]));
  }
  assertClose(await block.forward(u).data(), expected, 'minimal S4D forward', { rtol: 1e-4, atol: 1e-5 });
});

test('parameter groups: dt, A, B, P with ssmLr and no weight decay; C only when asked; SGConv kernels with ssmLr and the global decay', () => {
  class Model extends cs.Module {
    encoder = new cs.Linear(1, 4);
    s4 = createS4Block({ layer: { kind: 's4', dModel: 4, dState: 4, lMax: 8 } });
    s4d = createS4Block({ layer: { kind: 's4d', dModel: 4, dState: 4, learnB: false } });
    sgconv = createS4Block({ layer: { kind: 'sgconv', dModel: 4, kernelDim: 4, lMax: 8 } });
  }
  const model = new Model();
  const names = new Map(model.namedParameters().map(([name, t]) => [t, name]));
  const groups = s4ParamGroups(model, { lr: 0.01, weightDecay: 0.05, ssmLr: 0.001 });
  const listed = groups.map((g) => ({ lr: g.lr, weightDecay: g.weightDecay, names: g.params.map((p) => names.get(p)!).sort() }));
  assert.equal(listed[1], {
    lr: 0.001,
    weightDecay: 0,
    names: [
      's4.layer.kernel.A_imag',
      's4.layer.kernel.A_real',
      's4.layer.kernel.B',
      's4.layer.kernel.P',
      's4.layer.kernel.inv_dt',
      's4d.layer.kernel.A_imag',
      's4d.layer.kernel.A_real',
      's4d.layer.kernel.inv_dt',
    ],
  });
  assert.equal(listed[2], { lr: 0.001, weightDecay: 0.05, names: ['sgconv.layer.kernel.kernel_list.0', 'sgconv.layer.kernel.kernel_list.1'] });
  assert.is(listed[0].lr, 0.01);
  assert.is(listed[0].weightDecay, 0.05);
  assert.ok(listed[0].names.includes('s4.layer.kernel.C') && listed[0].names.includes('s4.layer.D') && listed[0].names.includes('encoder.weight'));
  assert.is(
    groups.reduce((n, g) => n + g.params.length, 0),
    model.parameters().length,
    'every parameter exactly once',
  );
  new cs.AdamW(groups); // the optimizer accepts them (it rejects duplicates and non-leaves)
  const withC = s4ParamGroups(model, { lr: 0.01, weightDecay: 0.05, includeC: true });
  assert.ok(withC[1].params.some((p) => names.get(p) === 's4.layer.kernel.C') && withC[1].lr === 0.01, 'C joins on request; ssmLr defaults to lr');
  assert.ok(model.s4 instanceof S4Block);
});

test.run();
