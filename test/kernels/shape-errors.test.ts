/**
 * Bad inputs to the reduce, movement, indexing and scan kernels: `outShape` throws a ShapeError
 * that names the op and says what is wrong; out-of-range indices are a RangeError of the
 * reference, while the kernels themselves read 0 for them and add nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackend, kernelSpec, runKernel, ShapeError, type KernelName, type Shape } from '../../kernels/index.ts';

/** Asserts that outShape throws a ShapeError for `name` whose message matches every pattern. */
function rejects(name: KernelName, shapes: Shape[], attrs: unknown, ...patterns: RegExp[]): void {
  let error: unknown;
  try {
    kernelSpec(name).outShape(shapes, attrs as never);
  } catch (caught) {
    error = caught;
  }
  assert.instance(error, ShapeError, `${name} ${JSON.stringify(shapes)} ${JSON.stringify(attrs)} throws a ShapeError`);
  const { message } = error as ShapeError;
  assert.ok(message.startsWith(`${name}: `), `the message names ${name}: ${message}`);
  for (const pattern of patterns) assert.match(message, pattern);
}

test('reductions reject axes out of range, unsorted or repeated', () => {
  rejects('sum', [[2, 3]], { axes: [2], keepDims: false }, /axis 2 is out of range for rank 2/, /\[2, 3\]/);
  rejects('mean', [[2, 3]], { axes: [-1], keepDims: false }, /axis -1 is out of range/);
  rejects('max', [[2, 3, 4]], { axes: [2, 0], keepDims: true }, /axes \[2, 0\] must be sorted and distinct/);
  rejects('logsumexp', [[2, 3]], { axes: [1, 1], keepDims: true }, /sorted and distinct/);
  rejects('argmax', [[2, 3]], { axis: 2, keepDims: false }, /axis 2 is out of range for rank 2/);
});

test('reductions without an identity reject an empty axis; var rejects a negative correction', () => {
  rejects('max', [[3, 0]], { axes: [1], keepDims: false }, /cannot reduce an empty axis/);
  rejects('argmin', [[3, 0]], { axis: 1, keepDims: false }, /no identity/);
  rejects('var', [[3, 4]], { axes: [1], keepDims: false, correction: -1 }, /correction -1/);
  rejects('sum', [[2], [2]], { axes: [0], keepDims: false }, /takes one input, got 2/);
});

test('permute rejects a perm that is not a permutation of the axes', () => {
  rejects('permute', [[2, 3, 4]], { perm: [0, 0, 1] }, /perm \[0, 0, 1\] is not a permutation of the 3 axes/);
  rejects('permute', [[2, 3]], { perm: [0] }, /not a permutation/);
});

test('expand rejects fewer axes and dims that are neither equal nor 1', () => {
  rejects('expand', [[2, 3]], { shape: [3] }, /fewer axes/);
  rejects('expand', [[2, 3]], { shape: [2, 4] }, /dimension 3 at axis 1 cannot expand to 4/);
  rejects('expand', [[3]], { shape: [-1, 3] }, /dimension -1 is not a non-negative integer/);
});

test('slice, unslice and pad reject ranges, steps and amounts outside canonical form', () => {
  rejects('slice', [[5]], { starts: [3], ends: [2], steps: [1] }, /range 3:2 at axis 0 is not within 0:5/);
  rejects('slice', [[5]], { starts: [0], ends: [6], steps: [1] }, /range 0:6/);
  rejects('slice', [[5]], { starts: [0], ends: [5], steps: [0] }, /step 0 at axis 0/);
  rejects('slice', [[5, 2]], { starts: [0], ends: [5], steps: [1] }, /starts has 1 entries for an input of rank 2/);
  rejects('unslice', [[4]], { shape: [10], starts: [2], steps: [3] }, /4 elements from 2 with step 3 do not fit in dimension 10/);
  rejects('pad', [[3]], { before: [-1], after: [0], value: 0 }, /before \[-1\] must hold non-negative integers/);
});

test('flip rejects repeated axes', () => {
  rejects('flip', [[2, 3]], { axes: [1, 1] }, /sorted and distinct/);
});

test('concat rejects mismatched ranks and dims off the axis, and no inputs', () => {
  rejects(
    'concat',
    [
      [2, 3],
      [4, 3],
      [2, 4],
    ],
    { axis: 0 },
    /input 2 has dimension 4 at axis 1 where input 0 has 3/,
    /only axis 0 may differ/,
  );
  rejects('concat', [[2, 3], [3]], { axis: 0 }, /input 1 has rank 1, input 0 has rank 2/);
  rejects('concat', [[], []], { axis: 0 }, /axis 0 is out of range for rank 0/);
  rejects('concat', [], { axis: 0 }, /at least one input/);
});

test('indexing kernels reject axes and index shapes that do not fit', () => {
  rejects('indexSelect', [[5, 3], [4]], { axis: 2 }, /axis 2 is out of range for rank 2/);
  rejects('indexAdd', [[4], [5, 3]], { axis: 0, size: 5 }, /must equal the index shape/);
  rejects('indexAdd', [[4, 3], [4]], { axis: 0, size: 5 }, /no room for the index's 2 axes/);
  rejects('gather', [[4, 5], [4]], { axis: 1 }, /the index has rank 1, the tensor rank 2/);
  rejects(
    'gather',
    [
      [4, 5],
      [6, 2],
    ],
    { axis: 1 },
    /dimension 6 at axis 0 exceeds the tensor's 4/,
  );
  rejects(
    'scatterAdd',
    [
      [4, 3],
      [4, 2],
    ],
    { axis: 0, shape: [5, 3] },
    /one shape/,
  );
  rejects('oneHot', [[3]], { depth: -2 }, /depth \[-2\]/);
  rejects('cumsum', [[]], { axis: 0 }, /cannot scan a scalar/);
});

test('indexing references throw a RangeError naming the op for an out-of-range index', () => {
  const x = new Float32Array([1, 2, 3, 4, 5, 6]);
  assert.throws(
    () => kernelSpec('indexSelect').reference([x, new Float32Array([1, 3])], [[3, 2], [2]], { axis: 0 }, [2, 2]),
    /indexSelect: index 3 is out of range for a dimension of size 3/,
  );
  assert.throws(() => kernelSpec('gather').reference([x, new Float32Array([-1])], [[6], [1]], { axis: 0 }, [1]), /gather: index -1/);
  assert.throws(() => kernelSpec('indexAdd').reference([new Float32Array([7]), x.subarray(0, 1)], [[1], [1]], { axis: 0, size: 2 }, [2]), RangeError);
});

test('indexSelect reads 0 and indexAdd adds nothing for an out-of-range index on the cpu backend', async () => {
  const backend = await createBackend({ name: 'cpu', threads: 1, fastPaths: false });
  try {
    const x = new Float32Array([1, 2, 3, 4, 5, 6]);
    const selected = runKernel(backend, 'indexSelect', [x, new Float32Array([2, 3, -1])], [[3, 2], [3]], { axis: 0 }, [3, 2], { sync: true });
    assert.equal(Array.from(selected as Float32Array), [5, 6, 0, 0, 0, 0]);
    for (const fastPaths of [false, true]) {
      const added = runKernel(backend, 'indexAdd', [new Float32Array([1, 5]), new Float32Array([10, 20])], [[2], [2]], { axis: 0, size: 2 }, [2], {
        sync: true,
        fastPaths,
      });
      assert.equal(Array.from(added as Float32Array), [0, 10], `fast paths ${fastPaths}`);
    }
  } finally {
    backend.dispose();
  }
});

test.run();
