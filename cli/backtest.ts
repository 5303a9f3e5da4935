/**
 * `chronoscale backtest`: rolling-origin cross-validation of models on a file. Prints the
 * metric table and writes the per-window forecasts, a plot of the first series' windows and
 * an HTML report.
 */
import { Forecast, formatMetricTable, init } from '../index.ts';
import { FlagReader, parseCommandArgs } from './args.ts';
import { dataFlags, dataHelp, describeData, readData } from './data-options.ts';
import { createModel, modelFlags, modelHelp, readModelFlags, resolveSettings } from './model-options.ts';
import { checkStepCaps, checkStepsFit } from './limits.ts';
import { csvText, formatTime, prepareOutDir, writeOutputs } from './outputs.ts';
import { backtestSvg } from './plots.ts';
import { readRunFlags, runFlags, runHelp } from './run-options.ts';

/** `chronoscale backtest --help`; its first line is the synopsis shown with usage errors. */
export const backtestHelp = `chronoscale backtest --data FILE --horizon H --windows N [options]

Forecasts H steps from N cutoffs at the end of every series of FILE and scores the forecasts
against what happened (MAE, RMSE, sMAPE, and MASE against the seasonal naive forecast).
The last cutoff leaves exactly H steps after it; earlier ones step back by --step. Writes
backtest.csv (unique_id, ds, cutoff, [channel,] y, one column per model), backtest.svg (the
first series) and report.html into --out.

Backtest:
  --windows N          number of cutoffs per series (required)
  --step S             steps between cutoffs (default H: windows do not overlap)
  --refit              refit the models at every cutoff (default: fit once, before the first)

${dataHelp}

${modelHelp}

${runHelp}

Example:
  chronoscale backtest --data sales.csv --horizon 28 --windows 8 --model ridgeLinear,dlinear,seasonalNaive`;

const flagSpec = {
  ...dataFlags,
  ...modelFlags,
  ...runFlags,
  windows: { type: 'string' },
  step: { type: 'string' },
  refit: { type: 'boolean' },
} as const;

/** Runs `chronoscale backtest` on `argv` (the arguments after the command name); returns the exit status. */
export async function backtest(argv: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(argv, flagSpec, backtestHelp);
  if (values.help) {
    print(backtestHelp);
    return 0;
  }
  const flags = new FlagReader(backtestHelp);
  const parsed = readModelFlags(values, flags);
  checkStepCaps(parsed, flags);
  const windows = flags.requiredInteger('windows', values.windows);
  const step = flags.integer('step', values.step) ?? parsed.horizon;
  const run = readRunFlags(values, flags);
  await prepareOutDir(run.outDir, flags);
  const backend = await init(run.engine);
  const data = await readData(values, flags);
  const { panel } = data;
  // Only the steps before the first cutoff are there to train on.
  const available = Math.min(...panel.series.map((s) => s.time.length)) - parsed.horizon - (windows - 1) * step;
  const settings = resolveSettings(parsed, { frequency: panel.frequency, available });
  checkStepsFit(
    settings,
    available,
    `--windows ${windows} of --horizon ${parsed.horizon}${step === parsed.horizon ? '' : ` every --step ${step}`} before the end of the shortest series`,
    flags,
  );
  const models = parsed.models.map((name) => createModel(name, settings));

  print(`data      ${describeData(data.path, panel)}`);
  for (const note of data.notes) print(`repaired  ${note}`);
  print(`models    ${models.map((m) => m.name).join(', ')}; ${settings.describe}`);
  print(`backend   ${backend.describe()}`);
  const started = performance.now();
  const cv = await new Forecast({ models }).crossValidation(panel, {
    windows,
    step,
    refit: values.refit ?? false,
    period: settings.season,
    metrics: ['mae', 'rmse', 'smape', 'mase'],
    fit: run.fit,
  });
  const seconds = (performance.now() - started) / 1000;
  const cutoffs = cv.windows.map((w) => w.cutoffs[0]);
  print(
    `backtest  ${windows} window${windows === 1 ? '' : 's'} of ${parsed.horizon} steps every ${step}, ${values.refit ? 'refitted at every cutoff' : 'fitted once'}; ` +
      `cutoffs of '${panel.series[0].id}' ${formatTime(cutoffs[0])} … ${formatTime(cutoffs[cutoffs.length - 1])}; ${seconds.toFixed(1)} s`,
  );
  print('');
  print(formatMetricTable(cv.metrics));
  print(`(errors pooled over windows, steps, series and channels; MASE scaled by the in-sample seasonal naive error, period ${settings.season})`);
  print('');

  const table = cv.toTable();
  const svg = await backtestSvg(cv);
  const written = await writeOutputs(
    run.outDir,
    { 'backtest.csv': csvText(table), 'backtest.svg': svg },
    {
      title: `Backtest on ${data.path}`,
      sections: [
        { heading: 'Data', text: describeData(data.path, panel) },
        {
          heading: 'Metrics',
          text:
            `${models.map((m) => m.name).join(', ')}; ${settings.describe}. ${windows} windows of ${parsed.horizon} steps every ${step} steps, ` +
            `${values.refit ? 'refitted at every cutoff' : 'fitted once before the first cutoff'}; ${seconds.toFixed(1)} s on ${backend.describe()}. ` +
            `MASE is scaled by the in-sample error of the seasonal naive forecast with period ${settings.season}.`,
          table: cv.metrics,
        },
        { heading: `Windows of '${panel.series[0].id}'`, svg },
      ],
    },
  );
  print(`wrote     ${written[0]} (${table.numRows()} rows: ${table.columnNames().join(', ')})`);
  for (const file of written.slice(1)) print(`          ${file}`);
  return 0;
}
