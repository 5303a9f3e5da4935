/**
 * `chronoscale demo` (`npm start`): a complete forecasting workflow on real data in about a
 * minute on two cores. Daily US births have a strong weekly cycle, a yearly one and holiday
 * dips, so a model that reads a year of context should beat the weekly seasonal naive.
 *
 *   1. choose: RidgeLinear (closed-form ridge) vs DLinear on 8 windows BEFORE the evaluation period,
 *      so the choice does not peek at the windows it is judged on;
 *   2. evaluate: the chosen model vs seasonal naive (period 7) on the last 8 windows of 28 days;
 *   3. forecast: refit on everything and forecast the 28 days after 1988-12-31;
 *   4. write plots (forecast, backtest, multi-resolution scales), CSVs and an HTML report.
 */
import {
  DLinear,
  Forecast,
  RidgeLinear,
  SeasonalNaive,
  formatMetricTable,
  init,
  sliceSeries,
  tableToPanel,
  type MetricName,
  type Panel,
  type ProgressMode,
  type SeriesForecaster,
} from '../index.ts';
import { manualSeed } from '../src/engine.ts';
import { FlagReader, parseCommandArgs } from './args.ts';
import { birthsPackage, loadBirths } from './births.ts';
import { writeDemoOutputs, type DemoResults } from './demo-report.ts';
import { formatTime } from './outputs.ts';
import { readRunFlags, runFlags } from './run-options.ts';

/** `chronoscale demo --help`. */
export const demoHelp = `chronoscale demo [--out DIR] [--quick] [--progress MODE] [--backend NAME] [--threads N]

Forecasts daily US births (CDC/NCHS 1969–1988, 7,305 days, bundled with the package) 28 days
ahead: chooses between the closed-form RidgeLinear model and DLinear on a backtest, backtests the
choice against seasonal naive over the last 8 windows of 28 days (MAE, RMSE, sMAPE, MASE),
forecasts the 28 days after the data, and writes forecast.svg, backtest.svg, scales.svg,
forecast.csv, backtest.csv and report.html into --out (default ./chronoscale-out).
About a minute on 2 cores; --quick runs a small version in seconds (for tests).`;

const metrics: readonly MetricName[] = ['mae', 'rmse', 'smape', 'mase'];
const SEASON = 7;

/** The demo's settings; `quick` keeps every stage but makes each one tiny. */
function settingsFor(quick: boolean) {
  return {
    horizon: 28,
    // 56 weeks: the same dates a year back, plus a horizon of context around them.
    lookback: quick ? 56 : 392,
    // Early stopping on the last year of each training part, so one decision sees every season.
    validation: quick ? 28 : 364,
    windows: quick ? 2 : 8,
    maxSteps: quick ? 20 : undefined,
  };
}

/** Runs `chronoscale demo` on `argv`; returns the exit status. */
export async function demo(argv: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...runFlags, quick: { type: 'boolean' } }, demoHelp);
  if (values.help) {
    print(demoHelp);
    return 0;
  }
  const run = readRunFlags(values, new FlagReader(demoHelp));
  const s = settingsFor(values.quick ?? false);
  // Training progress would interleave with the tables; show it only as a bar on a terminal.
  const progress: ProgressMode = values.progress === undefined ? (process.stderr.isTTY ? 'bar' : 'silent') : run.fit.progress!;
  const fit = { progress, maxSteps: s.maxSteps, validation: s.validation };
  // performance.now() counts from the process start, so this includes start-up (loading the code).
  const elapsed = () => `${(performance.now() / 1000).toFixed(1)} s`;
  manualSeed(0);

  const backend = await init(run.engine);
  const panel = tableToPanel(await loadBirths(), { targetColumns: 'births', frequency: 'D' }).panel;
  const series = panel.series[0];
  const n = series.time.length;
  print(`chronoscale demo: US daily births, ${s.horizon}-day forecasts${values.quick ? ' (quick mode)' : ''}`);
  print(`backend   ${backend.describe()}`);
  print(`data      ${n.toLocaleString('en-US')} days, ${formatTime(series.time[0])} → ${formatTime(series.time[n - 1])} (${birthsPackage})`);
  print(`settings  horizon ${s.horizon} days, lookback ${s.lookback} days, early stopping on the last ${s.validation} days of each training part`);

  const models = {
    RidgeLinear: () => new RidgeLinear({ lookback: s.lookback, horizon: s.horizon }),
    DLinear: () => new DLinear({ lookback: s.lookback, horizon: s.horizon }),
  } satisfies Record<string, () => SeriesForecaster>;
  const backtest = (data: Panel, candidates: SeriesForecaster[]) =>
    new Forecast({ models: candidates }).crossValidation(data, { windows: s.windows, period: SEASON, metrics, fit });
  const cutoffs = (cv: { windows: { cutoffs: Float64Array }[] }) =>
    `cutoffs ${formatTime(cv.windows[0].cutoffs[0])} … ${formatTime(cv.windows.at(-1)!.cutoffs[0])}`;

  // 1. Model choice on the windows just before the evaluation period.
  const evaluationSteps = s.windows * s.horizon;
  const early: Panel = { ...panel, series: [sliceSeries(series, 1, [0, n - evaluationSteps])] };
  const selection = await backtest(early, [models.RidgeLinear(), models.DLinear()]);
  const [first, second] = [...selection.metrics].sort((a, b) => Number(a.mae) - Number(b.mae));
  const best = first.model as keyof typeof models;
  const margin = 1 - Number(first.mae) / Number(second.mae);
  print('');
  print(`1. Model choice: ${s.windows} windows of ${s.horizon} days before the evaluation period (${cutoffs(selection)})`);
  print(indent(formatMetricTable(selection.metrics)));
  print(`   → ${best}: MAE ${(100 * margin).toFixed(1)}% below ${second.model}'s${margin < 0.02 ? ' (a near tie: either would do)' : ''}   [${elapsed()}]`);

  // 2. The choice against seasonal naive on the last windows, which step 1 never saw.
  const seasonal = () => new SeasonalNaive({ horizon: s.horizon, season: SEASON });
  const evaluation = await backtest(panel, [models[best](), seasonal()]);
  const [ours, naive] = evaluation.metrics;
  print('');
  print(
    `2. Backtest of ${best} against seasonal naive (period ${SEASON}): the last ${s.windows} windows of ${s.horizon} days (${cutoffs(evaluation)}), fitted once`,
  );
  print(indent(formatMetricTable(evaluation.metrics)));
  print(
    `   ${best}: MAE ${relativeChange(Number(ours.mae), Number(naive.mae))} seasonal naive's; MASE ${Number(ours.mase).toFixed(2)}, ` +
      `i.e. ${Number(ours.mase) < 1 ? 'smaller' : 'larger'} errors than the weekly naive forecast makes in-sample   [${elapsed()}]`,
  );

  // 3. Refit on all data (same procedure as evaluated) and forecast past the end.
  const final = new Forecast({ models: [models[best](), seasonal()] });
  await final.fit(panel, fit);
  const result = await final.predict();
  const forecast = result.get(best, series.id);
  print('');
  print(`3. Forecast by ${best}, refitted on all ${n.toLocaleString('en-US')} days: births per day`);
  for (const line of weekGrid(forecast.time!, forecast.point.values)) print(`   ${line}`);

  const results: DemoResults = { panel, best, selection, evaluation, result, backend: backend.describe(), settings: s };
  const written = await writeDemoOutputs(run.outDir, results, elapsed);
  print('');
  print(`wrote     ${written.join('\n          ')}`);
  print(`done in ${elapsed()} (wall time since the process started; the budget is about 2 minutes on 2 cores)`);
  return 0;
}

const indent = (text: string) => text.replace(/^/gm, '   ');

/** `23% below` / `5% above`: a compared with b. */
function relativeChange(a: number, b: number): string {
  const percent = Math.round(100 * (a / b - 1));
  return `${Math.abs(percent)}% ${percent <= 0 ? 'below' : 'above'}`;
}

/** The forecast as weeks × weekdays, which shows the weekly cycle at a glance. */
function weekGrid(time: Float64Array, values: Float32Array): string[] {
  const day = (t: number) => new Date(t).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const header = ['week from ', ...Array.from({ length: 7 }, (_, i) => day(time[i]).padStart(8))].join('');
  const rows: string[] = [];
  for (let w = 0; w * 7 < values.length; w++) {
    const cells = Array.from(values.subarray(w * 7, w * 7 + 7), (v) => Math.round(v).toLocaleString('en-US').padStart(8));
    rows.push(`${formatTime(time[w * 7])}${cells.join('')}`);
  }
  return [header, ...rows];
}
