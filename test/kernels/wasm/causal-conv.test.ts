import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CausalConvDims, WasmKernels } from '../../../kernels/wasm/runtime.ts';
import { causalConvReference, kernels, random, relativeError } from './helpers.ts';

let wasm: WasmKernels;
test.before(async () => {
  wasm = await kernels(2);
});
test.after(async () => {
  await wasm.dispose();
});

const TOLERANCE = 2e-6;

/** Sync and async causal convolution against the direct O(L^2) loop. */
async function check(d: CausalConvDims, seed: number): Promise<void> {
  const u = random(d.rows * d.length, seed);
  const k = random(d.kernelRows * d.kernelLength, seed + 1);
  const expected = causalConvReference(u, k, d);
  const sync = new Float32Array(d.rows * d.length).fill(NaN);
  const threaded = new Float32Array(d.rows * d.length).fill(NaN);
  wasm.causalConvSync(u, k, sync, d);
  await wasm.causalConv(u, k, threaded, d);
  assert.ok(relativeError(sync, expected) < TOLERANCE, `sync ${JSON.stringify(d)}: ${relativeError(sync, expected)}`);
  assert.ok(relativeError(threaded, expected) < TOLERANCE, `async ${JSON.stringify(d)}: ${relativeError(threaded, expected)}`);
}

test('causal conv of length 1 scales each row by its first tap', async () => {
  await check({ rows: 3, length: 1, kernelRows: 3, kernelLength: 1 }, 1);
});

test('causal conv matches the direct loop for odd and prime lengths', async () => {
  for (const length of [2, 3, 7, 31, 97, 100]) {
    await check({ rows: 5, length, kernelRows: 5, kernelLength: length }, length);
  }
});

test('causal conv matches the direct loop above 1000 samples', async () => {
  await check({ rows: 6, length: 1009, kernelRows: 6, kernelLength: 1009 }, 2);
  await check({ rows: 4, length: 2048, kernelRows: 4, kernelLength: 2048 }, 3);
});

test('causal conv reuses kernel rows over the batch in the S4 layout [B, H, L]', async () => {
  await check({ rows: 3 * 8, length: 64, kernelRows: 8, kernelLength: 64 }, 4);
});

test('causal conv maps rows to kernel rows when H is not a multiple of four', async () => {
  for (const kernelRows of [1, 2, 3, 5, 6, 7]) {
    await check({ rows: 4 * kernelRows + 3, length: 40, kernelRows, kernelLength: 40 }, kernelRows);
  }
});

test('causal conv with a short kernel only sums the taps it has', async () => {
  await check({ rows: 9, length: 500, kernelRows: 3, kernelLength: 4 }, 5);
});

test('causal conv ignores taps past the output length', async () => {
  await check({ rows: 4, length: 50, kernelRows: 2, kernelLength: 300 }, 6);
});

test('causal conv with an empty kernel gives zeros', async () => {
  await check({ rows: 3, length: 10, kernelRows: 1, kernelLength: 0 }, 7);
});

test('causal conv of zero rows or zero length does nothing', async () => {
  await check({ rows: 0, length: 10, kernelRows: 2, kernelLength: 10 }, 8);
  await check({ rows: 4, length: 0, kernelRows: 2, kernelLength: 3 }, 9);
});

test('causal conv over many rows splits them across threads and agrees with the sync path', async () => {
  const d = { rows: 2 * 64, length: 1024, kernelRows: 64, kernelLength: 1024 };
  const u = random(d.rows * d.length, 10);
  const k = random(d.kernelRows * d.kernelLength, 11);
  const sync = new Float32Array(d.rows * d.length);
  const threaded = new Float32Array(d.rows * d.length);
  wasm.causalConvSync(u, k, sync, d);
  await wasm.causalConv(u, k, threaded, d);
  assert.equal(threaded, sync);
  const expected = causalConvReference(u.subarray(0, 8 * d.length), k, { ...d, rows: 8 });
  assert.ok(relativeError(sync.subarray(0, 8 * d.length), expected) < TOLERANCE);
});

test('causal conv rejects a kernel shorter than kernelRows * kernelLength', () => {
  assert.throws(
    () => wasm.causalConvSync(new Float32Array(8), new Float32Array(3), new Float32Array(8), { rows: 2, length: 4, kernelRows: 2, kernelLength: 2 }),
    /k has 3 floats, needs 4/,
  );
  assert.throws(
    () => wasm.causalConvSync(new Float32Array(8), new Float32Array(4), new Float32Array(8), { rows: 2, length: 4, kernelRows: 0, kernelLength: 2 }),
    /kernelRows must be an integer >= 1/,
  );
});

test.run();
