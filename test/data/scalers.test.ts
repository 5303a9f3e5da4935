import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StandardScaler, denormalizeWindows, normalizeWindows, parseFrequency, splitPanel, type Panel, type Series } from '../../src/data/index.ts';
import { assertClose } from '../helpers/close.ts';

const nan = NaN;

function series(id: string, values: number[]): Series {
  const v = Float32Array.from(values);
  return {
    id,
    time: Float64Array.from({ length: values.length / 2 }, (_, k) => k * 3_600_000),
    values: v,
    mask: Uint8Array.from(v, (x) => (Number.isNaN(x) ? 0 : 1)),
  };
}

const panelOf = (...series: Series[]): Panel => ({ series, channels: ['a', 'b'], frequency: parseFrequency('h'), timeZone: 'UTC' });

test('a global scaler has the population mean and std per channel over all series, skipping NaN', () => {
  // channel a: 1, 3, 5, 7 → mean 4, std sqrt(5); channel b: 10, 10, NaN, 10 → mean 10, std 0 → 1
  const scaler = StandardScaler.fit(panelOf(series('x', [1, 10, 3, 10]), series('y', [5, nan, 7, 10])));
  assertClose(scaler.mean, [4, 10], 'mean');
  assertClose(scaler.std, [Math.sqrt(5), 1], 'std (zero std guarded to 1)');
  assert.equal(Array.from(scaler.count), [4, 3]);
  const z = scaler.transform(Float32Array.of(4, 12, nan, 8));
  assertClose(z, [0, 2, nan, -2], 'transform');
});

test('the scaler fit on the train split ignores val and test values', () => {
  // 100 rows: the first 70 (ratio train) are 0..69, the rest are huge.
  const values = Array.from({ length: 100 }, (_, t) => [t < 70 ? t : 1e6, 1]).flat();
  const panel = panelOf(series('s', values));
  const { train } = splitPanel(panel, { lookback: 10, protocol: 'ratio' });
  const scaler = StandardScaler.fit(train);
  assertClose(scaler.mean, [34.5, 1], 'train mean');
  assertClose(scaler.std, [Math.sqrt((70 * 70 - 1) / 12), 1], 'train std (population)');
});

test('inverse undoes transform, per series in perSeries mode', () => {
  const a = series('a', [1, 2, 3, 4, 5, 9]);
  const b = series('b', [100, -1, 300, -3, 200, -2]);
  const scaler = StandardScaler.fit(panelOf(a, b), { mode: 'perSeries' });
  for (const s of [a, b]) {
    const z = scaler.transformSeries(s);
    assertClose(scaler.inverse(z.values, s.id), s.values, `round trip ${s.id}`, { rtol: 1e-6 });
    // Per-series statistics: each channel of each series standardised on its own.
    assertClose([z.values[0] + z.values[2] + z.values[4]], [0], `mean of ${s.id}`, { atol: 1e-6 });
  }
  assert.throws(() => scaler.transform(a.values, 'c'), /no statistics for series "c"/);
  assert.throws(() => scaler.transform(a.values), /none given/);
});

test('a scaler saved as JSON loads back identical and bad JSON is refused', () => {
  const scaler = StandardScaler.fit(panelOf(series('x', [1, 2, 3, 5])), { mode: 'perSeries' });
  const json = JSON.parse(JSON.stringify(scaler));
  const restored = StandardScaler.fromJSON(json);
  assert.equal(restored.toJSON(), scaler.toJSON());
  assert.equal(Array.from(restored.transform(Float32Array.of(2, 4), 'x')), Array.from(scaler.transform(Float32Array.of(2, 4), 'x')));
  assert.throws(() => StandardScaler.fromJSON({ ...json, std: [1] }), /inconsistent/);
  assert.throws(() => StandardScaler.fromJSON({ kind: 'minmax' }), /not a standard scaler/);
  assert.throws(() => StandardScaler.fromJSON({ ...json, std: [0, 1] }), /inconsistent/);
});

test('window normalisation standardises each window and its inverse restores forecasts', () => {
  // B=2, L=4, C=1
  const context = Float32Array.of(1, 2, 3, 4, 10, 10, 10, nan);
  const { values, stats } = normalizeWindows(context, { batch: 2, length: 4, channels: 1 }, 0);
  assertClose(stats.mean, [2.5, 10], 'means');
  assertClose(stats.std, [Math.sqrt(1.25), 0], 'stds (population)');
  assertClose(
    values.subarray(0, 4),
    [-1.5, -0.5, 0.5, 1.5].map((v) => v / Math.sqrt(1.25)),
    'normalised',
  );
  const withEps = normalizeWindows(context, { batch: 2, length: 4, channels: 1 });
  assertClose(withEps.stats.std, [Math.sqrt(1.25 + 1e-5), Math.sqrt(1e-5)], 'eps inside the sqrt');
  assert.ok(Number.isNaN(withEps.values[7]));
  const forecast = Float32Array.of(0, 1, -1, 0.5);
  const back = denormalizeWindows(forecast, withEps.stats, { batch: 2, length: 2, channels: 1 });
  assertClose(back, [2.5, 2.5 + withEps.stats.std[0], 10 - withEps.stats.std[1], 10 + 0.5 * withEps.stats.std[1]], 'denormalised');
});

test.run();
