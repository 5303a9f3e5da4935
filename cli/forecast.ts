/**
 * `chronoscale forecast`: fit models on a file and forecast past its end. Writes the forecast
 * table (neuralforecast's columns), a plot of the first series and an HTML report.
 */
import { Forecast, init, type ReportTable } from '../index.ts';
import { FlagReader, parseCommandArgs } from './args.ts';
import { dataFlags, dataHelp, describeData, readData } from './data-options.ts';
import { createModel, modelFlags, modelHelp, readModelFlags, resolveSettings } from './model-options.ts';
import { checkStepCaps, checkStepsFit } from './limits.ts';
import { csvText, formatTime, prepareOutDir, writeOutputs } from './outputs.ts';
import { forecastSvg } from './plots.ts';
import { readRunFlags, runFlags, runHelp } from './run-options.ts';

/** `chronoscale forecast --help`; its first line is the synopsis shown with usage errors. */
export const forecastHelp = `chronoscale forecast --data FILE --horizon H [options]

Fits the models on every series of FILE and forecasts H steps past its end. Writes
forecast.csv (unique_id, ds, [channel,] one column per model), forecast.svg (the first
series) and report.html into --out.

${dataHelp}

${modelHelp}
  --level 80,90        interval levels in percent (probabilistic models only; none of the
                       built-in models is: see examples/backtest-quantiles.ts for conformal
                       intervals around a point model)

${runHelp}

Example:
  chronoscale forecast --data sales.csv --horizon 28 --model ridgeLinear,seasonalNaive --out out/sales`;

const flagSpec = { ...dataFlags, ...modelFlags, ...runFlags, level: { type: 'string' } } as const;

/** Rows of one series (and its first channel) for the report: times as text, numbers as they are. */
function reportRows(rows: readonly Record<string, unknown>[], id: string, channel: string): ReportTable {
  return rows
    .filter((row) => row.unique_id === id && (row.channel === undefined || row.channel === channel))
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? formatTime(v.getTime()) : (v as string | number)])));
}

/** Runs `chronoscale forecast` on `argv` (the arguments after the command name); returns the exit status. */
export async function forecast(argv: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(argv, flagSpec, forecastHelp);
  if (values.help) {
    print(forecastHelp);
    return 0;
  }
  const flags = new FlagReader(forecastHelp);
  const parsed = readModelFlags(values, flags);
  checkStepCaps(parsed, flags);
  const level = flags.numberList('level', values.level, [0, 100]);
  const run = readRunFlags(values, flags);
  await prepareOutDir(run.outDir, flags);
  const backend = await init(run.engine);
  const data = await readData(values, flags);
  const { panel } = data;
  const available = Math.min(...panel.series.map((s) => s.time.length));
  const settings = resolveSettings(parsed, { frequency: panel.frequency, available });
  const shortest = panel.series.find((s) => s.time.length === available)!;
  checkStepsFit(settings, available, panel.series.length > 1 ? `the shortest series ("${shortest.id}")` : 'the series', flags);
  const models = parsed.models.map((name) => createModel(name, settings));
  const pointOnly = models.filter((m) => m.capabilities.probabilistic === 'none').map((m) => m.name);
  if (level && pointOnly.length > 0) {
    flags.fail(
      `--level needs probabilistic models; ${pointOnly.join(', ')} give point forecasts only (for conformal intervals around them see examples/backtest-quantiles.ts)`,
    );
  }

  print(`data      ${describeData(data.path, panel)}`);
  for (const note of data.notes) print(`repaired  ${note}`);
  print(`models    ${models.map((m) => m.name).join(', ')}; ${settings.describe}`);
  print(`backend   ${backend.describe()}`);
  const started = performance.now();
  const fc = new Forecast({ models, data: data.options });
  await fc.fit(panel, run.fit);
  const result = await fc.predict({ level });
  const seconds = (performance.now() - started) / 1000;
  const first = result.get(result.models[0], panel.series[0].id).time!;
  print(`fitted    in ${seconds.toFixed(1)} s; forecast ${formatTime(first[0])} → ${formatTime(first[first.length - 1])}`);

  const table = result.toTable();
  const svg = await forecastSvg(result);
  const written = await writeOutputs(
    run.outDir,
    { 'forecast.csv': csvText(table), 'forecast.svg': svg },
    {
      title: `Forecast of ${data.path}`,
      sections: [
        { heading: 'Data', text: describeData(data.path, panel) },
        {
          heading: 'Models',
          text: `${models.map((m) => m.name).join(', ')}; ${settings.describe}. Fitted in ${seconds.toFixed(1)} s on ${backend.describe()}.`,
        },
        {
          heading: `Forecast of '${panel.series[0].id}'`,
          svg,
          table: reportRows(table.objects() as Record<string, unknown>[], panel.series[0].id, panel.channels[0]),
        },
      ],
    },
  );
  print(`wrote     ${written[0]} (${table.numRows()} rows: ${table.columnNames().join(', ')})`);
  for (const file of written.slice(1)) print(`          ${file}`);
  return 0;
}
