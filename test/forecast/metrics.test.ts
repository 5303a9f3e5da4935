import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Series } from '../../src/data/types.ts';
import type { SignalForecast, StepsHorizon } from '../../src/forecast/types.ts';
import {
  coverage,
  crpsFromQuantiles,
  crpsFromSamples,
  formatMetricTable,
  intervalWidth,
  mae,
  mape,
  mase,
  meanQuantileLoss,
  metricTable,
  mse,
  pinball,
  quantileLoss,
  rmse,
  smape,
} from '../../src/forecast/metrics.ts';
import { intervalLevels } from '../../src/forecast/metrics/table.ts';

const close = (actual: number, expected: number, what: string, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);

const y = new Float32Array([1, 2, 3, 4]);
const yhat = new Float32Array([1.5, 2, 2, 6]);

test('point metrics match hand-computed values', () => {
  close(mae(y, yhat), 3.5 / 4, 'mae');
  close(mse(y, yhat), (0.25 + 0 + 1 + 4) / 4, 'mse');
  close(rmse(y, yhat), Math.sqrt(1.3125), 'rmse');
  close(mape(y, yhat), 25 * (0.5 + 0 + 1 / 3 + 0.5), 'mape');
  close(smape(y, yhat), (40 + 0 + 40 + 40) / 4, 'smape');
});

test('a mask skips the positions marked 0', () => {
  const mask = [1, 0, 1, 0];
  close(mae(y, yhat, { mask }), 1.5 / 2, 'mae');
  close(mse(y, yhat, { mask }), 1.25 / 2, 'mse');
  close(smape(y, yhat, { mask }), 40, 'smape');
  const missing = new Float32Array([1, NaN, 3, 4]);
  close(mae(missing, yhat, { mask: [1, 0, 1, 1] }), 3.5 / 3, 'masked NaN target');
});

test('an unmasked NaN makes the result NaN rather than being dropped', () => {
  const missing = new Float32Array([1, NaN, 3, 4]);
  assert.ok(Number.isNaN(mae(missing, yhat)));
  assert.ok(Number.isNaN(coverage(missing, yhat, yhat)));
});

test('every metric is NaN when every position is masked (no counted point)', () => {
  const mask = [0, 0, 0, 0];
  const quantiles = new Map([
    [0.1, yhat],
    [0.9, yhat],
  ]);
  const values = [
    mse(y, yhat, { mask }),
    mae(y, yhat, { mask }),
    rmse(y, yhat, { mask }),
    mape(y, yhat, { mask }),
    smape(y, yhat, { mask }),
    mase(y, yhat, { mask, history: [1, 2, 3] }),
    quantileLoss(y, yhat, 0.5, { mask }),
    meanQuantileLoss(y, quantiles, { mask }),
    crpsFromQuantiles(y, quantiles, { mask }),
    crpsFromSamples(y, [yhat, y], { mask }),
    coverage(y, yhat, yhat, { mask }),
    intervalWidth(yhat, yhat, { mask }),
  ];
  values.forEach((v, i) => assert.ok(Number.isNaN(v), `metric ${i} gave ${v}`));
  assert.ok(Number.isNaN(mae([], [])), 'empty input');
});

test('mape skips zero targets and smape scores 0/0 as a perfect forecast', () => {
  close(mape([0, 2], [1, 1]), 50, 'mape with a zero target');
  assert.ok(Number.isNaN(mape([0, 0], [1, 1])), 'mape of all-zero targets is NaN');
  close(smape([0, 2], [0, 1]), (0 + 200 / 3) / 2, 'smape with 0/0');
  close(smape([0], [5]), 200, 'smape is bounded by 200');
});

test('mase scales by the in-sample seasonal-naive MAE', () => {
  const history = [1, 3, 2, 4, 3];
  close(mase(y, yhat, { history }), 0.875 / 1.5, 'period 1');
  close(mase(y, yhat, { history, period: 2 }), 0.875 / 1, 'period 2');
  close(mase(y, yhat, { history, historyMask: [1, 1, 0, 1, 1], period: 1 }), 0.875 / 1.5, 'masked history drops pairs with a missing end');
  assert.ok(Number.isNaN(mase(y, yhat, { history: [1, 2], period: 2 })), 'history too short for the period');
  assert.is(mase(y, yhat, { history: [2, 2, 2] }), Infinity, 'constant history');
  // Two channels interleaved: channel 0 has scale 1, channel 1 scale 10.
  const history2 = [0, 0, 1, 10, 2, 20];
  close(mase([3, 30, 4, 40], [3, 31, 5, 40], { history: history2, channels: 2 }), (0.5 / 1 + 0.5 / 10) / 2, 'per-channel scales');
  assert.throws(() => mase(y, yhat, { history, period: 0 }), /period/);
});

test('quantile loss matches hand-computed pinball values', () => {
  const target = [1, 2, 5];
  const q = [2, 2, 2];
  close(pinball(5, 2, 0.9), 2.7, 'pinball above');
  close(pinball(1, 2, 0.9), 0.1, 'pinball below');
  close(quantileLoss(target, q, 0.9), 2.8 / 3, 'level 0.9');
  close(quantileLoss(target, q, 0.1), 1.2 / 3, 'level 0.1');
  const levels = new Map([
    [0.1, q],
    [0.9, q],
  ]);
  close(meanQuantileLoss(target, levels), (2.8 / 3 + 0.4) / 2, 'mean over levels');
  close(crpsFromQuantiles(target, levels), (2 * (2.8 / 3 + 0.4)) / 2, 'crps from quantiles');
  close(crpsFromQuantiles(target, levels, { weighted: true }), (2.8 / 3 + 0.4) / (8 / 3), 'weighted (GluonTS mean_wQuantileLoss)');
  close(quantileLoss(y, yhat, 0.5), mae(y, yhat) / 2, 'the median loss is half the MAE');
  assert.throws(() => quantileLoss(target, q, 1), /level/);
  assert.throws(() => quantileLoss(target, [1, 2], 0.5), /quantile has 2 values/);
});

/** The O(S²) definition: mean |x − y| − ½ mean over pairs |x − x'|. */
function crpsBruteForce(target: ArrayLike<number>, samples: ArrayLike<number>[], fair = false): number {
  const s = samples.length;
  let total = 0;
  for (let t = 0; t < target.length; t++) {
    let error = 0;
    let spread = 0;
    for (let i = 0; i < s; i++) {
      error += Math.abs(samples[i][t] - target[t]);
      for (let j = 0; j < s; j++) spread += Math.abs(samples[i][t] - samples[j][t]);
    }
    total += error / s - (0.5 * spread) / (fair ? s * (s - 1) : s * s);
  }
  return total / target.length;
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

test('crps from samples (sorted, O(n log n)) equals the brute-force O(n²) definition', () => {
  const random = lcg(7);
  const steps = 20;
  const target = Float32Array.from({ length: steps }, () => random() * 4 - 2);
  for (const count of [1, 2, 7, 50]) {
    const samples = Array.from({ length: count }, () => Float32Array.from({ length: steps }, () => random() * 3 - 1.5));
    close(crpsFromSamples(target, samples), crpsBruteForce(target, samples), `empirical, ${count} samples`, 1e-9);
    if (count > 1) close(crpsFromSamples(target, samples, { estimator: 'fair' }), crpsBruteForce(target, samples, true), `fair, ${count} samples`, 1e-9);
  }
  close(crpsFromSamples([0], [[0], [1]]), 0.25, 'two-point ensemble');
  close(crpsFromSamples([0], [[0], [1]], { estimator: 'fair' }), 0, 'two-point ensemble, fair');
});

test('crps of a point mass equals the mae', () => {
  const samples = Array.from({ length: 5 }, () => yhat);
  close(crpsFromSamples(y, samples), mae(y, yhat), 'five identical samples');
  close(crpsFromSamples(y, [yhat]), mae(y, yhat), 'one sample');
  close(crpsFromSamples(y, samples, { mask: [1, 1, 0, 1] }), mae(y, yhat, { mask: [1, 1, 0, 1] }), 'with a mask');
});

test('both crps forms approach the closed form for a uniform distribution', () => {
  // CRPS(U(0, 1), 0.5) = ∫₀^½ x² dx + ∫_½^1 (1 − x)² dx = 1/12.
  const count = 400;
  const samples = Array.from({ length: count }, (_, k) => [(k + 0.5) / count]);
  close(crpsFromSamples([0.5], samples), 1 / 12, 'samples', 1e-4);
  const quantiles = new Map(Array.from({ length: 99 }, (_, k) => [(k + 1) / 100, [(k + 1) / 100]] as [number, number[]]));
  close(crpsFromQuantiles([0.5], quantiles), 1 / 12, 'quantiles', 1e-3);
});

test('coverage counts targets inside the closed interval and width averages it', () => {
  const lower = [0, 2.5, 2, 5];
  const upper = [2, 3, 3, 6];
  close(coverage(y, lower, upper), 0.5, 'coverage');
  close(coverage(y, lower, upper, { mask: [1, 0, 1, 0] }), 1, 'masked coverage');
  close(intervalWidth(lower, upper), (2 + 0.5 + 1 + 1) / 4, 'width');
  assert.throws(() => coverage(y, lower, [1]), /upper has 1 values/);
});

function signal(values: number[]) {
  return { extent: [values.length] as const, channels: 1, values: Float32Array.from(values) };
}

function forecast(id: string, point: number[], quantiles: [number, number[]][] = [], time?: number[]): SignalForecast<StepsHorizon> {
  return {
    id,
    ...(time ? { time: Float64Array.from(time) } : {}),
    point: signal(point),
    quantiles: new Map(quantiles.map(([q, v]) => [q, signal(v)])),
    scales: [],
  };
}

function series(id: string, values: number[], mask?: number[], start = 0): Series {
  return {
    id,
    time: Float64Array.from(values, (_, i) => (start + i) * 3_600_000),
    values: Float32Array.from(values),
    mask: Uint8Array.from(mask ?? values.map(() => 1)),
  };
}

test('metricTable pools series per model and marks what a point model cannot score', () => {
  const targets = [series('a', [1, 2, 3, 4]), series('b', [10, 10], [1, 0])];
  const history = [series('a', [1, 3, 2, 4, 3]), series('b', [8, 9, 10])];
  const rows = metricTable({
    models: [
      { model: 'naive', forecasts: [forecast('a', [1.5, 2, 2, 6]), forecast('b', [12, 99])] },
      {
        model: 'quantile',
        forecasts: [
          forecast(
            'a',
            [1, 2, 3, 4],
            [
              [0.1, [0, 2.5, 2, 5]],
              [0.9, [2, 3, 3, 6]],
            ],
          ),
          forecast(
            'b',
            [10, 10],
            [
              [0.1, [9, 9]],
              [0.9, [11, 11]],
            ],
          ),
        ],
      },
    ],
    targets,
    history,
  });
  assert.equal(Object.keys(rows[0]), ['model', 'mae', 'rmse', 'smape', 'mase', 'crps', 'coverage80', 'width80']);
  close(rows[0].mae as number, (3.5 + 2) / 5, 'pooled mae skips the masked target');
  close(rows[0].mase as number, (0.875 / 1.5 + 2 / 1) / 2, 'mase averages per-series values');
  assert.ok(Number.isNaN(rows[0].crps as number), 'a point model has no crps');
  assert.ok(Number.isNaN(rows[0].coverage80 as number), 'nor coverage');
  close(rows[1].mae as number, 0, 'exact model');
  close(rows[1].coverage80 as number, 3 / 5, 'pooled coverage');
  close(rows[1].width80 as number, (2 + 0.5 + 1 + 1 + 2) / 5, 'pooled width');
  const text = formatMetricTable(rows);
  assert.match(text, /model\s+mae\s+rmse/);
  assert.match(text, /quantile/);
});

test('metricTable by series gives one row per model and series', () => {
  const rows = metricTable({
    models: [{ model: 'm', forecasts: [forecast('a', [1, 1]), forecast('b', [2, 2])] }],
    targets: [series('a', [1, 2]), series('b', [2, 4])],
    metrics: ['mae', 'mape'],
    by: 'series',
  });
  assert.equal(rows, [
    { model: 'm', series: 'a', mae: 0.5, mape: 25 },
    { model: 'm', series: 'b', mae: 1, mape: 25 },
  ]);
});

test('metricTable locates a timed forecast inside a longer target and cuts the history before it', () => {
  const full = series('a', [0, 1, 0, 1, 5, 6]);
  const rows = metricTable({
    models: [{ model: 'm', forecasts: [forecast('a', [5, 8], [], [4 * 3_600_000, 5 * 3_600_000])] }],
    targets: [full],
    history: [full],
    metrics: ['mae', 'mase'],
  });
  close(rows[0].mae as number, 1, 'mae over steps 4 and 5');
  close(rows[0].mase as number, 1 / 1, 'history scale from steps 0..3 only');
  assert.equal(
    intervalLevels(
      forecast(
        'a',
        [0],
        [
          [0.05, [0]],
          [0.1, [0]],
          [0.9, [0]],
          [0.95, [0]],
          [0.5, [0]],
        ],
      ),
    ),
    [80, 90],
  );
});

test('metricTable refuses a missing target, a length mismatch and mase without history', () => {
  const models = [{ model: 'm', forecasts: [forecast('a', [1, 2])] }];
  assert.throws(() => metricTable({ models, targets: [series('b', [1, 2])] }), /no target series 'a'/);
  assert.throws(() => metricTable({ models, targets: [series('a', [1, 2, 3])] }), /has 3 steps, the forecast 2/);
  assert.throws(() => metricTable({ models, targets: [series('a', [1, 2])], metrics: ['mase'] }), /mase needs the history/);
});

test.run();
