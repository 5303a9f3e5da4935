/**
 * `chronoscale forecast` and `chronoscale backtest` end to end on small generated CSV files:
 * the files they write, their columns and row counts, timestamps that continue the data, and
 * the printed summary and metric table.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePanel } from '../../index.ts';
import { chronoscale } from './spawn.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
let dir = '';

/** Two hourly series (10 and 8 days) with a daily cycle, in the long layout. */
function hourlyCsv(): string {
  const lines = ['unique_id,ds,y'];
  for (const [id, days, level] of [
    ['north', 10, 20],
    ['south', 8, 5],
  ] as const) {
    for (let t = 0; t < days * 24; t++) {
      const time = new Date(START + t * HOUR).toISOString().slice(0, 19).replace('T', ' ');
      lines.push(`${id},${time},${(level + 3 * Math.sin((2 * Math.PI * t) / 24) + 0.2 * Math.cos(t)).toFixed(3)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One daily series in the wide layout with an extra column to leave out. */
function dailyWideCsv(): string {
  const lines = ['when,temperature,load'];
  for (let d = 0; d < 120; d++) {
    const day = new Date(START + d * 24 * HOUR).toISOString().slice(0, 10);
    lines.push(`${day},${(10 + Math.sin(d / 9)).toFixed(2)},${(100 + 10 * (d % 7 < 5 ? 1 : -1) + d * 0.1).toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.split(','));

test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-cli-'));
  await writeFile(path.join(dir, 'hourly.csv'), hourlyCsv());
  await writeFile(path.join(dir, 'daily.csv'), dailyWideCsv());
});
test.after(() => rm(dir, { recursive: true, force: true }));

test('forecast writes the forecast table, its plot and a report, continuing each series', async () => {
  const out = path.join(dir, 'forecast-out');
  const ran = await chronoscale(
    'forecast',
    '--data',
    path.join(dir, 'hourly.csv'),
    '--horizon',
    '12',
    '--model',
    'ridgeLinear,seasonalNaive',
    '--model',
    'dlinear',
    '--max-steps',
    '5',
    '--progress',
    'silent',
    '--out',
    out,
  );
  assert.is(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /2 series × 1 channel \(y\), frequency h/);
  assert.match(ran.stdout, /models\s+RidgeLinear, SeasonalNaive, DLinear; horizon 12, lookback 48 \(default\), season 24 \(default for frequency h\)/);
  assert.match(ran.stdout, /wrote\s+\S*forecast\.csv \(24 rows: unique_id, ds, RidgeLinear, SeasonalNaive, DLinear\)/);

  const text = await readFile(path.join(out, 'forecast.csv'), 'utf8');
  const [header, ...rows] = csvRows(text);
  assert.equal(header, ['unique_id', 'ds', 'RidgeLinear', 'SeasonalNaive', 'DLinear']);
  assert.is(rows.length, 24);
  assert.equal(rows[0].slice(0, 2), ['north', `${new Date(START + 240 * HOUR).toISOString().slice(0, 19)}Z`], 'north continues after its 240 hours');
  assert.equal(rows[12].slice(0, 2), ['south', `${new Date(START + 192 * HOUR).toISOString().slice(0, 19)}Z`], 'south continues after its 192 hours');
  for (const row of rows) for (const cell of row.slice(2)) assert.ok(Number.isFinite(Number(cell)), `a number: ${cell}`);
  // The file reads back with the library's own loader (one timestamp format throughout).
  const back = parsePanel(text, { targetColumns: 'RidgeLinear' }).panel;
  assert.is(back.series.length, 2);
  assert.is(back.series[0].time[0], START + 240 * HOUR);

  const svg = await readFile(path.join(out, 'forecast.svg'), 'utf8');
  assert.ok(svg.startsWith('<svg') && svg.includes("Forecast of 'north'"), 'an SVG of the first series');
  const html = await readFile(path.join(out, 'report.html'), 'utf8');
  assert.ok(html.includes('<svg') && html.includes('<table'), 'the report inlines the plot and the table');
});

test('backtest prints the metric table and writes per-window forecasts, their plot and a report', async () => {
  const out = path.join(dir, 'backtest-out');
  const ran = await chronoscale('backtest', '--data', path.join(dir, 'hourly.csv'), '--horizon', '12', '--windows', '3', '--step', '6', '--out', out);
  assert.is(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /backtest\s+3 windows of 12 steps every 6, fitted once/);
  assert.match(ran.stdout, /model\s+mae\s+rmse\s+smape\s+mase\n/);
  assert.match(ran.stdout, /\nRidgeLinear\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\n/);
  assert.match(ran.stdout, /\nSeasonalNaive\s+[\d.]+/);

  const [header, ...rows] = csvRows(await readFile(path.join(out, 'backtest.csv'), 'utf8'));
  assert.equal(header, ['unique_id', 'ds', 'cutoff', 'y', 'RidgeLinear', 'SeasonalNaive']);
  assert.is(rows.length, 2 * 3 * 12, 'series × windows × horizon');
  // The last window of 'north' ends at its last observation; its cutoff is 12 steps before.
  const last = rows.filter((r) => r[0] === 'north').at(-1)!;
  assert.is(last[1], `${new Date(START + 239 * HOUR).toISOString().slice(0, 19)}Z`);
  assert.is(last[2], `${new Date(START + 227 * HOUR).toISOString().slice(0, 19)}Z`);
  assert.ok((await readFile(path.join(out, 'backtest.svg'), 'utf8')).includes('3 windows'));
  assert.ok(existsSync(path.join(out, 'report.html')));
});

test('wide files: --layout, --time-col and --target pick the column, and daily data get a weekly season', async () => {
  const out = path.join(dir, 'wide-out');
  const ran = await chronoscale(
    'forecast',
    '--data',
    path.join(dir, 'daily.csv'),
    '--layout',
    'wide',
    '--time-col',
    'when',
    '--target',
    'load',
    '--horizon',
    '7',
    '--out',
    out,
  );
  assert.is(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /1 series × 1 channel \(load\), frequency D, 120 steps/);
  assert.match(ran.stdout, /lookback 28 \(default\), season 7 \(default for frequency D\)/);
  const [header, first] = csvRows(await readFile(path.join(out, 'forecast.csv'), 'utf8'));
  assert.equal(header, ['unique_id', 'ds', 'RidgeLinear', 'SeasonalNaive']);
  assert.equal(first.slice(0, 2), ['daily', '2024-04-30'], 'dates stay dates');
});

test.run();
