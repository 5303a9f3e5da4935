import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MatmulDims, WasmKernels } from '../../../kernels/wasm/runtime.ts';
import { kernels, matmulReference, random } from './helpers.ts';

let wasm: WasmKernels;
test.before(async () => {
  wasm = await kernels(2);
});
test.after(async () => {
  await wasm.dispose();
});

const TOLERANCE = 1e-5;

/** Runs the case through the sync and the async path and checks both against the reference. */
async function check(d: MatmulDims, seed: number): Promise<void> {
  const aLen = d.batch === 0 ? 0 : (d.batch - 1) * (d.aBatchStride ?? d.m * d.k) + d.m * d.k;
  const bLen = d.batch === 0 ? 0 : (d.batch - 1) * (d.bBatchStride ?? d.k * d.n) + d.k * d.n;
  const a = random(aLen, seed);
  const b = random(bLen, seed + 1);
  const expected = matmulReference(a, b, d);
  const sync = new Float32Array(d.batch * d.m * d.n).fill(NaN);
  const threaded = new Float32Array(d.batch * d.m * d.n).fill(NaN);
  wasm.matmulSync(a, b, sync, d);
  await wasm.matmul(a, b, threaded, d);
  for (const [path, out] of [
    ['sync', sync],
    ['async', threaded],
  ] as const) {
    for (let i = 0; i < expected.length; i++) {
      // float32 accumulation: error grows with the dot length, relative to sum |a||b| <= k.
      if (!(Math.abs(out[i] - expected[i]) <= TOLERANCE * Math.max(1, d.k))) {
        assert.unreachable(`${path} ${JSON.stringify(d)}: out[${i}] = ${out[i]}, expected ${expected[i]}`);
      }
    }
  }
}

test('matmul of 1x1 matrices multiplies the two numbers', async () => {
  await check({ batch: 1, m: 1, k: 1, n: 1 }, 1);
});

test('matmul handles odd and prime sizes that leave partial register tiles', async () => {
  for (const [m, k, n] of [
    [3, 5, 7],
    [7, 7, 7],
    [5, 1, 9],
    [13, 97, 11],
    [97, 13, 33],
    [4, 8, 8],
    [9, 17, 15],
  ]) {
    await check({ batch: 1, m, k, n }, m * 100 + n);
  }
});

test('matmul handles sizes above 1000 in each dimension', async () => {
  await check({ batch: 1, m: 1031, k: 3, n: 5 }, 2);
  await check({ batch: 1, m: 2, k: 1009, n: 9 }, 3);
  await check({ batch: 1, m: 3, k: 7, n: 1100 }, 4);
});

test('matmul crosses the depth, row and column cache blocks', async () => {
  await check({ batch: 1, m: 150, k: 600, n: 70 }, 5);
  await check({ batch: 1, m: 9, k: 20, n: 2100 }, 6);
});

test('matmul handles thin products with partial panels on one side only', async () => {
  await check({ batch: 1, m: 17, k: 300, n: 1003 }, 24);
  await check({ batch: 1, m: 1001, k: 300, n: 61 }, 25);
  await check({ batch: 2, m: 5, k: 33, n: 64, bBatchStride: 0 }, 26);
});

test('matmul applies transA, transB and both', async () => {
  for (const [transA, transB] of [
    [true, false],
    [false, true],
    [true, true],
  ]) {
    await check({ batch: 1, m: 37, k: 29, n: 45, transA, transB }, 7);
    await check({ batch: 1, m: 8, k: 64, n: 16, transA, transB }, 8);
    await check({ batch: 1, m: 3, k: 5, n: 6, transA, transB }, 9);
  }
});

test('matmul runs batches with their own matrices', async () => {
  await check({ batch: 5, m: 19, k: 23, n: 17 }, 10);
  await check({ batch: 3, m: 64, k: 32, n: 48, transB: true }, 11);
});

test('matmul broadcasts one matrix over the batch when its batch stride is 0', async () => {
  await check({ batch: 4, m: 21, k: 10, n: 12, aBatchStride: 0 }, 12);
  await check({ batch: 4, m: 21, k: 10, n: 12, bBatchStride: 0 }, 13);
  await check({ batch: 6, m: 40, k: 16, n: 40, bBatchStride: 0, transB: true }, 14);
});

test('matmul honours batch strides larger than one matrix', async () => {
  await check({ batch: 3, m: 5, k: 6, n: 7, aBatchStride: 40, bBatchStride: 50 }, 15);
});

// The next cases are above PARALLEL_MIN_FLOPS (2^24), so the async path uses both threads.
test('matmul splits a large batch of small matrices over threads', async () => {
  await check({ batch: 700, m: 12, k: 40, n: 60 }, 16);
});

test('matmul splits rows across batch boundaries over threads', async () => {
  await check({ batch: 3, m: 101, k: 200, n: 150 }, 27);
  await check({ batch: 3, m: 101, k: 200, n: 150, aBatchStride: 0, transB: true }, 28);
});

test('matmul splits columns over threads when a product has a single row', async () => {
  await check({ batch: 1, m: 1, k: 2048, n: 4100 }, 17);
});

test('matmul with k = 0 fills the output with zeros', async () => {
  await check({ batch: 2, m: 3, k: 0, n: 4 }, 18);
});

test('matmul with an empty dimension leaves nothing to do', async () => {
  await check({ batch: 0, m: 3, k: 4, n: 5 }, 19);
  await check({ batch: 2, m: 0, k: 4, n: 5 }, 20);
  await check({ batch: 2, m: 3, k: 4, n: 0 }, 21);
});

test('matmul writes only the first batch * m * n floats of a larger output', async () => {
  const a = random(6, 22);
  const b = random(6, 23);
  const out = new Float32Array(10).fill(7);
  wasm.matmulSync(a, b, out, { batch: 1, m: 2, k: 3, n: 2 });
  assert.equal(Array.from(out.subarray(4)), [7, 7, 7, 7, 7, 7]);
});

test('matmul rejects arrays shorter than the shapes need', () => {
  assert.throws(
    () => wasm.matmulSync(new Float32Array(5), new Float32Array(6), new Float32Array(4), { batch: 1, m: 2, k: 3, n: 2 }),
    /a has 5 floats, needs 6/,
  );
  assert.throws(() => wasm.matmulSync(new Float32Array(6), new Float32Array(6), new Float32Array(3), { batch: 1, m: 2, k: 3, n: 2 }), /out has 3 floats/);
  assert.throws(() => wasm.matmulSync(new Float32Array(6), new Float32Array(6), new Float32Array(4), { batch: 1, m: 2.5, k: 3, n: 2 }), /m must be an integer/);
});

test.run();
