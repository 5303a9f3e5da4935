/**
 * `chronoscale bench lstf` (also `npm run bench:lstf --`): the long-horizon benchmark of
 * benchmarks/lstf with flags. Flag names follow this CLI, with TSLib's `--seq-len` and
 * `--pred-len` accepted as aliases, since users reproducing papers type those.
 */
import path from 'node:path';
import { init } from '../index.ts';
import { datasetFile, defaultDataDir, defaultResultsDir, lstfDatasetNames, lstfDatasets } from '../benchmarks/lstf/datasets.ts';
import { formatRun, saveRun } from '../benchmarks/lstf/report.ts';
import { runLstf } from '../benchmarks/lstf/runner.ts';
import { FlagReader, UsageError, parseCommandArgs } from './args.ts';
import { displayPath } from './outputs.ts';
import { createModel, readModelKey } from './model-options.ts';
import { modelFamilies, modelKeys } from '../index.ts';
import { readRunFlags, runFlags } from './run-options.ts';

const relative = (p: string) => path.relative(process.cwd(), p) || '.';

/** `chronoscale bench lstf --help`. */
export const benchHelp = `chronoscale bench lstf [--dataset NAME] [--model NAME] [--horizon H] [--lookback L] [--data PATH]

The long-horizon forecasting benchmark (Informer/Autoformer data sets) by the TSLib protocol:
standard splits, z-scores from the training split, every test window, MSE/MAE on the scaled
values. Prints per horizon our MSE/MAE, the difference to the reference of the same method,
the test windows and train/test seconds, beside the reference baselines computed on these
copies (naive, seasonalNaive, ridgeLinear) and the published figures (DLinear, PatchTST) where they exist.

  --dataset NAME       ${lstfDatasetNames.join(', ')} (default ETTh1)
  --model NAME         ${modelKeys.join(', ')} (default ridgeLinear)
  --horizon H          one horizon or a comma list (default 96,192,336,720; ILI 24,36,48,60)
  --lookback L         context steps (default 336; ILI 36 — DLinear used 104)
  --season M           seasonal period of seasonalNaive (default 24 ETTh, 96 ETTm, 52 ILI, 7 exchange)
  --seq-len, --pred-len  TSLib names for --lookback and --horizon
  --data PATH          folder holding the data files, or the file itself
                       (default ${relative(defaultDataDir)})
  --json               print one JSON object with the figures on stdout (the table goes to stderr)
  --results DIR        where <dataset>-<model>.json and .md are written (default ${relative(defaultResultsDir)})
  --max-steps N        cap on optimisation steps of trained models (${modelKeys.filter((key) => modelFamilies[key].trained).join(', ')})
  --progress MODE      auto, bar, lines or silent (training progress, on stderr)
  --backend NAME, --threads N

Example:
  npm run bench:lstf -- --dataset ETTh1 --model dlinear --horizon 96`;

const flagSpec = {
  dataset: { type: 'string' },
  model: { type: 'string' },
  horizon: { type: 'string' },
  'pred-len': { type: 'string' },
  lookback: { type: 'string' },
  'seq-len': { type: 'string' },
  season: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  results: { type: 'string' },
  ...runFlags,
} as const;

export interface BenchOutput {
  /** Results (the table, or the JSON object with --json). */
  out: (line: string) => void;
  /** Progress, and the table when stdout carries JSON. */
  err: (line: string) => void;
}

/** Runs `chronoscale bench <suite>` on `argv` (the suite name first); returns the exit status. */
export async function bench(argv: string[], io: BenchOutput): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, flagSpec, benchHelp, { positionals: true });
  if (values.help) {
    io.out(benchHelp);
    return 0;
  }
  const flags = new FlagReader(benchHelp);
  const [suite, ...extra] = positionals;
  if (suite === undefined) flags.fail('name the benchmark: lstf');
  if (suite !== 'lstf') flags.fail(`unknown benchmark '${suite}' (there is: lstf)`);
  if (extra.length > 0) flags.fail(`unexpected argument '${extra[0]}'`);
  if (values.out !== undefined) flags.fail('--out is not used here; --results DIR sets where results go');

  const dataset = lstfDatasets[flags.choice('dataset', values.dataset, lstfDatasetNames) ?? 'ETTh1'];
  const modelName = values.model === undefined ? 'ridgeLinear' : readModelKey(values.model, flags);
  const horizons = values.horizon ?? values['pred-len'];
  const horizonList = horizons === undefined ? dataset.horizons : flags.list(horizons).map((h) => flags.requiredInteger('horizon', h));
  const lookback = flags.integer('lookback', values.lookback ?? values['seq-len']) ?? dataset.lookback;
  const season = flags.integer('season', values.season) ?? dataset.season;
  const run = readRunFlags(values, flags);
  const { file, exists } = datasetFile(dataset, values.data ?? defaultDataDir);
  if (!exists) {
    throw new UsageError(
      `${dataset.name}: ${values.data === undefined ? relative(file) : file} not found. Pass --data with the folder (or file) of your copy; the reference data sets live in ../shared/data/forecasting beside the checkout`,
      benchHelp,
    );
  }

  const backend = await init(run.engine);
  const report = values.json ? io.err : io.out;
  report(`${dataset.name} (${dataset.about}): ${modelName}, horizons ${horizonList.join(', ')}`);
  const result = await runLstf({
    dataset,
    file,
    horizons: horizonList,
    createModel: (horizon) => createModel(modelName, { horizon, lookback, season }),
    backend: backend.describe(),
    fit: run.fit,
    onRow: (row) => io.err(`  H=${row.horizon}: MSE ${row.mse.toFixed(4)}, MAE ${row.mae.toFixed(4)} over ${row.testWindows} windows (train ${row.trainSeconds.toFixed(1)} s, test ${row.testSeconds.toFixed(1)} s)`),
  });
  report('');
  report(formatRun(result));
  const saved = await saveRun(result, values.results ?? defaultResultsDir, `${dataset.name}-${modelName}`);
  report(`\nwrote ${saved.map(displayPath).join(', ')}`);
  if (values.json) io.out(JSON.stringify(result));
  return 0;
}
