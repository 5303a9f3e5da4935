/**
 * The fast paths of the memory-bound kernels on arrays large enough to take their WebAssembly
 * branch (elementwise maps, broadcasts, transposes, reversed rows, sums), odd sizes and
 * partial vectors included, against the kernels' references: threaded and asynchronous, and
 * synchronous on one thread. The registry's own cases (test/kernels/kernels.test.ts) are
 * small and exercise the JavaScript branch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelSpec, numel, runKernel, type KernelName, type Shape } from '../../kernels/index.ts';
import { WASM_MIN_ELEMENTS } from '../../kernels/elementwise-fast.ts';
import { drawInputs } from '../../src/diagnostics/case-inputs.ts';
import { assertClose } from '../helpers/close.ts';
import { disposeTestBackends, testBackends } from '../helpers/backends.ts';

const backends = (await testBackends()).filter((b) => b.label === 'webasm' || b.label === 'webasm with threads');

async function check(name: KernelName, shapes: Shape[], attrs: unknown, inputs?: Float32Array[]): Promise<void> {
  const spec = kernelSpec(name);
  const xs = inputs ?? drawInputs(7, shapes);
  const outShape = spec.outShape(shapes, attrs as never);
  // The outputs are float32: a reference value beyond float32's range is Infinity there.
  const expected = Float32Array.from(spec.reference(xs, shapes, attrs as never, outShape));
  for (const { label, backend, sync } of backends) {
    let path = '';
    const actual = await runKernel(backend, name, xs, shapes, attrs as never, outShape, { sync, report: (p) => (path = p) });
    assert.is(path, 'fast path', `${name} on ${label} is served by its fast path`);
    assertClose(actual, expected, `${name} [${shapes.map((s) => `[${s}]`).join(' ')}] ${JSON.stringify(attrs)} on ${label}`);
  }
}

test('the large cases are above the WebAssembly threshold', () => {
  assert.ok(numel([3, 4099]) >= WASM_MIN_ELEMENTS);
});

const none = {};
for (const name of ['neg', 'exp', 'sigmoid', 'tanh', 'silu', 'relu', 'abs', 'square'] as const) {
  test(`${name} matches its reference on a large odd-sized array`, () => check(name, [[3, 4099]], none));
}
for (const name of ['sqrt', 'rsqrt', 'reciprocal'] as const) {
  test(`${name} matches its reference on a large odd-sized array of positive values`, () => {
    const x = drawInputs(3, [[3, 4099]])[0].map((v) => 0.1 + Math.abs(v));
    return check(name, [[3, 4099]], none, [x]);
  });
}
for (const approximate of ['none', 'tanh'] as const) {
  test(`gelu and geluGrad (${approximate}) match their references on a large array`, async () => {
    await check('gelu', [[5, 3001]], { approximate });
    await check('geluGrad', [[5, 3001]], { approximate });
  });
}

test('exp, sigmoid and tanh handle overflow, underflow, zeros and NaN like their references', async () => {
  const specials = [0, -0, 1e-8, -1e-8, 88.7, 88.73, 100, -86, -87.5, -100, -1000, 1000, Infinity, -Infinity, NaN];
  const x = new Float32Array(WASM_MIN_ELEMENTS + 5).map((_, i) => specials[i % specials.length]);
  for (const name of ['exp', 'sigmoid', 'tanh', 'silu'] as const) await check(name, [[x.length]], none, [x]);
});

const broadcasts: Shape[][] = [
  [
    [16, 33, 130],
    [16, 33, 130],
  ], // same shape
  [[7, 1031, 3], [3]], // a short row broadcast
  [
    [9, 257, 8],
    [257, 1],
  ], // a column broadcast
  [
    [16, 1, 9, 515],
    [1, 9, 1],
  ], // the S4 skip term D·u
  [[], [3, 4099]], // a scalar operand
  [
    [4099, 1],
    [1, 5],
  ], // an outer product
  [
    [2, 1, 4099],
    [2, 3, 1],
  ],
];
for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const) {
  test(`${name} matches its reference over large broadcasts`, async () => {
    for (const shapes of broadcasts) {
      const inputs = drawInputs(11, shapes);
      if (name === 'div') inputs[1] = inputs[1].map((v) => (Math.abs(v) < 0.1 ? 0.5 : v));
      await check(name, shapes, none, inputs);
    }
  });
}

test('permute matches its reference on large transposes with partial tiles', async () => {
  await check('permute', [[16, 37, 1030]], { perm: [0, 2, 1] });
  await check('permute', [[3, 1030, 37]], { perm: [0, 2, 1] });
  await check('permute', [[5, 6, 7, 83]], { perm: [3, 1, 0, 2] });
  await check('permute', [[130, 129]], { perm: [1, 0] });
});

test('flip matches its reference along the last and other axes of large arrays', async () => {
  await check('flip', [[16, 3, 1027]], { axes: [2] });
  await check('flip', [[9, 1030]], { axes: [0, 1] });
  await check('flip', [[40, 7, 33]], { axes: [0] });
});

test('slice, unslice, pad, expand and concat match their references on large arrays', async () => {
  await check('slice', [[16, 1024, 20]], { starts: [0, 0, 10], ends: [16, 1024, 20], steps: [1, 1, 1] });
  await check('slice', [[8, 1030]], { starts: [1, 3], ends: [8, 1030], steps: [2, 3] });
  await check('unslice', [[16, 512, 10]], { shape: [16, 512, 20], starts: [0, 0, 10], steps: [1, 1, 1] });
  await check('unslice', [[4, 300]], { shape: [9, 1000], starts: [1, 2], steps: [2, 3] });
  await check('pad', [[7, 2000]], { before: [1, 3], after: [2, 0], value: -1.5 });
  await check('pad', [[300, 51]], { before: [0, 3], after: [0, 6], value: 2.5 });
  await check('unslice', [[4, 700, 13]], { shape: [4, 700, 30], starts: [0, 0, 17], steps: [1, 1, 1] });
  await check('expand', [[1, 9, 1]], { shape: [16, 9, 1025] });
  await check(
    'concat',
    [
      [3, 2000],
      [3, 1001],
      [3, 7],
    ],
    { axis: 1 },
  );
});

test('sum and mean match their references over leading, trailing and mixed axes of large arrays', async () => {
  const cases: [Shape, number[]][] = [
    [
      [16, 1024, 9],
      [0, 1],
    ],
    [
      [16, 1, 9, 1027],
      [0, 3],
    ],
    [[16, 9, 1027], [0]],
    [[9, 4099], [1]],
    [
      [3, 4099],
      [0, 1],
    ],
    [[5, 7, 300], [1]],
  ];
  for (const [shape, axes] of cases) {
    await check('sum', [shape], { axes, keepDims: false });
    await check('mean', [shape], { axes, keepDims: true });
  }
});

test.after(disposeTestBackends);
test.run();
