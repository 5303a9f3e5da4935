/**
 * The fast paths of the row-wise kernels (softmax, log-softmax, layer and RMS norm) on arrays
 * that take their WebAssembly branch in several chunks (odd row lengths, rows longer than a
 * chunk, causal masks, huge magnitudes and offsets), threaded and asynchronous, and
 * synchronous on one thread, against the references; and softmax's vector exponential
 * against Math.exp over a million arguments.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelSpec, runKernel, type KernelName, type Shape } from '../../kernels/index.ts';
import { SOFTMAX_WASM_MIN_ELEMENTS } from '../../kernels/softmax.ts';
import { NORM_WASM_MIN_ELEMENTS } from '../../kernels/norm.ts';
import { CHUNK } from '../../kernels/wasm/elementwise-jobs.ts';
import { drawInputs } from '../../src/diagnostics/case-inputs.ts';
import { assertClose } from '../helpers/close.ts';
import { disposeTestBackends, testBackends } from '../helpers/backends.ts';

const backends = (await testBackends()).filter((b) => b.label === 'webasm' || b.label === 'webasm with threads');

async function serve(name: KernelName, inputs: Float32Array[], shapes: Shape[], attrs: unknown, label: string): Promise<Float32Array> {
  const { backend, sync } = backends.find((b) => b.label === label)!;
  let path = '';
  const out = await runKernel(backend, name, inputs, shapes, attrs as never, shapes[0], { sync, report: (p) => (path = p) });
  assert.is(path, 'fast path', `${name} on ${label} is served by its fast path`);
  return out;
}

const run = (name: KernelName, shape: Shape, axis: number, x: Float32Array, label: string) => serve(name, [x], [shape], { axis }, label);

async function check(shape: Shape, axis: number, x = drawInputs(5, [shape])[0]): Promise<void> {
  for (const name of ['softmax', 'logSoftmax'] as const) {
    const expected = kernelSpec(name).reference([x], [shape], { axis } as never, shape);
    for (const { label } of backends) {
      const actual = await run(name, shape, axis, x, label);
      assertClose(actual, expected, `${name} [${shape}] axis ${axis} on ${label}`);
    }
  }
}

test('the cases below are above the WebAssembly threshold and span several chunks', () => {
  assert.ok(SOFTMAX_WASM_MIN_ELEMENTS <= 130 && NORM_WASM_MIN_ELEMENTS <= 369);
  assert.ok(700 * 67 > 2 * CHUNK && 20011 > CHUNK);
});

test('softmax and logSoftmax match their references over many odd rows and over rows longer than a chunk', async () => {
  await check([700, 67], -1);
  await check([2, 20011], 1);
  await check([3, 4, 1024], 2);
  await check([5000, 1], -1);
  // a strided axis keeps the JavaScript loop
  await check([300, 40], 0);
});

test('softmax and logSoftmax give 0 and −∞ under a causal mask, NaN on an all-masked row', async () => {
  const [rows, n] = [300, 301];
  const x = drawInputs(6, [[rows, n]])[0];
  // row r sees columns ≤ r − 1: row 0 is masked throughout
  for (let r = 0; r < rows; r++) for (let c = r; c < n; c++) x[r * n + c] = -Infinity;
  await check([rows, n], -1, x);
  const y = await run('softmax', [rows, n], -1, x, 'webasm');
  assert.ok(Number.isNaN(y[0]) && Number.isNaN(y[n - 1]), 'the all-masked row is NaN');
  assert.is(y[n + 1], 0, 'a masked entry is exactly 0');
  assert.is(y[n], 1, 'a row with one entry left is exactly 1');
});

test('softmax and logSoftmax keep their accuracy at magnitudes near float32 limits', async () => {
  const choices = [-1e38, -3e37, -1e30, -1, 0, 1e20, 1e30, 3e37, 1e38];
  await check([97, 131], -1, drawInputs(8, [[97, 131]], [{ choices }])[0]);
  await check(
    [64, 1025],
    -1,
    drawInputs(9, [[64, 1025]])[0].map((v, i) => v * (1 + (i % 7)) * 1e3),
  );
});

test("softmax's vector exponential is within 2 float32 ulps of Math.exp over [−87.3, 0], 0 below", async () => {
  // Rows [0, t_1, ..., t_1023]: the maximum is 0, so y_i = e^t_i / (1 + Σ e^t), whose sum and
  // scaling add at most about 1e-7 relative error to that of e^t.
  const [rows, n] = [1024, 1024];
  const x = new Float32Array(rows * n);
  let seed = 1;
  const uniform = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const specials = [-0, -1e-8, -0.34657359, -0.34657362, -0.6931472, -1, -10.5, -87.33, -87.3365, -87.34, -88, -100, -1e30, -Infinity];
  for (let r = 0; r < rows; r++) {
    for (let c = 1; c < n; c++) x[r * n + c] = r === 0 && c <= specials.length ? specials[c - 1] : -87.3 * uniform();
  }
  for (const { label } of backends) {
    const y = await run('softmax', [rows, n], -1, x, label);
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < n; c++) sum += Math.exp(x[r * n + c]);
      for (let c = 1; c < n; c++) {
        const t = x[r * n + c];
        const expected = Math.exp(t) / sum;
        const got = y[r * n + c];
        if (t < -87.3366) assert.ok(got >= 0 && got <= 2 ** -126, `e^${t} on ${label}: ${got}, expected 0 or below 2^-126`);
        // (outputs below 2^-126 are subnormal, with fewer bits: compared absolutely by the other tests)
        else if (expected >= 2 ** -126) worst = Math.max(worst, Math.abs(got - expected) / expected);
      }
    }
    // 2 ulps of e^t (2^-23 relative at worst) plus the scaling's rounding
    assert.ok(worst < 2.5e-7, `worst relative error ${worst} on ${label}`);
  }
});

/** layerNorm and rmsNorm of x [rows, n] (weight and bias drawn, x given or drawn) against their references. */
async function checkNorms(shape: Shape, eps: number, x = drawInputs(12, [shape])[0]): Promise<void> {
  const n = shape[shape.length - 1];
  const [weight, bias] = drawInputs(13, [[n], [n]]);
  for (const [name, inputs] of [
    ['layerNorm', [x, weight, bias]],
    ['rmsNorm', [x, weight]],
  ] as const) {
    const shapes = inputs.map((_, i) => (i === 0 ? shape : [n]));
    const expected = kernelSpec(name).reference(inputs, shapes, { eps } as never, shape);
    for (const { label } of backends) {
      const actual = await serve(name, [...inputs], shapes, { eps }, label);
      assertClose(actual, expected, `${name} [${shape}] eps ${eps} on ${label}`);
    }
  }
}

test('layerNorm and rmsNorm match their references over many odd rows and over rows longer than a chunk', async () => {
  await checkNorms([700, 67], 1e-5);
  await checkNorms([2, 20011], 1e-5);
  await checkNorms([4, 3, 1024], 1e-6);
  await checkNorms([5000, 1], 1e-5);
});

test('layerNorm keeps its digits at an offset of 8000 σ, rmsNorm on values whose squares overflow float32', async () => {
  const offset = drawInputs(14, [[20, 33]], [{ choices: [1e4, 1e4 + 1, 1e4 + 3] }])[0];
  await checkNorms([20, 33], 0, offset);
  const shifted = drawInputs(15, [[50, 129]])[0].map((v) => 3e4 + v);
  await checkNorms([50, 129], 1e-5, shifted);
  const huge = drawInputs(16, [[9, 41]], [{ choices: [-3e19, 1e19, 2e19, 0.5] }])[0];
  await checkNorms([9, 41], 1e-5, huge);
});

test('a constant row normalises to the bias (layer norm) with eps, and to NaN without it as in the reference', async () => {
  await checkNorms([3, 300], 1e-3, new Float32Array(900).fill(2));
  const [w, b] = drawInputs(17, [[300], [300]]);
  const y = await serve('layerNorm', [new Float32Array(900).fill(2), w, b], [[3, 300], [300], [300]], { eps: 0 }, 'webasm');
  assert.ok(Number.isNaN(y[0]) && Number.isNaN(y[899]));
});

test.after(disposeTestBackends);
test.run();
