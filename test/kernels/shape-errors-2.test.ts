/**
 * Bad inputs to the matmul, softmax, norm, top-k, complex and fft kernels: `outShape` throws a
 * ShapeError that names the op, says what is wrong and lists the shapes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelSpec, ShapeError, type KernelName, type Shape } from '../../kernels/index.ts';

/** Asserts that outShape throws a ShapeError for `op` whose message matches every pattern. */
function rejects(name: KernelName, shapes: Shape[], attrs: unknown, ...patterns: RegExp[]): void {
  let error: unknown;
  try {
    kernelSpec(name).outShape(shapes, attrs as never);
  } catch (caught) {
    error = caught;
  }
  assert.instance(error, ShapeError, `${name} ${JSON.stringify(shapes)} throws a ShapeError`);
  const { message } = error as ShapeError;
  assert.ok(message.startsWith(`${name}: `), `the message names ${name}: ${message}`);
  for (const pattern of patterns) assert.match(message, pattern);
}

const plain = { transA: false, transB: false };

test('matmul rejects mismatched inner dimensions and says which K each side gives', () => {
  rejects(
    'matmul',
    [
      [3, 4],
      [5, 2],
    ],
    plain,
    /K = 4/,
    /K = 5/,
    /\[3, 4\], \[5, 2\]/,
  );
  rejects(
    'matmul',
    [
      [3, 4],
      [3, 2],
    ],
    { transA: true, transB: true },
    /K = 3/,
    /K = 2/,
    /transA true/,
  );
});

test('matmul rejects batch dimensions that do not broadcast', () => {
  rejects(
    'matmul',
    [
      [2, 3, 4],
      [3, 4, 5],
    ],
    plain,
    /batch dimensions do not broadcast/,
    /\[2, 3, 4\], \[3, 4, 5\]/,
  );
});

test('matmul rejects vectors and asks for a reshape', () => {
  rejects('matmul', [[4], [4, 2]], plain, /rank 1/, /reshape/);
});

test('softmax and logSoftmax reject an axis out of range', () => {
  rejects('softmax', [[2, 3]], { axis: 2 }, /axis 2 is out of range for rank 2/);
  rejects('logSoftmax', [[2, 3]], { axis: -3 }, /axis -3/);
  rejects('softmax', [[]], { axis: 0 }, /rank 0/);
});

test('layerNorm and rmsNorm reject parameters that do not match the last axis', () => {
  rejects('layerNorm', [[2, 5], [5], [4]], { eps: 1e-5 }, /bias must have shape \[5\]/, /got \[4\]/);
  rejects(
    'rmsNorm',
    [
      [2, 5],
      [2, 5],
    ],
    { eps: 1e-5 },
    /weight must have shape \[5\]/,
  );
  rejects('rmsNorm', [[2, 5], [5]], { eps: -1 }, /eps/);
});

test('topkIndices rejects k larger than the last axis or not an integer', () => {
  rejects('topkIndices', [[3, 4]], { k: 5, largest: true }, /k = 5/, /length 4/);
  rejects('topkIndices', [[3, 4]], { k: 1.5, largest: true }, /k = 1.5/);
  rejects('topkIndices', [[]], { k: 1, largest: true }, /at least one axis/);
});

test('complex kernels reject inputs without a trailing (re, im) axis of size 2', () => {
  rejects('complexMul', [[3, 2], [3]], {}, /input 1 has shape \[3\]/, /size 2/);
  rejects('complexExp', [[4, 3]], {}, /size 2/);
  rejects('complexAbs', [[]], {}, /input 0/);
});

test('complex multiply and divide reject complex shapes that do not broadcast', () => {
  rejects(
    'complexDiv',
    [
      [3, 2],
      [4, 2],
    ],
    {},
    /complex shapes do not broadcast/,
    /\[3, 2\], \[4, 2\]/,
  );
});

test('rfft and irfft reject a bad length or spectrum layout', () => {
  rejects('rfft', [[8]], { n: 0 }, /n = 0 must be a positive integer/);
  rejects('rfft', [[]], { n: 4 }, /at least one axis/);
  rejects('irfft', [[5, 3]], { n: 8 }, /\[\.\.\., bins ≥ 1, 2\]/, /got \[5, 3\]/);
  rejects('irfft', [[0, 2]], { n: 8 }, /bins ≥ 1/);
});

test('causalConv rejects kernels whose leading axes do not align with the input', () => {
  rejects(
    'causalConv',
    [
      [2, 3, 16],
      [4, 8],
    ],
    {},
    /size 4/,
    /u's 3/,
  );
  rejects(
    'causalConv',
    [
      [3, 16],
      [2, 3, 8],
    ],
    {},
    /more than u's/,
  );
  rejects('causalConv', [[16], []], {}, /sequence axis/);
});

test.run();
