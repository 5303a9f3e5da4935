/**
 * The long-horizon (LSTF) data sets of the Informer/Autoformer benchmarks that ship in
 * ../shared/data/forecasting, with the settings the reference uses for each
 * (reference/benchmarks.md §2.1–2.3, §2.5): lookback, horizons, the seasonal period of the
 * seasonal-naive baseline, and the step and split the reference figures were computed with.
 * Any other file runs with the generic settings of `customDataset`.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFrequency, type Frequency, type Panel } from '../../index.ts';
import type { SplitName } from './split-choice.ts';

export const lstfDatasetNames = ['ETTh1', 'ETTh2', 'ETTm1', 'exchange_rate', 'national_illness'] as const;
export type LstfDatasetName = (typeof lstfDatasetNames)[number];

/** A data set and the reference's settings for it. */
export interface LstfDataset {
  /** A reference data set's name, or the file's stem for any other file. */
  name: string;
  /** File name in the data folder. */
  file: string;
  /** Default lookback L: 336 as DLinear/PatchTST, 36 for ILI as TSLib (104 is DLinear's ILI setting). */
  lookback: number;
  horizons: readonly number[];
  /** Seasonal period of the seasonal-naive baseline (the reference's; exchange_rate has none there). */
  season: number;
  /** One line on what the data are. */
  about: string;
}

/** A reference data set: also the step of its rows and the split its reference figures use. */
export interface ReferenceDataset extends LstfDataset {
  name: LstfDatasetName;
  /** Its rows' step as the loader infers it (`formatFrequency`): a file of this name with another step is other data. */
  frequency: string;
  /** Rows of the copy the reference figures were computed on: a file of this name with other rows is other data. */
  rows: number;
  /** The split of TSLib and of the reference figures. */
  split: SplitName;
}

const standardHorizons = [96, 192, 336, 720] as const;

/** The settings of each data set. */
export const lstfDatasets: Readonly<Record<LstfDatasetName, ReferenceDataset>> = {
  ETTh1: {
    name: 'ETTh1',
    rows: 17420,
    file: 'ETTh1.csv',
    frequency: 'h',
    split: 'ett-hour',
    lookback: 336,
    horizons: standardHorizons,
    season: 24,
    about: 'electricity transformer, hourly, 7 channels',
  },
  ETTh2: {
    name: 'ETTh2',
    rows: 17420,
    file: 'ETTh2.csv',
    frequency: 'h',
    split: 'ett-hour',
    lookback: 336,
    horizons: standardHorizons,
    season: 24,
    about: 'electricity transformer, hourly, 7 channels',
  },
  ETTm1: {
    name: 'ETTm1',
    rows: 69680,
    file: 'ETTm1.csv.gz',
    frequency: '15min',
    split: 'ett-minute',
    lookback: 336,
    horizons: standardHorizons,
    season: 96,
    about: 'electricity transformer, every 15 minutes, 7 channels',
  },
  exchange_rate: {
    name: 'exchange_rate',
    rows: 7588,
    file: 'exchange_rate.csv',
    frequency: 'D',
    split: 'ratio',
    lookback: 336,
    horizons: standardHorizons,
    season: 7,
    about: 'daily exchange rates of 8 countries',
  },
  national_illness: {
    name: 'national_illness',
    rows: 966,
    file: 'national_illness.csv',
    frequency: 'W',
    split: 'ratio',
    lookback: 36,
    horizons: [24, 36, 48, 60],
    season: 52,
    about: 'weekly influenza-like illness (CDC), 7 channels',
  },
};

/** The seasonal period snaive uses on other data: a day of hours or 15-minute steps, a week of days, a year of weeks or months; else 1 (naive). */
export function seasonOf(frequency: Frequency): number {
  const periods: Record<string, number> = { h: 24, '30min': 48, '15min': 96, '10min': 144, '5min': 288, D: 7, B: 5, W: 52, M: 12, Q: 4 };
  return periods[formatFrequency(frequency)] ?? 1;
}

/** The settings for a file that is not one of the reference data sets: TSLib's lookback and horizons. */
export function customDataset(stem: string, file: string, panel: Panel): LstfDataset {
  const { frequency, channels, series } = panel;
  const shape = `${series.length === 1 ? '' : `${series.length} series, `}${channels.length} channel${channels.length === 1 ? '' : 's'}`;
  return {
    name: stem,
    file: path.basename(file),
    lookback: 336,
    horizons: standardHorizons,
    season: seasonOf(frequency),
    about: `${stepWord(formatFrequency(frequency))} rows, ${shape}`,
  };
}

/** `…/ETTm1.csv.gz` → `ETTm1`, `my.data.csv` → `my.data`: the name without its format extension and `.gz`. */
export function fileStem(file: string): string {
  return path
    .basename(file)
    .replace(/\.gz$/i, '')
    .replace(/\.[^.]*$/, '');
}

/** The reference data set a file stem names (case aside), if any. */
export function datasetNamed(stem: string): ReferenceDataset | undefined {
  return Object.values(lstfDatasets).find((d) => d.name.toLowerCase() === stem.toLowerCase());
}

/** Which reference data set a file is, why (a clause for messages), and a tag for data only named like one. */
export interface DatasetIdentity {
  /** The reference data set the file is; undefined for other data. */
  dataset: ReferenceDataset | undefined;
  /** E.g. `the file is ETTh1 by its name, its hourly rows and their number`. */
  identity: string;
  /** For a file named like a reference data set that is other data: what differs (`15min`, `17000rows`), for record names. */
  otherData?: string;
}

/**
 * Which reference data set a file is: one named like it (case aside), one series whose rows
 * step as its rows do and are as many as in the reference copy. A file named ETTh1 with
 * 15-minute rows, or with a month cut off, is other data, and gets neither ETTh1's split nor
 * its reference figures.
 */
export function identifyDataset(stem: string, panel: Panel): DatasetIdentity {
  const named = datasetNamed(stem);
  if (!named) return { dataset: undefined, identity: `${stem} is none of the reference data sets (${lstfDatasetNames.join(', ')})` };
  const step = formatFrequency(panel.frequency);
  const other = (what: string, otherData: string): DatasetIdentity => ({
    dataset: undefined,
    identity: `the file is named ${named.name} but ${what}: other data`,
    otherData,
  });
  if (panel.series.length !== 1) return other(`holds ${panel.series.length} series where ${named.name} is one`, `${panel.series.length}series`);
  if (named.frequency !== step) return other(`its rows are ${stepWord(step)} where ${named.name}'s are ${stepWord(named.frequency)}`, step);
  const rows = panel.series[0].time.length;
  if (rows !== named.rows) return other(`has ${count(rows)} rows where the reference copy of ${named.name} has ${count(named.rows)}`, `${rows}rows`);
  return { dataset: named, identity: `the file is ${named.name} by its name, its ${stepWord(step)} rows and their number` };
}

const count = (n: number) => n.toLocaleString('en-US');

/** A step alias as an adjective: `h` → `hourly`, `15min` → `15-minute`, `D` → `daily`, `2W` → `2W-step`. */
export function stepWord(step: string): string {
  const words: Record<string, string> = {
    h: 'hourly',
    min: 'minutely',
    s: 'secondly',
    D: 'daily',
    B: 'business-daily',
    W: 'weekly',
    M: 'monthly',
    Q: 'quarterly',
    Y: 'yearly',
  };
  const units: Record<string, string> = { ms: 'millisecond', s: 'second', min: 'minute', h: 'hour' };
  const multiple = /^(\d+)(ms|s|min|h)$/.exec(step);
  return words[step] ?? (multiple ? `${multiple[1]}-${units[multiple[2]]}` : `${step}-step`);
}

/** The repository root (this file is cli/lstf/datasets.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the data sets are unless `--data` says otherwise: ../shared/data/forecasting beside the checkout. */
export const defaultDataDir = path.resolve(repoRoot, '../shared/data/forecasting');

/**
 * Where results are written unless `--results` says otherwise: beside the other outputs of the
 * CLI in the current directory (`npm run bench:lstf` passes benchmarks/lstf/results).
 */
export const defaultResultsDir = path.join('chronoscale-out', 'lstf');

/** Whether `p` is an existing folder. */
export const isFolder = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/**
 * The file of a data set in a folder. Returns the path and whether it exists, so callers can
 * name the missing path.
 */
export function datasetFile(dataset: LstfDataset, folder = defaultDataDir): { file: string; exists: boolean } {
  const file = path.join(folder, dataset.file);
  return { file, exists: existsSync(file) && statSync(file).isFile() };
}
