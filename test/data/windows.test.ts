import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  batchCount,
  batches,
  epochPermutation,
  parseFrequency,
  protocolFor,
  sliceSeries,
  splitRanges,
  windowCount,
  windowIndex,
  type Panel,
  type Series,
} from '../../src/data/index.ts';

const HOUR = 3_600_000;

/** A series whose value at row t, channel c is 100·c + t (easy to check windows by eye). */
function ramp(id: string, length: number, channels = 2, t0 = Date.UTC(2016, 6, 1)): Series {
  const values = new Float32Array(length * channels);
  for (let t = 0; t < length; t++) for (let c = 0; c < channels; c++) values[t * channels + c] = 100 * c + t;
  return { id, time: Float64Array.from({ length }, (_, t) => t0 + t * HOUR), values, mask: new Uint8Array(length * channels).fill(1) };
}

const panelOf = (...series: Series[]): Panel => ({ series, channels: ['a', 'b'], frequency: parseFrequency('h'), timeZone: 'UTC' });

test('protocols are chosen by data set name', () => {
  assert.is(protocolFor('ETTh1'), 'ETTh');
  assert.is(protocolFor('../shared/data/forecasting/ETTh2.csv'), 'ETTh');
  assert.is(protocolFor('ETTm1.csv.gz'), 'ETTm');
  assert.is(protocolFor('exchange_rate'), 'ratio');
  assert.is(protocolFor('national_illness.csv'), 'ratio');
});

test('ETTh and ETTm borders are TSLib’s 12/4/4 months reaching back by the lookback', () => {
  assert.equal(splitRanges(17_420, { protocol: 'ETTh', lookback: 336 }), {
    protocol: 'ETTh',
    lookback: 336,
    train: [0, 8640],
    val: [8304, 11520],
    test: [11184, 14400],
  });
  assert.equal(splitRanges(69_680, { protocol: 'ETTm', lookback: 96 }), {
    protocol: 'ETTm',
    lookback: 96,
    train: [0, 34560],
    val: [34464, 46080],
    test: [45984, 57600],
  });
  assert.throws(() => splitRanges(14_399, { protocol: 'ETTh', lookback: 96 }), /needs 14400 rows/);
});

test('ratio borders use TSLib’s integer arithmetic', () => {
  // Exchange: N = 7588 → 5311 / 760 / 1517 rows.
  assert.equal(splitRanges(7588, { protocol: 'ratio', lookback: 96 }), {
    protocol: 'ratio',
    lookback: 96,
    train: [0, 5311],
    val: [5215, 6071],
    test: [5975, 7588],
  });
  // ILI: N = 966 → 676 / 97 / 193.
  const ili = splitRanges(966, { protocol: 'ratio', lookback: 36 });
  assert.equal([ili.train[1], ili.val[1] - ili.train[1], 966 - ili.val[1]], [676, 97, 193]);
  assert.throws(() => splitRanges(100, { protocol: 'ratio', lookback: 71 }), /longer than the 70 training rows/);
});

test('other ratios are computed the same way, and impossible ones are refused', () => {
  // N = 1000 at 6:2:2 → 600 / 200 / 200 rows.
  assert.equal(splitRanges(1000, { protocol: 'ratio', lookback: 10, ratios: { train: 0.6, test: 0.2 } }), {
    protocol: 'ratio',
    lookback: 10,
    train: [0, 600],
    val: [590, 800],
    test: [790, 1000],
  });
  // Spelled out, 7:1:2 gives the default borders.
  assert.equal(
    splitRanges(7588, { protocol: 'ratio', lookback: 96, ratios: { train: 0.7, test: 0.2 } }),
    splitRanges(7588, { protocol: 'ratio', lookback: 96 }),
  );
  assert.throws(() => splitRanges(1000, { protocol: 'ratio', lookback: 10, ratios: { train: 0.8, test: 0.2 } }), /train \+ test < 1/);
  assert.throws(() => splitRanges(20_000, { protocol: 'ETTh', lookback: 10, ratios: { train: 0.6, test: 0.2 } }), /ratios apply to the ratio protocol/);
});

test('window counts are n − L − H + 1 at stride 1 and none when the series is too short', () => {
  assert.is(windowCount(8640, { lookback: 336, horizon: 96 }), 8209);
  assert.is(windowCount(2880 + 336, { lookback: 336, horizon: 96 }), 2785);
  assert.is(windowCount(10, { lookback: 4, horizon: 2, stride: 2 }), 3);
  assert.is(windowCount(5, { lookback: 4, horizon: 2 }), 0);
  assert.is(windowCount(panelOf(ramp('a', 10), ramp('b', 7)), { lookback: 4, horizon: 2 }), 5 + 2);
  assert.throws(() => windowCount(10, { lookback: 0, horizon: 2 }), /lookback must be a positive integer/);
});

test('sliceSeries returns views of the rows asked for', () => {
  const s = ramp('a', 10);
  const part = sliceSeries(s, 2, [3, 6]);
  assert.equal(Array.from(part.values), [3, 103, 4, 104, 5, 105]);
  assert.is(part.values.buffer, s.values.buffer);
  assert.throws(() => sliceSeries(s, 2, [5, 11]), /outside series "a"/);
});

test('batches in order cover every window of every series once, the last batch smaller', () => {
  const panel = panelOf(ramp('a', 10), ramp('b', 8));
  const options = { lookback: 3, horizon: 2, batchSize: 4 };
  const all = [...batches(panel, options)];
  assert.is(all.length, batchCount(panel, options));
  assert.equal(
    all.map((b) => b.size),
    [4, 4, 2],
  );
  const seen = all.flatMap((b) => Array.from(b.seriesIndex, (s, i) => `${s}:${b.start[i]}`));
  assert.equal(seen, ['0:0', '0:1', '0:2', '0:3', '0:4', '0:5', '1:0', '1:1', '1:2', '1:3']);
  const first = all[0];
  // Window 1 of series a: context rows 1..3, target rows 4..5, channels interleaved.
  assert.equal(Array.from(first.context.subarray(6, 12)), [1, 101, 2, 102, 3, 103]);
  assert.equal(Array.from(first.target.subarray(4, 8)), [4, 104, 5, 105]);
  assert.equal(first.contextMask.length, 4 * 3 * 2);
  assert.equal(first.targetMask.length, 4 * 2 * 2);
});

test('shuffled batches depend only on (seed, epoch), so training resumes where it stopped', () => {
  const panel = panelOf(ramp('a', 40), ramp('b', 30));
  const options = { lookback: 5, horizon: 3, batchSize: 8, shuffle: true, seed: 7 };
  const order = (epoch: number, fromBatch = 0) =>
    [...batches(panel, { ...options, epoch, fromBatch })].flatMap((b) => Array.from(b.seriesIndex, (s, i) => `${s}:${b.start[i]}`));
  const epoch3 = order(3);
  assert.equal(order(3), epoch3, 'same (seed, epoch), same order');
  assert.not.equal(order(4), epoch3, 'another epoch, another order');
  assert.equal(order(3, 2), epoch3.slice(16), 'resuming at batch 2 skips exactly the first two batches');
  assert.equal([...epoch3].sort(), [...order(0)].sort(), 'every epoch visits every window once');
  const total = windowIndex(panel, options).start.length;
  assert.equal(Array.from(epochPermutation(total, 7, 3)), Array.from(epochPermutation(total, 7, 3)));
  assert.not.equal(Array.from(epochPermutation(total, 8, 3)), Array.from(epochPermutation(total, 7, 3)));
});

test('calendar features and covariates come with the windows when asked', () => {
  const s = ramp('a', 30);
  const panel = panelOf(s);
  const covariates = { channels: ['x'], series: [{ ...s, values: Float32Array.from({ length: 30 }, (_, t) => -t), mask: new Uint8Array(30).fill(1) }] };
  const [batch] = [...batches(panel, { lookback: 4, horizon: 2, batchSize: 2, calendar: true, covariates })];
  assert.equal(batch.calendarNames, ['HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assert.is(batch.contextCalendar!.length, 2 * 4 * 4);
  assert.is(batch.targetCalendar!.length, 2 * 2 * 4);
  // Window 1's target starts at row 5: 05:00 on 2016-07-01.
  assert.ok(Math.abs(batch.targetCalendar![(1 * 2 + 0) * 4] - (5 / 23 - 0.5)) < 1e-6);
  assert.equal(Array.from(batch.contextCovariates!.subarray(4, 8)), [-1, -2, -3, -4]);
  assert.equal(Array.from(batch.targetCovariates!.subarray(2, 4)), [-5, -6]);
});

test.run();
