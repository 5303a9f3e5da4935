import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WASM_PATH, loadWasmKernels } from '../../../kernels/wasm/runtime.ts';
import type { WasmKernels } from '../../../kernels/wasm/runtime.ts';
import { WorkerPool } from '../../../kernels/wasm/pool.ts';
import { Arena } from '../../../kernels/wasm/arena.ts';
import { kernels, matmulReference, random } from './helpers.ts';

test('loadWasmKernels says the module is missing and how to build it', async () => {
  const loaded = await loadWasmKernels({ wasmPath: '/nonexistent/kernels.wasm', threads: 1 });
  assert.ok('unavailable' in loaded);
  assert.match((loaded as { unavailable: string }).unavailable, /missing: run "npm run build:wasm"/);
});

test('loadWasmKernels says why a file that is not WebAssembly did not load', async () => {
  const loaded = await loadWasmKernels({ wasmPath: fileURLToPath(import.meta.url), threads: 1 });
  assert.ok('unavailable' in loaded);
  assert.match((loaded as { unavailable: string }).unavailable, /did not load/);
});

test('relaxedSimd false loads the plain SIMD module, and the default uses relaxed SIMD where it validates', async () => {
  const plain = await loadWasmKernels({ threads: 1, relaxedSimd: false });
  assert.ok(!('unavailable' in plain));
  assert.is((plain as WasmKernels).variant, 'simd');
  await (plain as WasmKernels).dispose();
  const auto = await kernels(1);
  const relaxedProbe = auto.variant === 'relaxed-simd';
  assert.is(relaxedProbe, process.execArgv.includes('--experimental-wasm-relaxed-simd') || Number(process.versions.node.split('.')[0]) >= 22);
  await auto.dispose();
});

test('one thread runs async calls on the calling thread alone', async () => {
  const wasm = await kernels(1);
  assert.is(wasm.threads, 1);
  const a = random(12, 1);
  const b = random(12, 2);
  const out = new Float32Array(9);
  await wasm.matmul(a, b, out, { batch: 1, m: 3, k: 4, n: 3 });
  const expected = matmulReference(a, b, { batch: 1, m: 3, k: 4, n: 3 });
  out.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5));
  await wasm.dispose();
});

test('async calls issued together run one after another with correct results', async () => {
  const wasm = await kernels(2);
  const d = { batch: 1, m: 64, k: 96, n: 80 };
  const inputs = [0, 1, 2, 3].map((i) => [random(64 * 96, 10 + i), random(96 * 80, 20 + i)]);
  const outs = inputs.map(() => new Float32Array(64 * 80));
  await Promise.all(inputs.map(([a, b], i) => wasm.matmul(a, b, outs[i], d)));
  inputs.forEach(([a, b], i) => {
    const expected = matmulReference(a, b, d);
    outs[i].forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-4, `call ${i} out[${j}]`));
  });
  await wasm.dispose();
});

test('a sync call made while an async call is in flight does not disturb it', async () => {
  const wasm = await kernels(2);
  const rows = 128;
  const n = 4096;
  const x = random(rows * n, 3);
  const alone = new Float32Array(rows * (n / 2 + 1) * 2);
  wasm.rfftSync(x, alone, { rows, n });
  const threaded = new Float32Array(alone.length);
  const pending = wasm.rfft(x, threaded, { rows, n });
  const small = new Float32Array(alone.length);
  wasm.rfftSync(x, small, { rows, n });
  await pending;
  assert.equal(threaded, alone);
  assert.equal(small, alone);
  await wasm.dispose();
});

test('calls after dispose fail with a clear error', async () => {
  const wasm = await kernels(2);
  await wasm.dispose();
  assert.throws(() => wasm.rfftSync(new Float32Array(4), new Float32Array(6), { rows: 1, n: 4 }), /after dispose/);
  try {
    await wasm.rfft(new Float32Array(4), new Float32Array(6), { rows: 1, n: 4 });
    assert.unreachable('should have rejected');
  } catch (error) {
    assert.match((error as Error).message, /after dispose/);
  }
});

test('an error inside a worker rejects the call instead of hanging, and the pool keeps working', async () => {
  const module = await WebAssembly.compile(await readFile(DEFAULT_WASM_PATH));
  const arena = new Arena();
  const pool = await WorkerPool.start(module, arena.memory, 1);
  try {
    await pool.run([[{ fn: 'noSuchKernel', args: [] }]]);
    assert.unreachable('should have rejected');
  } catch (error) {
    assert.match((error as Error).message, /worker call failed/);
  }
  try {
    // Reads far past the end of the memory: a wasm trap in the worker.
    await pool.run([[{ fn: 'rfftRows', args: [0x7ffffff0, 0, 0, 4, 0, 1, 0] }]]);
    assert.unreachable('should have rejected');
  } catch (error) {
    assert.match((error as Error).message, /out of bounds/);
  }
  await pool.run([[{ fn: 'matmulWorkBytes', args: [] }]]);
  await pool.dispose();
});

test('idle workers do not keep the process alive', async () => {
  const runtime = fileURLToPath(new URL('../../../kernels/wasm/runtime.ts', import.meta.url));
  const script = `
    const { loadWasmKernels } = await import(${JSON.stringify(runtime)});
    const wasm = await loadWasmKernels({ threads: 2 });
    const out = new Float32Array(1024 * 1024);
    await wasm.matmul(new Float32Array(1024 * 64).fill(1), new Float32Array(64 * 1024).fill(1), out, { batch: 1, m: 1024, k: 64, n: 1024 });
    console.log('threads=' + wasm.threads + ' out=' + out[0]);
  `;
  const started = Date.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20000 }, (error, out) =>
      error ? reject(error) : resolve(out),
    );
  });
  assert.is(stdout.trim(), 'threads=2 out=64');
  assert.ok(Date.now() - started < 20000);
});

test.run();
