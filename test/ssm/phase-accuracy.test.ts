/**
 * The GPU.js bodies of the Vandermonde kernels compute in float32, where the plain product b·l
 * would be off by up to ulp(b·l) (0.03 rad for b = 100, l = 16384). Undamped modes (Re z = 0)
 * make any phase error visible at the end of long kernels: K = 2 cos(b·l) exactly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackend, kernelSpec, runKernel, type Backend } from '../../kernels/index.ts';
import { Random } from '../../src/random.ts';

let backend: Backend;
test.before(async () => {
  backend = await createBackend({ name: 'webasm', threads: 1 });
});
test.after(() => backend.dispose());

/** Frequencies dt·Im A of S4D-Lin and S4D-Inv modes (N = 64, dt from 1e-4 to 0.1), both signs. */
const frequencies = [-1.234e-4, 3.1e-3, -0.0157, 0.77, -1.9, 3.14159, -12.3, 41.7, -97.1, 130.2];

function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

for (const length of [4096, 16384]) {
  test(`the GPU.js vandermonde body keeps phases within 1e-6 rad at L = ${length}`, async () => {
    const modes = frequencies.length;
    const c = new Float32Array(2 * modes);
    const z = new Float32Array(2 * modes);
    frequencies.forEach((b, i) => {
      c[2 * i] = 1;
      z[2 * i + 1] = b;
    });
    const shapes = [
      [modes, 1, 2],
      [modes, 1, 2],
    ];
    const outShape = [modes, length];
    const actual = await runKernel(backend, 'vandermonde', [c, z], shapes, { length }, outShape, { sync: true, fastPaths: false, jsLoops: false });
    const expected = kernelSpec('vandermonde').reference([c, z], shapes, { length }, outShape);
    // |Δ(2 cos θ)| ≤ 2|Δθ|, plus float32 rounding of the cosine itself
    assert.ok(maxError(actual, expected) / 2 < 1e-6, `max phase error ${maxError(actual, expected) / 2}`);
  });

  test(`the GPU.js vandermondeAdjoint body matches float64 within 1e-5 of its scale at L = ${length}`, async () => {
    const rng = new Random(length);
    const g = rng.normalArray(length);
    const z = new Float32Array(2 * frequencies.length);
    frequencies.forEach((b, i) => {
      z[2 * i] = -1e-4 * (i + 1); // slowly damped: every step counts
      z[2 * i + 1] = b;
    });
    const shapes = [[length], [frequencies.length, 2]];
    const outShape = [frequencies.length, 2];
    const actual = await runKernel(backend, 'vandermondeAdjoint', [g, z], shapes, {}, outShape, { sync: true, fastPaths: false, jsLoops: false });
    const expected = kernelSpec('vandermondeAdjoint').reference([g, z], shapes, {}, outShape);
    // each output is a sum of ~L terms of size ~1: its natural scale is √L
    assert.ok(maxError(actual, expected) < 1e-5 * Math.sqrt(length), `max error ${maxError(actual, expected)}`);
  });
}

test.run();
