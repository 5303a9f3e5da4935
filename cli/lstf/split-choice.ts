/**
 * Which train/validation/test split a long-horizon run uses, and why. The ETT borders
 * (12/4/4 months of 30 days, in hours or in 15-minute steps) belong to the ETT files; Time-
 * Series-Library splits every other file 7:1:2 by rows (Dataset_Custom). So `auto` takes the
 * ETT borders only for a file that is an ETT set by name and by step, and 7:1:2 otherwise; an
 * explicit `--split` is checked against the data's step and length, never applied blindly.
 */
import { formatFrequency, type Frequency } from '../../index.ts';
import { tslibRatios, type SplitProtocol, type SplitRatios } from '../../src/data/splits.ts';
import { stepWord, type ReferenceDataset } from './datasets.ts';

/** The splits by name, as `--split` spells them. */
export type SplitName = 'ett-hour' | 'ett-minute' | 'ratio';

/** A split asked for: a name, with fractions for the ratio split. */
export interface SplitSpec {
  name: SplitName;
  /** Train and test fractions (ratio only). */
  ratios?: SplitRatios;
}

/** The split a run uses: what to pass to runLongHorizon, a label for tables and file names, and the reason. */
export interface SplitChoice extends SplitSpec {
  protocol: SplitProtocol;
  /** `ett-hour`, `ett-minute`, `ratio 0.7/0.1/0.2`. */
  label: string;
  /** What the split is, e.g. `12/4/4 months of 30 days in hourly rows (ETT's borders)`. */
  about: string;
  /** Why this split: `asked for with --split`, or `chosen as <the data's identity>`. */
  reason: string;
}

/** The ETT borders: the step they count in, and the rows they need (20 months of 30 days). */
const ettSplits = {
  'ett-hour': { protocol: 'ETTh', frequency: 'h', rows: 20 * 30 * 24, unit: 'hourly' },
  'ett-minute': { protocol: 'ETTm', frequency: '15min', rows: 20 * 30 * 24 * 4, unit: '15-minute' },
} as const;

/** `--split` values, for the help text. */
export const splitHelp = `auto (default), ett-hour, ett-minute, ratio (7:1:2) or ratio:TRAIN,VAL,TEST`;

/**
 * Parses `--split`: `auto` (undefined), `ett-hour`, `ett-minute`, `ratio` or
 * `ratio:0.6,0.2,0.2` (three positive fractions that add up to 1). Throws an Error whose
 * message is the usage problem.
 */
export function parseSplit(text: string): SplitSpec | undefined {
  if (text === 'auto') return undefined;
  if (text === 'ett-hour' || text === 'ett-minute') return { name: text };
  if (text === 'ratio') return { name: 'ratio', ratios: tslibRatios };
  const m = /^ratio:(.*)$/.exec(text);
  if (!m) throw new Error(`--split ${text} is not one of ${splitHelp}`);
  const parts = m[1].split(',').map((s) => s.trim());
  const fractions = parts.map(Number);
  if (parts.length !== 3 || parts.some((p) => p === '') || fractions.some((f) => !(f > 0 && f < 1))) {
    throw new Error(`--split ${text}: write three fractions between 0 and 1 for train, validation and test, e.g. ratio:0.7,0.1,0.2`);
  }
  const [train, val, test] = fractions;
  if (Math.abs(train + val + test - 1) > 1e-9) throw new Error(`--split ${text}: the fractions add up to ${Number((train + val + test).toFixed(9))}, not 1`);
  return { name: 'ratio', ratios: { train, test } };
}

/** `ratio 0.7/0.1/0.2`; the validation share printed to the precision of the others. */
function ratioLabel({ train, test }: SplitRatios): string {
  const digits = Math.max(...[train, test].map((f) => (String(f).split('.')[1] ?? '').length));
  return `ratio ${train}/${Number((1 - train - test).toFixed(digits))}/${test}`;
}

const sameRatios = (a: SplitRatios | undefined, b: SplitRatios): boolean => a !== undefined && a.train === b.train && a.test === b.test;

/** The label of a reference data set's own split (`ett-hour`, `ratio 0.7/0.1/0.2`). */
export function standardSplitLabel(dataset: ReferenceDataset): string {
  return dataset.split === 'ratio' ? ratioLabel(tslibRatios) : dataset.split;
}

/** Whether a choice is the split the reference figures of `dataset` were computed with. */
export function isStandardSplit(choice: SplitSpec, dataset: ReferenceDataset): boolean {
  return choice.name === dataset.split && (choice.name !== 'ratio' || sameRatios(choice.ratios, tslibRatios));
}

/** What the split is chosen from. */
export interface SplitInput {
  /** `--split`, parsed; undefined for auto. */
  requested: SplitSpec | undefined;
  /** The file, for messages. */
  file: string;
  /** The reference data set the file is, by name and step; undefined for any other data. */
  dataset: ReferenceDataset | undefined;
  /** Why the file is or is not a reference data set (one clause). */
  identity: string;
  frequency: Frequency;
  /** Rows of the shortest series. */
  rows: number;
}

/**
 * Chooses the split: the requested one after checking it fits the data, or by the data set.
 * Throws an Error naming the file and what to pass instead when the ETT borders do not fit.
 */
export function chooseSplit(input: SplitInput): SplitChoice {
  const { requested, dataset } = input;
  const step = formatFrequency(input.frequency);
  const spec: SplitSpec =
    requested ?? (dataset ? { name: dataset.split, ratios: dataset.split === 'ratio' ? tslibRatios : undefined } : { name: 'ratio', ratios: tslibRatios });
  const reason = requested ? 'asked for with --split' : `chosen as ${input.identity}`;
  if (spec.name === 'ratio') {
    const ratios = spec.ratios ?? tslibRatios;
    const tslib = sameRatios(ratios, tslibRatios) ? ", TSLib's split of data other than ETT" : '';
    return { name: 'ratio', ratios, protocol: 'ratio', label: ratioLabel(ratios), about: `train, validation, test by shares of the rows${tslib}`, reason };
  }
  const ett = ettSplits[spec.name];
  if (step !== ett.frequency) {
    const other = (Object.keys(ettSplits) as (keyof typeof ettSplits)[]).find((name) => ettSplits[name].frequency === step);
    const instead = other ? `--split ${other} or --split ratio` : '--split ratio';
    throw new Error(`--split ${spec.name} counts ${ett.unit} rows, but the rows of ${input.file} are ${stepWord(step)}: pass ${instead}`);
  }
  if (input.rows < ett.rows) {
    throw new Error(
      `${input.file} has ${input.rows.toLocaleString('en-US')} rows; the ${spec.name} split needs ${ett.rows.toLocaleString('en-US')} (20 months of 30 days): pass --split ratio`,
    );
  }
  return { name: spec.name, protocol: ett.protocol, label: spec.name, about: `12/4/4 months of 30 days in ${ett.unit} rows, ETT's borders`, reason };
}
