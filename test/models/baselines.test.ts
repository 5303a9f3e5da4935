/**
 * The baselines: exact behaviour of the rule-based ones, the closed-form linear model against
 * its normal equations, DLinear's decomposition, and — where ../shared/data exists — the
 * long-horizon protocol figures computed independently on these copies (benchmarks.md §2.5).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DLinear, Naive, RidgeLinear, SeasonalNaive, init, loadPanel, runLongHorizon, shutdown, type Panel } from '../../index.ts';
import { Random, tensor } from '../../src/engine.ts';
import { DLinearNetwork, movingAverageMatrix } from '../../models/index.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const DATA = path.resolve(import.meta.dirname, '../../../shared/data/forecasting');

function panelOf(values: number[], channels = 1): Panel {
  const steps = values.length / channels;
  return {
    series: [
      {
        id: 's',
        time: Float64Array.from({ length: steps }, (_, t) => t * 3600_000),
        values: Float32Array.from(values),
        mask: new Uint8Array(values.length).fill(1),
      },
    ],
    channels: Array.from({ length: channels }, (_, c) => `c${c}`),
    frequency: { kind: 'fixed', ms: 3600_000 },
    timeZone: 'UTC',
  };
}

test('naive repeats the last value and seasonal naive the last season', async () => {
  const windows = { count: 1, length: 6, channels: 1, values: Float32Array.of(1, 2, 3, 4, 5, 6), mask: new Uint8Array(6).fill(1) };
  const naive = await new Naive({ horizon: 4 }).forecast({ ...windows, length: 6 }, { horizon: 4 });
  assert.equal(Array.from(naive.point), [6, 6, 6, 6]);
  const seasonal = await new SeasonalNaive({ horizon: 5, season: 3 }).forecast(windows, { horizon: 5 });
  assert.equal(Array.from(seasonal.point), [4, 5, 6, 4, 5]);
});

test('the closed-form linear model solves the ridge normal equations of its windows', async () => {
  // An AR(2) process: the best one-step predictor from the last four values is 1.2·x[t] − 0.5·x[t−1].
  const rng = new Random(4);
  const values = [0.3, -0.1];
  for (let t = 2; t < 3000; t++) values.push(1.2 * values[t - 1] - 0.5 * values[t - 2] + rng.normal());
  const model = new RidgeLinear({ lookback: 4, horizon: 2, ridge: 1e-9 });
  await model.fit({ train: panelOf(values) });
  const weight = model.state().get('weight')!.data; // [L, H]
  // One-step coefficients on the last two lags (rows 2 and 3 of the lookback):
  assert.ok(Math.abs(weight[3 * 2] - 1.2) < 0.05, `lag-1 weight ${weight[6]}`);
  assert.ok(Math.abs(weight[2 * 2] + 0.5) < 0.05, `lag-2 weight ${weight[4]}`);
});

test('the sliding-window Gram recurrence equals the direct sums, missing values included', async () => {
  const values = Array.from({ length: 60 }, (_, t) => Math.sin(t / 3) + t / 50);
  const complete = new RidgeLinear({ lookback: 5, horizon: 3 });
  await complete.fit({ train: panelOf(values) });
  // The same data with a NaN in a separate series forces the window-by-window path for that series only.
  const gappy = panelOf(values);
  const holed = {
    ...gappy.series[0],
    id: 'gap',
    values: Float32Array.from(values.map((v, t) => (t === 30 ? NaN : v))),
    mask: Uint8Array.from(values.map((_, t) => (t === 30 ? 0 : 1))),
  };
  const both = { ...gappy, series: [gappy.series[0], holed] };
  const withGap = new RidgeLinear({ lookback: 5, horizon: 3 });
  await withGap.fit({ train: both });
  // Not equal (more windows), but both fits must be finite and close on this smooth signal.
  const a = complete.state().get('weight')!.data;
  const b = withGap.state().get('weight')!.data;
  assert.ok(b.every(Number.isFinite));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 0.05, `weight ${i}: ${a[i]} vs ${b[i]}`);
});

test('the DLinear moving average repeats the edge values, as AvgPool1d over the padded series', () => {
  const a = movingAverageMatrix(5, 3); // half-width 1
  // trend[0] = (x0 + x0 + x1) / 3, trend[2] = (x1 + x2 + x3) / 3, trend[4] = (x3 + x4 + x4) / 3
  assert.equal(
    Array.from(a.subarray(0, 5)).map((v) => +v.toFixed(4)),
    [0.6667, 0.3333, 0, 0, 0],
  );
  assert.equal(
    Array.from(a.subarray(10, 15)).map((v) => +v.toFixed(4)),
    [0, 0.3333, 0.3333, 0.3333, 0],
  );
  assert.equal(
    Array.from(a.subarray(20, 25)).map((v) => +v.toFixed(4)),
    [0, 0, 0, 0.3333, 0.6667],
  );
});

test('the DLinear network maps [B, L, C] to [B, H, C] with upstream parameter names', async () => {
  const network = new DLinearNetwork({ lookback: 8, horizon: 3 });
  const names = network.namedParameters().map(([n]) => n);
  assert.equal(names, ['Linear_Seasonal.weight', 'Linear_Seasonal.bias', 'Linear_Trend.weight', 'Linear_Trend.bias']);
  const y = network.forward(tensor(new Float32Array(2 * 8 * 4).fill(1), [2, 8, 4]));
  assert.equal(y.shape, [2, 3, 4]);
});

test('DLinear trains, forecasts and restores its state', async () => {
  const values = Array.from({ length: 300 }, (_, t) => Math.sin((2 * Math.PI * t) / 24));
  const model = new DLinear({ lookback: 48, horizon: 12, maxEpochs: 8 });
  await model.fit({ train: panelOf(values) }, { progress: 'silent' });
  const windows = { count: 1, length: 48, channels: 1, values: Float32Array.from(values.slice(-48)), mask: new Uint8Array(48).fill(1) };
  const first = await model.forecast(windows, { horizon: 12 });
  let error = 0;
  for (let h = 0; h < 12; h++) error += Math.abs(first.point[h] - Math.sin((2 * Math.PI * (300 + h)) / 24)) / 12;
  assert.ok(error < 0.1, `mean absolute error ${error}`);
  const restored = new DLinear({ lookback: 48, horizon: 12 });
  restored.loadState(model.state());
  assert.equal(Array.from((await restored.forecast(windows, { horizon: 12 })).point), Array.from(first.point));
});

const etth1 = path.join(DATA, 'ETTh1.csv');
if (existsSync(etth1)) {
  test('on ETTh1 (L=336, H=96) the linear and naive baselines reproduce the reference figures', async () => {
    const { panel } = await loadPanel(etth1);
    const linear = await runLongHorizon(panel, new RidgeLinear({ lookback: 336, horizon: 96 }), { datasetName: 'ETTh1' });
    const naive = await runLongHorizon(panel, new Naive({ horizon: 96 }) as never, { datasetName: 'ETTh1' });
    console.log(
      `note: ETTh1 H=96 linear ${linear.mse.toFixed(4)}/${linear.mae.toFixed(4)}, naive ${naive.mse.toFixed(4)}/${naive.mae.toFixed(4)} (reference 0.370/0.392 and 1.294/0.713)`,
    );
    assert.is(linear.testWindows, 2785);
    assert.ok(Math.abs(linear.mse - 0.37) <= 0.005 && Math.abs(linear.mae - 0.392) <= 0.005, `linear ${linear.mse} / ${linear.mae}`);
    assert.ok(Math.abs(naive.mse - 1.294) <= 0.001 && Math.abs(naive.mae - 0.713) <= 0.001, `naive ${naive.mse} / ${naive.mae}`);
  });
} else {
  console.log(`note: skipped the ETTh1 baseline figures: ${DATA} not found`);
}

test.run();
