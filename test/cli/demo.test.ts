/**
 * `chronoscale demo --quick`: every stage of `npm start` (model choice, backtest against
 * seasonal naive, forecast, plots and report) on the bundled births data, made small.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chronoscale } from './spawn.ts';

test('the quick demo runs every stage and writes its plots, tables and report', async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-demo-'));
  try {
    const ran = await chronoscale('demo', '--quick', '--out', out);
    assert.is(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /backend\s+gpu\.js \w+/);
    assert.match(ran.stdout, /data\s+7,305 days, 1969-01-01 → 1988-12-31/);
    assert.match(ran.stdout, /1\. Model choice: .*\n.*model\s+mae\s+rmse\s+smape\s+mase/);
    assert.match(ran.stdout, /\n\s+RidgeLinear\s+[\d.]+/);
    assert.match(ran.stdout, /\n\s+DLinear\s+[\d.]+/);
    assert.match(ran.stdout, /2\. Backtest of (RidgeLinear|DLinear) against seasonal naive \(period 7\)/);
    assert.match(ran.stdout, /\n\s+SeasonalNaive\s+[\d.]+/);
    assert.match(ran.stdout, /3\. Forecast by (RidgeLinear|DLinear)/);
    assert.match(ran.stdout, /1989-01-01\s+[\d,]+/, 'the forecast starts the day after the data');
    assert.match(ran.stdout, /done in [\d.]+ s/);
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    assert.is((html.match(/<svg/g) ?? []).length, 3, 'forecast, backtest and scales plots in the report');
    for (const file of ['forecast.svg', 'backtest.svg', 'scales.svg']) assert.ok((await readFile(path.join(out, file), 'utf8')).startsWith('<svg'), file);
    const forecast = (await readFile(path.join(out, 'forecast.csv'), 'utf8')).trim().split('\n');
    assert.is(forecast.length, 1 + 28);
    assert.match(forecast[0], /^unique_id,ds,(RidgeLinear|DLinear),SeasonalNaive$/);
    assert.match(forecast[1], /^US births,1989-01-01,/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test.run();
