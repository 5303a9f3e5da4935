/**
 * The long-horizon (LSTF) data sets of the Informer/Autoformer benchmarks that ship in
 * ../shared/data/forecasting, with the settings the reference uses for each
 * (reference/benchmarks.md §2.1–2.3, §2.5): lookback, horizons, and the seasonal period of
 * the seasonal-naive baseline.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const lstfDatasetNames = ['ETTh1', 'ETTh2', 'ETTm1', 'exchange_rate', 'national_illness'] as const;
export type LstfDatasetName = (typeof lstfDatasetNames)[number];

/** A data set and the reference's settings for it. */
export interface LstfDataset {
  name: LstfDatasetName;
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

const standardHorizons = [96, 192, 336, 720] as const;

/** The settings of each data set. */
export const lstfDatasets: Readonly<Record<LstfDatasetName, LstfDataset>> = {
  ETTh1: { name: 'ETTh1', file: 'ETTh1.csv', lookback: 336, horizons: standardHorizons, season: 24, about: 'electricity transformer, hourly, 7 channels; ETTh split 12/4/4 months' },
  ETTh2: { name: 'ETTh2', file: 'ETTh2.csv', lookback: 336, horizons: standardHorizons, season: 24, about: 'electricity transformer, hourly, 7 channels; ETTh split 12/4/4 months' },
  ETTm1: { name: 'ETTm1', file: 'ETTm1.csv.gz', lookback: 336, horizons: standardHorizons, season: 96, about: 'electricity transformer, every 15 minutes, 7 channels; ETTm split' },
  exchange_rate: { name: 'exchange_rate', file: 'exchange_rate.csv', lookback: 336, horizons: standardHorizons, season: 7, about: 'daily exchange rates of 8 countries; 70/10/20 split' },
  national_illness: { name: 'national_illness', file: 'national_illness.csv', lookback: 36, horizons: [24, 36, 48, 60], season: 52, about: 'weekly influenza-like illness (CDC), 7 channels; 70/10/20 split' },
};

/** The repository root (this file is benchmarks/lstf/datasets.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the data sets are unless `--data` says otherwise: ../shared/data/forecasting beside the checkout. */
export const defaultDataDir = path.resolve(repoRoot, '../shared/data/forecasting');

/** Where results are written unless told otherwise. */
export const defaultResultsDir = path.resolve(repoRoot, 'benchmarks/lstf/results');

/**
 * The file of a data set: `dataPath` may be the folder holding the files or the file itself.
 * Returns the path and whether it exists, so callers can name the missing path.
 */
export function datasetFile(dataset: LstfDataset, dataPath = defaultDataDir): { file: string; exists: boolean } {
  const isDir = existsSync(dataPath) && statSync(dataPath).isDirectory();
  const file = isDir || !path.extname(dataPath) ? path.join(dataPath, dataset.file) : dataPath;
  return { file, exists: existsSync(file) && statSync(file).isFile() };
}
