/**
 * The pipeline on the real benchmark files in ../shared/data/forecasting (absent in a fresh
 * clone: then each check prints a `note:` line and is skipped). Expected OT statistics were
 * computed independently (Python, float64 over the CSV text) on the same train rows.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StandardScaler, batchCount, calendarFeatures, formatFrequency, loadPanel, protocolFor, splitPanel, windowCount } from '../../src/data/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.resolve(root, '../shared/data/forecasting');

interface Expectation {
  file: string;
  rows: number;
  channels: number;
  frequency: string;
  ranges: { train: [number, number]; val: [number, number]; test: [number, number] };
  windows: [train: number, val: number, test: number];
  /** Train-split OT mean and population std. */
  ot: [mean: number, std: number];
  timeFormat: string;
}

const L = 336;
const H = 96;

const EXPECTED: Expectation[] = [
  {
    file: 'ETTh1.csv',
    rows: 17_420,
    channels: 7,
    frequency: 'h',
    ranges: { train: [0, 8640], val: [8640 - L, 11520], test: [11520 - L, 14400] },
    windows: [8209, 2785, 2785],
    ot: [17.1282616982271, 9.176491024944383],
    timeFormat: 'YYYY-MM-DD HH:MM:SS',
  },
  {
    file: 'ETTm1.csv.gz',
    rows: 69_680,
    channels: 7,
    frequency: '15min',
    ranges: { train: [0, 34560], val: [34560 - L, 46080], test: [46080 - L, 57600] },
    windows: [34129, 11425, 11425],
    ot: [17.12495024489946, 9.17303527390826],
    timeFormat: 'YYYY-MM-DD HH:MM:SS',
  },
  {
    file: 'exchange_rate.csv',
    rows: 7_588,
    channels: 8,
    frequency: 'D',
    ranges: { train: [0, 5311], val: [5311 - L, 6071], test: [6071 - L, 7588] },
    windows: [4880, 665, 1422],
    ot: [0.604824868574655, 0.09529949685465598],
    timeFormat: 'YYYY/M/D H:MM',
  },
];

for (const expected of EXPECTED) {
  const file = path.join(dataDir, expected.file);
  test(`${expected.file} loads with the published shape, frequency, borders and window counts`, async () => {
    if (!existsSync(file)) {
      console.log(`\nnote: skipped ${expected.file} checks: ${path.relative(root, file)} not found`);
      return;
    }
    const started = performance.now();
    const { panel, reports, repairs, timeFormat } = await loadPanel(file);
    const seconds = (performance.now() - started) / 1000;
    const [series] = panel.series;
    assert.is(panel.series.length, 1);
    assert.is(series.time.length, expected.rows);
    assert.is(panel.channels.length, expected.channels);
    assert.is(panel.channels.at(-1), 'OT');
    assert.is(formatFrequency(panel.frequency), expected.frequency);
    assert.equal(reports[0].gaps, [], 'no gaps');
    assert.not.ok(reports[0].irregular);
    assert.equal(repairs, []);
    assert.match(timeFormat, expected.timeFormat);
    assert.ok(
      series.mask.every((m) => m === 1),
      'no missing values',
    );

    const splits = splitPanel(panel, { lookback: L, datasetName: expected.file });
    assert.is(splits.ranges[0].protocol, protocolFor(expected.file));
    assert.equal({ train: splits.ranges[0].train, val: splits.ranges[0].val, test: splits.ranges[0].test }, expected.ranges);
    const windows = [splits.train, splits.val, splits.test].map((part) => windowCount(part, { lookback: L, horizon: H }));
    assert.equal(windows, expected.windows);
    assert.is(batchCount(splits.test, { lookback: L, horizon: H, batchSize: 32 }), Math.ceil(expected.windows[2] / 32));

    const scaler = StandardScaler.fit(splits.train);
    const ot = panel.channels.length - 1;
    const [mean, std] = [scaler.mean[ot], scaler.std[ot]];
    console.log(`\nnote: ${expected.file}: ${expected.rows} rows loaded in ${seconds.toFixed(2)} s; train OT mean ${mean.toFixed(6)}, std ${std.toFixed(6)}`);
    assert.ok(Math.abs(mean - expected.ot[0]) < 1e-6 * Math.abs(expected.ot[0]), `OT mean ${mean}`);
    assert.ok(Math.abs(std - expected.ot[1]) < 1e-6 * expected.ot[1], `OT std ${std}`);
  });
}

test('ETTh1 calendar features start at Friday 2016-07-01 00:00', async () => {
  const file = path.join(dataDir, 'ETTh1.csv');
  if (!existsSync(file)) {
    console.log('\nnote: skipped ETTh1 calendar check: ../shared/data not found');
    return;
  }
  const { panel } = await loadPanel(file);
  const { values, names } = calendarFeatures(panel.series[0].time.subarray(0, 2), { frequency: panel.frequency, timeZone: panel.timeZone });
  assert.equal(names, ['HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  const expected = [-0.5, 4 / 6 - 0.5, -0.5, 182 / 365 - 0.5, 1 / 23 - 0.5, 4 / 6 - 0.5, -0.5, 182 / 365 - 0.5];
  expected.forEach((v, i) => assert.ok(Math.abs(values[i] - v) < 1e-6, `feature ${i}: ${values[i]} vs ${v}`));
});

test.run();
