/** The Forecast orchestrator: fit, predict with timestamps, tables, backtests, save and load. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConformalIntervals, Forecast, RidgeLinear, SeasonalNaive, Naive, coverage, init, loadForecast, shutdown, type Panel } from '../../index.ts';
import { Random } from '../../src/engine.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const HOUR = 3600_000;
const START = Date.UTC(2024, 0, 1);

/** Two hourly series with a daily cycle and a level each; 'b' is shorter. */
function dailyPanel(): Panel {
  const make = (id: string, steps: number, level: number) => {
    const time = Float64Array.from({ length: steps }, (_, t) => START + t * HOUR);
    const values = Float32Array.from({ length: steps }, (_, t) => level + Math.sin((2 * Math.PI * t) / 24) + 0.3 * Math.cos((2 * Math.PI * t) / 12));
    return { id, time, values, mask: new Uint8Array(steps).fill(1) };
  };
  return { series: [make('a', 24 * 30, 10), make('b', 24 * 25, -5)], channels: ['y'], frequency: { kind: 'fixed', ms: HOUR }, timeZone: 'UTC' };
}

test('a gap in a file is an error naming it and regularize: true instead of being stitched over; regularised, the fit runs', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-gap-'));
  try {
    const rows = Array.from({ length: 24 * 20 }, (_, t) => t).filter((t) => t < 200 || t >= 250);
    const csv = ['ds,y', ...rows.map((t) => `${new Date(START + t * HOUR).toISOString()},${Math.sin((2 * Math.PI * t) / 24)}`)].join('\n');
    const file = path.join(dir, 'gap.csv');
    await writeFile(file, csv);
    const model = () => new RidgeLinear({ lookback: 48, horizon: 12 });
    const error = await new Forecast({ models: [model()] }).fit(file).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(error, 'fitting across a 50-step gap must fail');
    assert.match(
      error!.message,
      /gap\.csv: 50 timestamps missing from the h grid in 1 gap, the first of 50 steps after 2024-01-09 07:00; .*pass regularize: true/,
    );
    const regularised = new Forecast({ models: [model()], data: { regularize: true } });
    await regularised.fit(file);
    const result = await regularised.predict();
    const forecast = result.get('RidgeLinear', result.history.series[0]!.id);
    assert.ok(forecast.point.values.length === 12 && forecast.point.values.every(Number.isFinite));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('fit and predict give each series a forecast that continues its timestamps', async () => {
  const fc = new Forecast({ models: [new SeasonalNaive({ horizon: 12, season: 24 }), new RidgeLinear({ lookback: 48, horizon: 12 })] });
  const panel = dailyPanel();
  await fc.fit(panel);
  const result = await fc.predict();
  const table = result.toTable();
  assert.equal(table.columnNames(), ['unique_id', 'ds', 'SeasonalNaive', 'RidgeLinear']);
  assert.is(table.numRows(), 24);
  const b = result.get('RidgeLinear', 'b');
  assert.is(b.time![0], panel.series[1].time.at(-1)! + HOUR);
  // A noiseless periodic signal: both models should be close to the truth.
  const steps = panel.series[1].time.length;
  for (let h = 0; h < 12; h++) {
    const t = steps + h;
    const truth = -5 + Math.sin((2 * Math.PI * t) / 24) + 0.3 * Math.cos((2 * Math.PI * t) / 12);
    assert.ok(Math.abs(b.point.values[h] - truth) < 1e-2, `step ${h}: ${b.point.values[h]} vs ${truth}`);
    assert.ok(Math.abs(result.get('SeasonalNaive', 'b').point.values[h] - truth) < 1e-4);
  }
  assert.is(b.scales.length, 5, 'scales 1, 2, 4, 8, 12');
  assert.is(b.scales[0].point.values.length, 1);
});

test('a multivariate panel gets a channel column', async () => {
  const base = dailyPanel().series[0];
  const values = new Float32Array(base.values.length * 2).map((_, i) => base.values[i >> 1] * (i % 2 ? -1 : 1));
  const panel: Panel = {
    series: [{ ...base, values, mask: new Uint8Array(values.length).fill(1) }],
    channels: ['up', 'down'],
    frequency: { kind: 'fixed', ms: HOUR },
    timeZone: 'UTC',
  };
  const fc = new Forecast({ models: [new Naive({ horizon: 3 })] });
  await fc.fit(panel);
  const table = (await fc.predict()).toTable();
  assert.equal(table.columnNames(), ['unique_id', 'ds', 'channel', 'Naive']);
  assert.equal(table.array('channel'), ['up', 'down', 'up', 'down', 'up', 'down']);
});

test('asking a point model for intervals is refused with a clear error', async () => {
  const fc = new Forecast({ models: [new Naive({ horizon: 3 })] });
  await fc.fit(dailyPanel());
  try {
    await fc.predict({ level: [90] });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /point forecasts only/);
  }
});

test('two models with one name are refused', () => {
  assert.throws(() => new Forecast({ models: [new Naive({ horizon: 3 }), new Naive({ horizon: 3 })] }), /named 'Naive'/);
});

test('cross-validation forecasts from rolling cutoffs and scores every window', async () => {
  const fc = new Forecast({ models: [new SeasonalNaive({ horizon: 24, season: 24 }), new Naive({ horizon: 24 })] });
  const cv = await fc.crossValidation(dailyPanel(), { windows: 3, step: 12 });
  assert.is(cv.windows.length, 3);
  const panel = dailyPanel();
  assert.is(cv.windows[2].cutoffs[0], panel.series[0].time.at(-25)!, 'the last cutoff leaves one horizon');
  assert.is(cv.windows[1].cutoffs[0], panel.series[0].time.at(-37)!, 'cutoffs step back by 12');
  const table = cv.toTable();
  assert.is(table.numRows(), 3 * 2 * 24);
  assert.equal(table.columnNames(), ['unique_id', 'ds', 'cutoff', 'y', 'SeasonalNaive', 'Naive']);
  const rows = Object.fromEntries(cv.metrics.map((row) => [row.model, row]));
  assert.ok((rows.SeasonalNaive.mae as number) < 1e-4, 'seasonal naive is exact on a periodic signal');
  assert.ok((rows.Naive.mae as number) > 0.3);
});

test('a saved forecast loads and predicts the same values', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-forecast-'));
  try {
    const fc = new Forecast({ models: [new RidgeLinear({ lookback: 48, horizon: 12 }), new SeasonalNaive({ horizon: 12, season: 24 })] });
    await fc.fit(dailyPanel());
    const before = (await fc.predict()).toTable().objects();
    await fc.save(dir);
    const loaded = await loadForecast(dir);
    const after = (await loaded.predict()).toTable().objects();
    assert.equal(after, before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('conformal intervals make a point model probabilistic and cover at about their level', async () => {
  // A noisy daily cycle: the linear model's errors are the noise, which the calibration measures.
  const rng = new Random(8);
  const steps = 24 * 200;
  const noisy: Panel = {
    series: [
      {
        id: 'n',
        time: Float64Array.from({ length: steps }, (_, t) => START + t * HOUR),
        values: Float32Array.from({ length: steps }, (_, t) => Math.sin((2 * Math.PI * t) / 24) + 0.3 * rng.normal()),
        mask: new Uint8Array(steps).fill(1),
      },
    ],
    channels: ['y'],
    frequency: { kind: 'fixed', ms: HOUR },
    timeZone: 'UTC',
  };
  const model = new ConformalIntervals(new RidgeLinear({ lookback: 48, horizon: 12 }), { windows: 60, step: 12 });
  assert.is(model.capabilities.probabilistic, 'quantile');
  const fc = new Forecast({ models: [model], scaler: 'none' });
  const cv = await fc.crossValidation(noisy, { windows: 40, level: [80], fit: { validation: 0 } });
  const table = cv.toTable();
  assert.ok(table.columnNames().includes('RidgeLinear-lo-80') && table.columnNames().includes('RidgeLinear-hi-80'));
  const covered = coverage(
    table.array('y') as Float64Array,
    table.array('RidgeLinear-lo-80') as Float64Array,
    table.array('RidgeLinear-hi-80') as Float64Array,
  );
  assert.ok(covered > 0.72 && covered < 0.9, `80% interval covers ${covered}`);
  // Save and load keeps the calibration.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-conformal-'));
  try {
    await fc.fit(noisy, { validation: 0 });
    const before = (await fc.predict({ level: [80] })).toTable().objects();
    await fc.save(dir);
    assert.equal((await (await loadForecast(dir)).predict({ level: [80] })).toTable().objects(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
