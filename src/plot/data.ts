/**
 * What the plot specs share: the forecast input type, forecast timestamps, one channel's values
 * as chart rows, and the time axis. Values go into the specs inline (`data.values`), so a spec
 * is a self-contained JSON object; missing values become null, which breaks lines into gaps.
 */
import type { Series } from '../data/types.ts';
import type { SignalForecast, StepsHorizon } from '../forecast/types.ts';

/** One model's forecast of one series, as the plots take it. */
export interface PlotForecast {
  model: string;
  forecast: SignalForecast<StepsHorizon>;
}

/** Tableau 10 without its grey, which is kept for the observed series. */
export const MODEL_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#b279a2', '#72b7b2', '#eeca3b', '#ff9da6', '#9d755d'];
export const HISTORY_COLOR = '#5f5f5f';
export const ACTUAL_COLOR = '#111111';

/** The median spacing of a time grid in ms (robust to a gap or two). */
export function medianStep(time: ArrayLike<number>): number {
  if (time.length < 2) throw new RangeError('plot: a series needs two timestamps to infer its step');
  const steps = Float64Array.from({ length: time.length - 1 }, (_, i) => time[i + 1] - time[i]).sort();
  return steps[steps.length >> 1];
}

/**
 * Timestamps of a forecast's steps: its own `time`, else a fixed step continuing `after` (the
 * history it extends). Calendar frequencies (months) need the forecast's own `time`.
 */
export function forecastTimes(forecast: SignalForecast<StepsHorizon>, after: ArrayLike<number>): Float64Array {
  const steps = forecast.point.extent[0];
  if (forecast.time) {
    if (forecast.time.length !== steps) throw new RangeError(`plot: forecast '${forecast.id}' has ${forecast.time.length} times for ${steps} steps`);
    return forecast.time;
  }
  const step = medianStep(after);
  const last = after[after.length - 1];
  return Float64Array.from({ length: steps }, (_, i) => last + (i + 1) * step);
}

/** Channel `channel` of interleaved [T, C] values, NaN and masked-out entries as null. */
export function channelValues(values: Float32Array, channels: number, channel: number, mask?: Uint8Array): (number | null)[] {
  if (!(Number.isInteger(channel) && channel >= 0 && channel < channels)) throw new RangeError(`plot: channel ${channel} of ${channels}`);
  const steps = values.length / channels;
  return Array.from({ length: steps }, (_, t) => {
    const i = t * channels + channel;
    return Number.isNaN(values[i]) || (mask && mask[i] === 0) ? null : values[i];
  });
}

/** Label formats by span: hours matter within weeks, days within a year, months beyond. */
/** Tick label format from the span shown and the data's step: daily or coarser data never show hours. */
function timeFormat(spanMs: number, stepMs: number): string {
  const day = 86_400_000;
  if (spanMs <= 45 * day && stepMs < day) return '%b %d, %H:%M';
  if (spanMs <= 400 * day) return '%b %d';
  return '%Y-%m';
}

/**
 * The x encoding: epoch ms as a temporal field on a UTC scale (the data model's time is UTC;
 * the machine's time zone must not shift the labels), labelled year-month-date-hours.
 */
export function timeEncoding(span: readonly [number, number], options: { title?: string | null; labels?: boolean; step?: number } = {}) {
  const { title = 'time (UTC)', labels = true, step = 0 } = options;
  return {
    field: 'time',
    type: 'temporal' as const,
    scale: { type: 'utc' as const, domain: [span[0], span[1]] },
    axis: labels
      ? { title, format: timeFormat(span[1] - span[0], step), labelOverlap: true, labelFlush: true, tickCount: 8, grid: true }
      : { title: null, labels: false, ticks: false, grid: true },
  };
}

/** The history's last `steps` timestamps and values (of one channel). */
export function historyRows(history: Series, channels: number, channel: number, steps: number): { time: number; value: number | null }[] {
  const values = channelValues(history.values, channels, channel, history.mask);
  const from = Math.max(0, values.length - steps);
  return values.slice(from).map((value, i) => ({ time: history.time[from + i], value }));
}
