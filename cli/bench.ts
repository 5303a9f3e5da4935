/**
 * `chronoscale bench lstf` (also `npm run bench:lstf --`, which keeps its records in
 * benchmarks/lstf/results): the long-horizon benchmark of cli/lstf with flags, on the reference
 * data sets or any file. Flag names follow this CLI, with TSLib's `--seq-len` and `--pred-len`
 * accepted as aliases, since users reproducing papers type those.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataError, formatFrequency, init, loadPanel, type LoadResult, type RepairOptions } from '../index.ts';
import { FlagReader, parseCommandArgs } from './args.ts';
import {
  customDataset,
  datasetFile,
  datasetNamed,
  defaultDataDir,
  defaultResultsDir,
  fileStem,
  identifyDataset,
  isFolder,
  lstfDatasetNames,
  lstfDatasets,
  type LstfDatasetName,
} from './lstf/datasets.ts';
import { referencesFor } from './lstf/reference.ts';
import { formatRun, saveRun, splitLine } from './lstf/report.ts';
import { resultName } from './lstf/result-name.ts';
import { runLstf } from './lstf/runner.ts';
import { chooseSplit, isStandardSplit, parseSplit, standardSplitLabel, type SplitChoice, type SplitInput } from './lstf/split-choice.ts';
import { flagRemedies, repairOptions } from './data-options.ts';
import { displayPath } from './outputs.ts';
import { checkWeights, createModel, readModelKey } from './model-options.ts';
import { modelFamilies, modelKeys, type ModelFamily } from '../index.ts';
import { readRunFlags, runFlags } from './run-options.ts';

const relative = (p: string) => path.relative(process.cwd(), p) || '.';

/** The families that set their own benchmark context, for the help. */
const benchmarkContextHelp = modelKeys
  .filter((key) => (modelFamilies[key] as ModelFamily).benchmark)
  .map((key) => `${key}: its official context by horizon, ${(modelFamilies[key] as ModelFamily).benchmark!.lookback(96)} at H=96`)
  .join('; ');
const pretrainedHelp = modelKeys.filter((key) => (modelFamilies[key] as ModelFamily).pretrained).join(', ');

/** `chronoscale bench lstf --help`. */
export const benchHelp = `chronoscale bench lstf [--dataset NAME | --data PATH] [--model NAME] [--horizon H] [--split S]

The long-horizon forecasting benchmark (Informer/Autoformer data sets, or any file) by the
TSLib protocol: a train/validation/test split, z-scores from the training split, every test
window, MSE/MAE on the scaled values. Prints per horizon our MSE/MAE, the test windows and
train/test seconds; on a reference data set under its own split also the difference to the
reference of the same method, beside the reference baselines computed on these copies (naive,
seasonalNaive, ridgeLinear) and the published figures (DLinear, PatchTST) where they exist.

  --dataset NAME       ${lstfDatasetNames.join(', ')}
                       (default ETTh1), read from the --data folder
  --data PATH          the folder holding the data sets (default ${relative(defaultDataDir)}),
                       or any data file: CSV, TSV, JSON or Arrow, wide (a time column and one
                       column per channel), optionally gzipped
  --split S            auto (default), ett-hour, ett-minute, ratio (7:1:2) or
                       ratio:TRAIN,VAL,TEST (fractions adding up to 1). auto: a reference data
                       set's own split (ETT's 12/4/4-month borders in hourly or 15-minute
                       rows; 7:1:2 for exchange_rate and ILI) when the file is one by name,
                       step and row count; TSLib's 7:1:2 row split of custom data for any
                       other file. The choice and its reason are printed. An ETT split on rows
                       of another step is an error
  --repair WHAT        sort (rows out of time order), duplicates=first|last|mean (rows with
                       one timestamp); repeat or comma-separate for both: repair (reported)
                       instead of stopping, as in forecast and backtest
  --model NAME         ${modelKeys.join(', ')} (default ridgeLinear)
  --horizon H          one horizon or a comma list (default 96,192,336,720; ILI 24,36,48,60)
  --lookback L         context steps (default 336; ILI 36 — DLinear used 104;
                       ${benchmarkContextHelp})
  --season M           seasonal period of seasonalNaive (default 24 ETTh, 96 ETTm, 52 ILI, 7 exchange;
                       other files: a day of hourly or 15-minute rows, a week of days, …)
  --weights DIR|ID     the checkpoint of ${pretrainedHelp} (required with it): a Hugging Face folder or a
                       Hub id such as Maple728/TimeMoE-50M; the run follows the family's official
                       zero-shot protocol (for timeMoE run_eval's: univariate per channel, no
                       per-window normalisation); on ETTh1 the published TimeMoE-50M figures
                       stand beside ours
  --seq-len, --pred-len  TSLib names for --lookback and --horizon
  --json               print one JSON object with the figures on stdout (the table goes to stderr)
  --results DIR        where the record goes (default ${defaultResultsDir}; npm run bench:lstf:
                       benchmarks/lstf/results): <file>-<model>.json and .md, with -H<horizons>,
                       -L<lookback> and -<split> added for settings other than the data's
                       defaults, so another file or setting never replaces a record
  --max-steps N        cap on optimisation steps of trained models (${modelKeys.filter((key) => modelFamilies[key].trained).join(', ')})
  --progress MODE      auto, bar, lines or silent (training progress, on stderr)
  --backend NAME, --threads N

Examples:
  npm run bench:lstf -- --dataset ETTh1 --model dlinear --horizon 96
  npm run bench:lstf -- --data weather.csv --repair duplicates=mean --model ridgeLinear
  npm run bench:lstf -- --model timeMoE --weights checkpoints/TimeMoE-50M --horizon 96`;

const flagSpec = {
  dataset: { type: 'string' },
  model: { type: 'string' },
  horizon: { type: 'string' },
  'pred-len': { type: 'string' },
  lookback: { type: 'string' },
  'seq-len': { type: 'string' },
  season: { type: 'string' },
  weights: { type: 'string' },
  data: { type: 'string' },
  split: { type: 'string' },
  repair: { type: 'string', multiple: true },
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

  const modelName = values.model === undefined ? 'ridgeLinear' : readModelKey(values.model, flags);
  checkWeights([modelName], values.weights, flags);
  const family: ModelFamily = modelFamilies[modelName];
  const requested = values.split === undefined ? undefined : orFail(flags, () => parseSplit(values.split!));
  const repair = values.repair === undefined ? undefined : repairOptions(values.repair, flags);
  const horizons = values.horizon ?? values['pred-len'];
  const horizonFlag = horizons === undefined ? undefined : flags.list(horizons).map((h) => flags.requiredInteger('horizon', h));
  const lookbackFlag = flags.integer('lookback', values.lookback ?? values['seq-len']);
  const seasonFlag = flags.integer('season', values.season);
  const file = dataFile(flags, values.data, flags.choice('dataset', values.dataset, lstfDatasetNames));
  const run = readRunFlags(values, flags);

  const loaded = await load(file, repair);
  const { panel } = loaded;
  const stem = fileStem(file);
  const { dataset: known, identity, otherData } = identifyDataset(stem, panel);
  const splitInput: SplitInput = {
    requested,
    file: displayPath(file),
    dataset: known,
    identity,
    frequency: panel.frequency,
    rows: Math.min(...panel.series.map((s) => s.time.length)),
  };
  const split = orFail(flags, () => chooseSplit(splitInput));
  const dataset = known ?? customDataset(stem, file, panel);
  const standard = known !== undefined && isStandardSplit(split, known);
  const references = standard ? referencesFor(known.name) : [];
  const referenceNote = known === undefined ? identity : `${known.name}'s figures are for its ${known.split} split, not ${split.label}`;

  const horizonList = horizonFlag ?? dataset.horizons;
  const lookback = lookbackFlag ?? dataset.lookback;
  // A family with an official protocol of its own reads its context by horizon unless --lookback is given.
  const lookbackAt = (horizon: number) => lookbackFlag ?? family.benchmark?.lookback(horizon) ?? dataset.lookback;
  const lookbacks = [...new Set(horizonList.map(lookbackAt))];
  const season = seasonFlag ?? dataset.season;

  const backend = await init(run.engine);
  const report = values.json ? io.err : io.out;
  const lookbackText = lookbacks.length === 1 ? `lookback ${lookbacks[0]}` : `lookback ${horizonList.map((h) => `${lookbackAt(h)} at H=${h}`).join(', ')}`;
  report(`${dataset.name} (${dataset.about}): ${modelName}, ${lookbackText}, horizons ${horizonList.join(', ')}`);
  report(splitLine({ split }));
  if (family.benchmark) report(`note: ${family.benchmark.note}`);
  for (const note of dataNotes(loaded, displayPath(file))) report(note);
  const result = await runLstf({
    dataset,
    panel,
    file,
    split,
    references,
    referenceNote,
    horizons: horizonList,
    createModel: (horizon) =>
      createModel(modelName, {
        horizon,
        lookback: lookbackAt(horizon),
        season,
        benchmark: true,
        ...(values.weights === undefined ? {} : { weights: values.weights }),
      }),
    backend: backend.describe(),
    ...(values.weights === undefined ? {} : { weights: values.weights }),
    fit: run.fit,
    onRow: (row) =>
      io.err(
        `  H=${row.horizon}: MSE ${row.mse.toFixed(4)}, MAE ${row.mae.toFixed(4)} over ${row.testWindows} windows (train ${row.trainSeconds.toFixed(1)} s, test ${row.testSeconds.toFixed(1)} s)`,
      ),
  });
  report('');
  report(formatRun(result));
  // ETTh1's record names are kept for ETTh1 under its split: other data named ETTh1 get a suffix.
  const named = datasetNamed(stem);
  const plainSplit = named ? standardSplitLabel(named) : requested === undefined ? split.label : tryChoose({ ...splitInput, requested: undefined })?.label;
  const name = resultName({ stem: known?.name ?? stem, model: modelName, dataset, horizons: horizonList, lookback, split: split.label, plainSplit, otherData });
  const saved = await saveRun(result, values.results ?? defaultResultsDir, name);
  report(`\nwrote ${saved.map(displayPath).join(', ')}`);
  if (values.json) io.out(JSON.stringify(result));
  return 0;
}

/** Runs a parser whose Error message is a usage problem. */
function orFail<T>(flags: FlagReader, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return flags.fail((error as Error).message);
  }
}

/** The split the data get without --split; undefined where that would be an error (an ETT file too short). */
function tryChoose(input: SplitInput): SplitChoice | undefined {
  try {
    return chooseSplit(input);
  } catch {
    return undefined;
  }
}

/**
 * The file to run: `--data` as a file, or `--dataset` (default ETTh1) in the `--data` folder.
 * Both at once must agree, so that a file is never run under another data set's name.
 */
function dataFile(flags: FlagReader, data: string | undefined, name: LstfDatasetName | undefined): string {
  // An existing folder, or a path without an extension, is a folder of data sets.
  if (data === undefined || isFolder(data) || (!existsSync(data) && !path.extname(data))) {
    const dataset = lstfDatasets[name ?? 'ETTh1'];
    const { file, exists } = datasetFile(dataset, data ?? defaultDataDir);
    if (!exists) {
      flags.fail(
        `${dataset.name}: ${data === undefined ? relative(file) : file} not found. Pass --data with the folder (or file) of your copy; the reference data sets live in ../shared/data/forecasting beside the checkout`,
      );
    }
    return file;
  }
  if (!existsSync(data) || !statSync(data).isFile()) flags.fail(`--data ${data}: no such file`);
  const stem = fileStem(data);
  if (name !== undefined && stem.toLowerCase() !== name.toLowerCase()) {
    flags.fail(
      `--dataset ${name} and --data ${data} disagree: the file is named ${stem}. Drop --dataset to run the file under its own name, or pass the folder holding ${lstfDatasets[name].file}`,
    );
  }
  return data;
}

/** Loads the file, with the loader's hints in this command's terms. */
async function load(file: string, repair: RepairOptions | undefined): Promise<LoadResult> {
  try {
    return await loadPanel(file, repair ? { repair } : {});
  } catch (error) {
    throw error instanceof DataError ? error.restate((remedy) => flagRemedies[remedy]) : error;
  }
}

/** Lines on what the loader repaired and on gaps, which the protocol (rows, as TSLib) steps over. */
function dataNotes(loaded: LoadResult, file: string): string[] {
  const notes = loaded.repairs.map((r) => `repaired ${file}: ${r.message}`);
  const missing = loaded.reports.reduce((sum, r) => sum + r.missingSteps, 0);
  const gaps = loaded.reports.reduce((sum, r) => sum + r.gaps.length, 0);
  if (gaps > 0) {
    notes.push(
      `note: ${file} has ${gaps} gap${gaps === 1 ? '' : 's'} (${missing} missing ${formatFrequency(loaded.panel.frequency)} steps); the split and the windows count rows, as TSLib does, so windows span them`,
    );
  }
  return notes;
}
