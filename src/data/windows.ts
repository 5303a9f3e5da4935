/**
 * Sliding windows over the series of a (split) panel, and seeded batches of them.
 *
 * Window i of a series of n rows: context rows [i, i + L), target rows [i + L, i + L + H), for
 * i = 0, stride, 2·stride, … while i + L + H ≤ n: n − L − H + 1 windows at stride 1, TSLib's
 * count (`__len__`). Every window is used: the last, smaller batch is kept (TSLib's old
 * `drop_last=True` test loader silently dropped up to batchSize − 1 test windows).
 *
 * Shuffled order is a permutation drawn from (seed, epoch) alone, so a run that resumes after a
 * crash sees the same batches as one that did not (`fromBatch` skips those already done).
 */
import { Random, deriveSeed } from '../random.ts';
import { calendarFeatures, type CalendarFeature } from './calendar.ts';
import type { Panel, Series } from './types.ts';

export interface WindowOptions {
  /** Context length L (TSLib `seq_len`). */
  lookback: number;
  /** Target length H (TSLib `pred_len`). */
  horizon: number;
  /** Steps between window starts (default 1). */
  stride?: number;
}

/** Series and their channel count; a Panel is one. */
export type WindowSource = Pick<Panel, 'series' | 'channels'> & Partial<Pick<Panel, 'frequency' | 'timeZone'>>;

function checkWindow({ lookback, horizon, stride = 1 }: WindowOptions): void {
  for (const [name, v] of [
    ['lookback', lookback],
    ['horizon', horizon],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`windows: ${name} must be a positive integer, got ${v}`);
  }
}

/**
 * Windows in a series of `length` rows (⌊(n − L − H) / stride⌋ + 1, or 0 when n < L + H), or in
 * all series of a panel.
 */
export function windowCount(source: number | WindowSource, options: WindowOptions): number {
  checkWindow(options);
  if (typeof source !== 'number') return source.series.reduce((sum, s) => sum + windowCount(s.time.length, options), 0);
  const span = options.lookback + options.horizon;
  return source < span ? 0 : Math.floor((source - span) / (options.stride ?? 1)) + 1;
}

/** Every window of a panel as (series index, start row), series by series, starts ascending. */
export function windowIndex(source: WindowSource, options: WindowOptions): { seriesIndex: Int32Array; start: Int32Array } {
  const total = windowCount(source, options);
  const seriesIndex = new Int32Array(total);
  const start = new Int32Array(total);
  const stride = options.stride ?? 1;
  let k = 0;
  source.series.forEach((s, index) => {
    const count = windowCount(s.time.length, options);
    for (let w = 0; w < count; w++, k++) {
      seriesIndex[k] = index;
      start[k] = w * stride;
    }
  });
  return { seriesIndex, start };
}

/** The shuffled window order of an epoch: depends on (count, seed, epoch) only. */
export function epochPermutation(count: number, seed: number, epoch: number): Int32Array {
  return new Random(deriveSeed(seed, epoch)).permutation(count);
}

export interface BatchOptions extends WindowOptions {
  batchSize: number;
  /** Shuffle windows across all series (training); default false (evaluation order). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Epoch number: each epoch has its own permutation (default 0). */
  epoch?: number;
  /** Skip the first batches of the epoch (resuming mid-epoch); default 0. */
  fromBatch?: number;
  /**
   * Also return calendar features of the context and target rows: `true` picks them from the
   * source's frequency, or give the feature names. Computed in the source's time zone.
   */
  calendar?: boolean | readonly CalendarFeature[];
  /**
   * Covariate series aligned row for row with the source's series (e.g. the loader's
   * `covariates`); their context and target windows come back too.
   */
  covariates?: Pick<Panel, 'series' | 'channels'>;
}

/** One batch of B windows; arrays are row-major and freshly allocated. */
export interface WindowBatch {
  size: number;
  /** [B, L, C], NaN where missing. */
  context: Float32Array;
  /** [B, H, C]. */
  target: Float32Array;
  contextMask: Uint8Array;
  targetMask: Uint8Array;
  /** Index into the source's series of each window. */
  seriesIndex: Int32Array;
  /** Row of each window's first context step in its series (the target starts L rows later). */
  start: Int32Array;
  /** [B, L, F] and [B, H, F] when `calendar` was asked for; names in `calendarNames`. */
  contextCalendar?: Float32Array;
  targetCalendar?: Float32Array;
  calendarNames?: CalendarFeature[];
  /** [B, L, K] and [B, H, K] when `covariates` were given. */
  contextCovariates?: Float32Array;
  targetCovariates?: Float32Array;
}

/** Batches in an epoch: ⌈windows / batchSize⌉, none dropped. */
export function batchCount(source: WindowSource, options: WindowOptions & { batchSize: number }): number {
  return Math.ceil(windowCount(source, options) / options.batchSize);
}

/** Copies rows [from, from + rows) of a [T, width] array into out at row offset `at`. */
function copyRows<T extends Float32Array | Uint8Array>(src: T, width: number, from: number, rows: number, out: T, at: number): void {
  out.set(src.subarray(from * width, (from + rows) * width), at * width);
}

/**
 * The batches of one epoch over every window of the source's series (see the module comment).
 * Windows are in series order, starts ascending, unless `shuffle`.
 */
export function* batches(source: WindowSource, options: BatchOptions): Generator<WindowBatch> {
  const { lookback: L, horizon: H, batchSize, shuffle = false, seed = 0, epoch = 0, fromBatch = 0 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  const C = source.channels.length;
  const index = windowIndex(source, options);
  const total = index.start.length;
  const order = shuffle ? epochPermutation(total, seed, epoch) : null;

  const calendars = calendarTables(source, options.calendar);
  const F = calendars ? calendars.names.length : 0;
  const covariates = options.covariates;
  const K = covariates ? covariates.channels.length : 0;
  if (covariates?.series.some((s, i) => s.time.length !== source.series[i]?.time.length)) {
    throw new RangeError('batches: covariate series must align row for row with the source series');
  }

  for (let first = fromBatch * batchSize; first < total; first += batchSize) {
    const B = Math.min(batchSize, total - first);
    const batch: WindowBatch = {
      size: B,
      context: new Float32Array(B * L * C),
      target: new Float32Array(B * H * C),
      contextMask: new Uint8Array(B * L * C),
      targetMask: new Uint8Array(B * H * C),
      seriesIndex: new Int32Array(B),
      start: new Int32Array(B),
    };
    if (calendars) {
      batch.contextCalendar = new Float32Array(B * L * F);
      batch.targetCalendar = new Float32Array(B * H * F);
      batch.calendarNames = calendars.names;
    }
    if (covariates) {
      batch.contextCovariates = new Float32Array(B * L * K);
      batch.targetCovariates = new Float32Array(B * H * K);
    }
    for (let b = 0; b < B; b++) {
      const w = order ? order[first + b] : first + b;
      const si = index.seriesIndex[w];
      const start = index.start[w];
      const s: Series = source.series[si];
      batch.seriesIndex[b] = si;
      batch.start[b] = start;
      copyRows(s.values, C, start, L, batch.context, b * L);
      copyRows(s.values, C, start + L, H, batch.target, b * H);
      copyRows(s.mask, C, start, L, batch.contextMask, b * L);
      copyRows(s.mask, C, start + L, H, batch.targetMask, b * H);
      if (calendars) {
        copyRows(calendars.values[si], F, start, L, batch.contextCalendar!, b * L);
        copyRows(calendars.values[si], F, start + L, H, batch.targetCalendar!, b * H);
      }
      if (covariates) {
        const cs = covariates.series[si].values;
        copyRows(cs, K, start, L, batch.contextCovariates!, b * L);
        copyRows(cs, K, start + L, H, batch.targetCovariates!, b * H);
      }
    }
    yield batch;
  }
}

/** Calendar features of every series, once per call (not per window). */
function calendarTables(source: WindowSource, calendar: BatchOptions['calendar']): { names: CalendarFeature[]; values: Float32Array[] } | null {
  if (!calendar) return null;
  if (calendar === true && !source.frequency) throw new RangeError('batches: calendar: true needs the source frequency (or give the feature names)');
  const options = { frequency: source.frequency, features: calendar === true ? undefined : calendar, timeZone: source.timeZone };
  const tables = source.series.map((s) => calendarFeatures(s.time, options));
  return { names: tables[0]?.names ?? [], values: tables.map((t) => t.values) };
}
