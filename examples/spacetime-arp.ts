/**
 * The AR(p) demonstration of SpaceTime (Zhang et al., ICLR 2023): an AR(p) process
 * x_t = Σ φ_i x_{t−i} + ε_t is exactly a companion state space (A = shift + last column φ), so a
 * companion SSM can represent the optimal predictor. Simulates a stable AR(8) series, fits
 * SpaceTime and an S4D forecaster of the same width and state size for the same number of steps,
 * and prints their test MSE beside the true AR predictor's (the oracle). `npm run bench:arp`
 * runs the same comparison over several orders.
 *
 * Run: npx tsx examples/spacetime-arp.ts [--steps N] [--quick]
 * Quick mode: 2 training steps (checks that everything runs).
 */
import { parseArgs } from 'node:util';
import { S4Forecaster, SpaceTimeForecaster, init, runLongHorizon, shutdown, type Panel } from '../index.ts';
import { Random } from '../src/engine.ts';

const { values } = parseArgs({ options: { steps: { type: 'string' }, quick: { type: 'boolean' } } });
const quick = values.quick || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const steps = quick ? 2 : Number(values.steps ?? 300);
const [lookback, horizon, order] = [64, 16, 8];
const rng = new Random(8);

// φ from four conjugate root pairs of moduli 0.75-0.95: (λ² − 2r cos θ λ + r²) multiplied out.
let poly = [1];
for (const [r, theta] of [
  [0.95, 0.3],
  [0.9, 1.1],
  [0.85, 2.0],
  [0.75, 2.8],
]) {
  const factor = [1, -2 * r * Math.cos(theta), r * r];
  poly = Array.from({ length: poly.length + 2 }, (_, k) => factor.reduce((acc, f, j) => acc + f * (poly[k - j] ?? 0), 0));
}
const phi = poly.slice(1).map((c) => -c);

const length = 3000;
const x = new Float64Array(length + 500);
for (let t = 0; t < x.length; t++) x[t] = rng.normal() + phi.reduce((acc, p, i) => acc + (t > i ? p * x[t - 1 - i] : 0), 0);
const series = Float32Array.from(x.subarray(500));
const panel: Panel = {
  series: [{ id: 'ar8', time: Float64Array.from(series, (_, t) => t * 3600_000), values: series, mask: new Uint8Array(length).fill(1) }],
  channels: ['x'],
  frequency: { kind: 'fixed', ms: 3600_000 },
  timeZone: 'UTC',
};

// The oracle on the protocol's test windows: iterate the recurrence with zero noise. Its error
// is the same on the scaled values up to σ², and the AR mean is 0, so score it on raw values.
const testStart = Math.round(length * 0.8);
let [squared, count] = [0, 0];
for (let end = testStart; end + horizon <= length; end++) {
  const path = Array.from(series.subarray(end - lookback, end), Number);
  for (let h = 0; h < horizon; h++) {
    const next = phi.reduce((acc, p, i) => acc + p * path[path.length - 1 - i], 0);
    path.push(next);
    squared += (next - series[end + h]) ** 2;
    count++;
  }
}
const trainValues = series.subarray(0, Math.round(length * 0.7));
const mean = trainValues.reduce((a, b) => a + b, 0) / trainValues.length;
const variance = trainValues.reduce((a, b) => a + (b - mean) ** 2, 0) / trainValues.length;

await init();
const options = { datasetName: 'ar8', fit: { maxSteps: steps, progress: 'silent' as const } };
const size = { lookback, horizon, dropout: 0, learningRate: 3e-3 };
const spacetime = await runLongHorizon(panel, new SpaceTimeForecaster({ ...size, modelDim: 16, kernelDim: 16, maxAvgWindow: 64 }), options);
const s4d = await runLongHorizon(panel, new S4Forecaster({ ...size, name: 'S4D', dModel: 16, dState: 16, schedule: 'cosine' }), options);
console.log(`AR(${order}), φ = [${phi.map((p) => p.toFixed(2)).join(', ')}]; lookback ${lookback}, horizon ${horizon}; ${steps} training steps`);
console.log(`  oracle     MSE ${(squared / count / variance).toFixed(3)}  (the true AR predictor)`);
for (const r of [spacetime, s4d])
  console.log(`  ${r.model.padEnd(10)} MSE ${r.mse.toFixed(3)}  (${r.testWindows} test windows, trained ${r.trainSeconds.toFixed(1)} s)`);
await shutdown();
