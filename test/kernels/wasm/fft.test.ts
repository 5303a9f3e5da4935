import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { WasmKernels } from '../../../kernels/wasm/runtime.ts';
import { convLength, fft64, nextSmooth, radices } from '../../../kernels/wasm/fft-plan.ts';
import { kernels, random, relativeError, rfftReference } from './helpers.ts';

let wasm: WasmKernels;
test.before(async () => {
  wasm = await kernels(2);
});
test.after(async () => {
  await wasm.dispose();
});

// float32 level: a few ulps times log n, relative to the largest output.
const TOLERANCE = 2e-6;

/** rfft of `rows` random rows of length n, sync and async, against the float64 DFT. */
async function checkRfft(rows: number, n: number, seed: number): Promise<void> {
  const x = random(rows * n, seed);
  const expected = rfftReference(x, rows, n);
  const sync = new Float32Array(expected.length);
  const threaded = new Float32Array(expected.length);
  wasm.rfftSync(x, sync, { rows, n });
  await wasm.rfft(x, threaded, { rows, n });
  const errSync = relativeError(sync, expected);
  const errAsync = relativeError(threaded, expected);
  assert.ok(errSync < TOLERANCE, `rfftSync n=${n} rows=${rows}: relative error ${errSync}`);
  assert.ok(errAsync < TOLERANCE, `rfft n=${n} rows=${rows}: relative error ${errAsync}`);
}

/** irfft(rfft(x)) == x for `rows` random rows of length n, sync and async. */
async function checkRoundTrip(rows: number, n: number, seed: number): Promise<void> {
  const x = random(rows * n, seed);
  const spectrum = new Float32Array(rows * (Math.floor(n / 2) + 1) * 2);
  wasm.rfftSync(x, spectrum, { rows, n });
  const sync = new Float32Array(rows * n);
  const threaded = new Float32Array(rows * n);
  wasm.irfftSync(spectrum, sync, { rows, n });
  await wasm.irfft(spectrum, threaded, { rows, n });
  assert.ok(relativeError(sync, x) < TOLERANCE, `irfftSync n=${n}: ${relativeError(sync, x)}`);
  assert.ok(relativeError(threaded, x) < TOLERANCE, `irfft n=${n}: ${relativeError(threaded, x)}`);
}

test('rfft of length 1 returns the sample with a zero imaginary part', async () => {
  const out = new Float32Array(4);
  wasm.rfftSync(new Float32Array([2.5, -1]), out, { rows: 2, n: 1 });
  assert.equal(Array.from(out), [2.5, 0, -1, 0]);
});

test('rfft matches the direct DFT for every length up to 40', async () => {
  for (let n = 1; n <= 40; n++) await checkRfft(3, n, n);
});

test('rfft matches the direct DFT for primes, prime powers and mixed lengths', async () => {
  for (const n of [49, 97, 121, 210, 243, 625, 961, 1000, 1009, 1024, 2018, 3 * 1024]) await checkRfft(2, n, n);
});

test('rfft handles row counts that leave a partial group of four', async () => {
  for (const rows of [1, 2, 3, 5, 6, 7, 9, 13]) await checkRfft(rows, 24, rows);
});

test('irfft inverts rfft for even, odd, prime and Bluestein lengths', async () => {
  for (const n of [1, 2, 3, 4, 5, 7, 8, 15, 16, 97, 100, 128, 1009, 2018, 4096, 4099]) await checkRoundTrip(5, n, n + 1);
});

test('irfft ignores the imaginary parts of the DC and Nyquist bins like numpy', () => {
  const n = 8;
  const x = random(n, 3);
  const spectrum = new Float32Array(2 * (n / 2 + 1));
  wasm.rfftSync(x, spectrum, { rows: 1, n });
  spectrum[1] = 5;
  spectrum[2 * (n / 2) + 1] = -3;
  const out = new Float32Array(n);
  wasm.irfftSync(spectrum, out, { rows: 1, n });
  assert.ok(relativeError(out, x) < TOLERANCE);
});

test('irfft matches numpy.fft.irfft on a spectrum that is not Hermitian-consistent', () => {
  // numpy.fft.irfft([1, 2+3j, -1+1j], n=5) and irfft([1, 2+3j, -1+1j, 4j], n=6), numpy 2.4
  const spectrum5 = new Float32Array([1, 0, 2, 3, -1, 1]);
  const out5 = new Float32Array(5);
  wasm.irfftSync(spectrum5, out5, { rows: 1, n: 5 });
  const expected5 = [0.6, -0.6055615272, -0.8957400895, -0.245900697, 2.1472023137];
  assert.ok(relativeError(out5, expected5) < 1e-6, `n=5: ${Array.from(out5)}`);
  const spectrum6 = new Float32Array([1, 0, 2, 3, -1, 1, 0, 4]);
  const out6 = new Float32Array(6);
  wasm.irfftSync(spectrum6, out6, { rows: 1, n: 6 });
  const expected6 = [0.5, -0.4880338717, -0.5773502692, -0.8333333333, 0.5773502692, 1.821367205];
  assert.ok(relativeError(out6, expected6) < 1e-6, `n=6: ${Array.from(out6)}`);
});

test('rfft of zero rows does nothing', async () => {
  const out = new Float32Array(0);
  wasm.rfftSync(new Float32Array(0), out, { rows: 0, n: 16 });
  await wasm.irfft(new Float32Array(0), out, { rows: 0, n: 16 });
});

test('rfft over many rows splits them across threads and agrees with the sync path', async () => {
  const rows = 403;
  const n = 1536;
  const x = random(rows * n, 9);
  const sync = new Float32Array(rows * (n / 2 + 1) * 2);
  const threaded = new Float32Array(sync.length);
  wasm.rfftSync(x, sync, { rows, n });
  await wasm.rfft(x, threaded, { rows, n });
  assert.equal(threaded, sync);
});

test('rfft rejects a length of 0 and arrays shorter than the shapes need', () => {
  assert.throws(() => wasm.rfftSync(new Float32Array(4), new Float32Array(4), { rows: 1, n: 0 }), /n must be an integer >= 1/);
  assert.throws(() => wasm.rfftSync(new Float32Array(7), new Float32Array(10), { rows: 1, n: 8 }), /x has 7 floats, needs 8/);
  assert.throws(() => wasm.irfftSync(new Float32Array(10), new Float32Array(7), { rows: 1, n: 8 }), /out has 7 floats, needs 8/);
});

test('radices factor smooth lengths into passes and refuse large primes', () => {
  assert.equal(radices(1), []);
  assert.equal(radices(32), [4, 4, 2]);
  assert.equal(radices(60), [4, 3, 5]);
  assert.equal(radices(7 * 31), [7, 31]);
  assert.is(radices(37), null);
});

test('nextSmooth and convLength pick 2,3,5-smooth transform lengths', () => {
  assert.is(nextSmooth(7), 8);
  assert.is(nextSmooth(1999), 2000);
  assert.is(nextSmooth(11, true), 12);
  for (const min of [1, 2, 3, 1999, 2047, 3001, 8191, 32767]) {
    const n = convLength(min);
    assert.ok(n >= min && n % 2 === 0 && radices(n / 2)!.every((r) => r <= 5), `convLength(${min}) = ${n}`);
  }
});

test('fft64 matches the direct float64 DFT', () => {
  const n = 60;
  const x = random(2 * n, 4);
  const re = Float64Array.from({ length: n }, (_, j) => x[2 * j]);
  const im = Float64Array.from({ length: n }, (_, j) => x[2 * j + 1]);
  const [r0, i0] = [re.slice(), im.slice()];
  fft64(re, im);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * j * k) / n;
      sr += r0[j] * Math.cos(a) - i0[j] * Math.sin(a);
      si += r0[j] * Math.sin(a) + i0[j] * Math.cos(a);
    }
    assert.ok(Math.abs(sr - re[k]) < 1e-12 && Math.abs(si - im[k]) < 1e-12, `bin ${k}`);
  }
});

test.run();
