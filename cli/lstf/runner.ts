/**
 * The long-horizon benchmark run: one model on one data set at each horizon, by the TSLib
 * protocol (`runLongHorizon`: the chosen split, scaler fitted on the training split, every test
 * window, MSE/MAE on the scaled values), each result set beside the reference figures that
 * belong to the data and split (none for other data).
 */
import os from 'node:os';
import path from 'node:path';
import { runLongHorizon, type FitOptions, type FitSummary, type LongHorizonResult, type Panel, type SeriesForecaster } from '../../index.ts';
import { repoRoot, type LstfDataset } from './datasets.ts';
import { deterministicKinds, referenceKindOf, referenceLabel, type ReferenceRow } from './reference.ts';
import type { SplitChoice } from './split-choice.ts';

/** A reference figure at one horizon. */
export interface ReferenceFigure {
  label: string;
  mse: number;
  mae: number;
  source: string;
  detail?: string;
  note?: string;
  /** What makes small differences normal (ReferenceRow.differences). */
  differences?: string;
}

/** One horizon's result with its reference figures. */
export interface LstfRow extends LongHorizonResult {
  /** Every reference figure of the data set at this horizon (same order as `referenceLabels`). */
  references: (ReferenceFigure | null)[];
  /**
   * The figure of the same method and setting as our run (our Linear at L=336 ↔ reference
   * linear L=336), which a deterministic baseline must match; null when there is none.
   */
  counterpart: (ReferenceFigure & { deterministic: boolean }) | null;
  /** How a model trained by gradient steps trained, and its time per epoch; null for closed-form and rule-based models. */
  training: (FitSummary & { secondsPerEpoch: number }) | null;
}

/** The fit summary with the time of one pass over the training windows, at the measured time per step. */
function trainingOf(model: SeriesForecaster): LstfRow['training'] {
  const fit = model.lastFit;
  if (!fit || fit.steps === 0) return null;
  return { ...fit, secondsPerEpoch: (fit.seconds / fit.steps) * fit.stepsPerEpoch };
}

/** A whole run, as printed and as saved to JSON. */
export interface LstfRun {
  dataset: string;
  model: string;
  lookback: number;
  /** The data file, relative to the repository root. */
  file: string;
  protocol: string;
  /** The split (`ett-hour`, `ratio 0.7/0.1/0.2`), what it is and why it was chosen. */
  split: { label: string; about: string; reason: string };
  /** Why no reference figures are shown; null when they are. */
  referenceNote: string | null;
  /** The checkpoint a pretrained model was loaded from (`--weights`); absent for the others. */
  weights?: string;
  backend: string;
  machine: string;
  date: string;
  referenceLabels: string[];
  rows: LstfRow[];
}

/** What to run. */
export interface LstfOptions {
  dataset: LstfDataset;
  /** The data, loaded from `file`. */
  panel: Panel;
  /** The data file, for the record. */
  file: string;
  split: SplitChoice;
  /** The reference rows that belong to this data and split (empty for other data). */
  references: readonly ReferenceRow[];
  /** Why `references` is empty, for the report. */
  referenceNote?: string;
  horizons: readonly number[];
  /** A fresh model for a horizon. */
  createModel: (horizon: number) => SeriesForecaster;
  /** Engine description for the record, e.g. `backend.describe()`. */
  backend: string;
  /** The checkpoint of a pretrained model, for the record. */
  weights?: string;
  fit?: FitOptions;
  /** Called after each horizon (progress for long runs). */
  onRow?: (row: LstfRow) => void;
}

/** One line naming the protocol, printed above every table. */
export const protocolNote =
  'TSLib long-horizon protocol: features M, z-scores from the training split, every test window (no drop_last), MSE/MAE on scaled values';

function figureAt(row: ReferenceRow, horizon: number): ReferenceFigure | null {
  const pair = row.figures[horizon];
  return pair
    ? { label: referenceLabel(row), mse: pair[0], mae: pair[1], source: row.source, detail: row.detail, note: row.note, differences: row.differences }
    : null;
}

/** The reference row our model reproduces: same method, and the same lookback and season where they matter. */
function counterpartRow(rows: readonly ReferenceRow[], model: SeriesForecaster, horizon: number): ReferenceRow | undefined {
  const kind = referenceKindOf[model.name];
  const season = (model.config as { season?: number }).season;
  const sameContext = (row: ReferenceRow) =>
    row.contexts ? row.contexts[horizon] === model.lookback : row.lookback === null || row.lookback === model.lookback;
  return rows.find((row) => row.kind === kind && sameContext(row) && row.season === season);
}

/**
 * The data file as records name it: relative to the repository when inside it or beside it
 * (../shared/data/…), so committed records do not carry one machine's paths; absolute elsewhere.
 */
function recordPath(file: string): string {
  const relative = path.relative(repoRoot, file);
  return relative.split(path.sep).filter((part) => part === '..').length > 1 ? path.resolve(file) : relative;
}

/** Fits and scores a fresh model at each horizon. */
export async function runLstf(options: LstfOptions): Promise<LstfRun> {
  const { dataset, panel, file, horizons, split, references } = options;
  const rows: LstfRow[] = [];
  let model = '';
  let lookback = 0;
  for (const horizon of horizons) {
    const forecaster = options.createModel(horizon);
    const result = await runLongHorizon(panel, forecaster, { datasetName: dataset.name, protocol: split.protocol, ratios: split.ratios, fit: options.fit });
    ({ model, lookback } = result);
    const match = counterpartRow(references, forecaster, horizon);
    const figure = match && figureAt(match, horizon);
    const row: LstfRow = {
      ...result,
      references: references.map((r) => figureAt(r, horizon)),
      counterpart: figure ? { ...figure, deterministic: deterministicKinds.includes(match.kind) } : null,
      training: trainingOf(forecaster),
    };
    rows.push(row);
    options.onRow?.(row);
  }
  return {
    dataset: dataset.name,
    model,
    lookback,
    file: recordPath(file),
    protocol: protocolNote,
    split: { label: split.label, about: split.about, reason: split.reason },
    referenceNote: references.length > 0 ? null : (options.referenceNote ?? 'no reference figures for these data'),
    ...(options.weights === undefined ? {} : { weights: options.weights }),
    backend: options.backend,
    machine: `node ${process.version}, ${os.platform()} ${os.arch()}, ${os.availableParallelism()} cores`,
    date: new Date().toISOString(),
    referenceLabels: references.map(referenceLabel),
    rows,
  };
}
