/**
 * The name of a run's record, so that runs of different data or settings never replace each
 * other's: `<file stem>-<model>`, then a suffix for what is not the data's default: `-15min`
 * (data only named like a reference data set: what differs), `-H96_192` (horizons), `-L104`
 * (lookback), `-ratio-0.6-0.2-0.2` (a split other than the data's own). ETTh1-ridgeLinear is thus
 * only ever the ETTh1 data under the ETT split at L=336 and all four horizons.
 */
import type { LstfDataset } from './datasets.ts';

/** What a record's name is made of. */
export interface ResultNameParts {
  /** The data file's stem (fileStem). */
  stem: string;
  /** The model as the CLI spells it. */
  model: string;
  /** The data set's defaults (lookback, horizons). */
  dataset: LstfDataset;
  horizons: readonly number[];
  lookback: number;
  /** The split's label (`ett-hour`, `ratio 0.6/0.2/0.2`). */
  split: string;
  /**
   * The split that takes no suffix: the own split of the reference data set the stem names
   * (even for other data of that name), else the one chosen without --split.
   */
  plainSplit: string | undefined;
  /** For data only named like a reference data set, what differs (DatasetIdentity.otherData). */
  otherData?: string;
}

/** `ETTh1-ridgeLinear`, `ETTh1-dlinear-H96`, `weather-ridgeLinear-L96-ratio-0.6-0.2-0.2`. */
export function resultName(parts: ResultNameParts): string {
  const { dataset, horizons, lookback, split } = parts;
  const suffixes: string[] = parts.otherData ? [parts.otherData] : [];
  const defaultHorizons = horizons.length === dataset.horizons.length && horizons.every((h, i) => h === dataset.horizons[i]);
  if (!defaultHorizons) suffixes.push(`H${horizons.join('_')}`);
  if (lookback !== dataset.lookback) suffixes.push(`L${lookback}`);
  if (split !== parts.plainSplit) suffixes.push(split.replace(/[ /]/g, '-'));
  return [parts.stem, parts.model, ...suffixes].join('-');
}
