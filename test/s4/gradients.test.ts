/**
 * Finite-difference gradient checks (float64 reference path) through the S4 family's layer
 * parameters, on tiny sizes: the S4D kernel (zoh, bilinear), the S4 DPLR kernel, SGConv's
 * sub-kernels, the causal and two-sided FFT convolution, and a whole S4Block.
 */
import { test } from 'uvu';
import * as cs from '../../src/index.ts';
import { createS4Block } from '../../models/s4/block.ts';
import { fftConvolve } from '../../models/s4/conv.ts';
import { S4Kernel, s4ConvolutionKernel } from '../../models/s4/s4.ts';
import { S4DKernel, s4dConvolutionKernel } from '../../models/s4/s4d.ts';
import { SGConvKernel } from '../../models/s4/sgconv.ts';
import { gradCheck, type GradInput } from '../helpers/gradcheck.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 1 });
});
test.after(() => cs.shutdown());

const asInput = (t: cs.Tensor): GradInput => ({ shape: t.shape, data: t.storage!.data.slice(), differentiable: true });

for (const discretization of ['zoh', 'bilinear'] as const) {
  test(`gradients of the S4D kernel with respect to inv_dt, A_real, A_imag, B and C (${discretization})`, async () => {
    const k = new S4DKernel({
      dModel: 2,
      dState: 4,
      nSsm: 1,
      init: 'diag-inv',
      bInit: 'random',
      dtMin: 0.05,
      dtMax: 0.5,
      discretization,
      rng: new cs.Random(1),
    });
    const settings = k.settings;
    await gradCheck(
      `s4d ${discretization}`,
      (inv_dt, A_real, A_imag, B, C) => s4dConvolutionKernel({ inv_dt, A_real, A_imag, B, C }, settings, 6),
      [k.inv_dt, k.A_real, k.A_imag, k.B!, k.C].map(asInput),
    );
  });
}

test('gradients of the S4 (DPLR) kernel with respect to inv_dt, A_real, A_imag, B, P and C̃', async () => {
  const k = new S4Kernel({ dModel: 2, dState: 4, nSsm: 1, lMax: 8, dtMin: 0.05, dtMax: 0.5, rng: new cs.Random(2) });
  const transforms = k.transforms;
  await gradCheck(
    's4 dplr',
    (inv_dt, A_real, A_imag, B, P, C) => s4ConvolutionKernel({ inv_dt, A_real, A_imag, B, P, C }, transforms, 5, 8),
    [k.inv_dt, k.A_real, k.A_imag, k.B, k.P, k.C].map(asInput),
    { rtol: 5e-3, atol: 5e-3 },
  );
});

test('gradients of the SGConv kernel with respect to its sub-kernels', async () => {
  const k = new SGConvKernel({ dModel: 2, kernelDim: 3, lMax: 10, rng: new cs.Random(3) });
  await gradCheck(
    'sgconv',
    (...subKernels) => {
      k.kernel_list = subKernels;
      return k.forward(11);
    },
    k.kernel_list.map(asInput),
  );
});

for (const bidirectional of [false, true]) {
  test(`gradients of the ${bidirectional ? 'two-sided' : 'causal'} FFT convolution with respect to u, K and D`, async () => {
    const rng = new cs.Random(4);
    const [u, k, D] = [cs.randn([2, 2, 5], rng), cs.randn([bidirectional ? 4 : 2, 2, 4], rng), cs.randn([2, 2], rng)];
    await gradCheck(`fftConvolve ${bidirectional}`, (x, kernel, d) => fftConvolve(x, kernel, d, { bidirectional }), [u, k, D].map(asInput));
  });
}

test('gradients of a whole S4Block (S4D) with respect to its input', async () => {
  const block = createS4Block({ layer: { kind: 's4d', dModel: 2, dState: 4, channels: 2 }, rng: new cs.Random(5) }).eval();
  await gradCheck('block', (x) => block.forward(x), [asInput(cs.randn([1, 2, 5], new cs.Random(6)))]);
});

test.run();
