/**
 * `predict` for series models, derived from their window-level `forecast`: the last `lookback`
 * steps of each series become one context window, and the window forecasts become
 * SignalForecasts with quantiles and the pooled multi-resolution view.
 */
import type { Series } from '../data/types.ts';
import { pooledScales } from './scales.ts';
import type { ContextWindows, Extent, PredictOptions, SeriesForecaster, SignalForecast, StepsHorizon } from './types.ts';

/** Interval levels in percent → sorted quantile levels, e.g. [80] → [0.1, 0.9]. */
export function levelsToQuantiles(levels: readonly number[] = []): number[] {
  const qs = new Set<number>();
  for (const level of levels) {
    if (!(level > 0 && level < 100)) throw new RangeError(`level ${level} must be a percentage in (0, 100)`);
    qs.add(Number((0.5 - level / 200).toFixed(10)));
    qs.add(Number((0.5 + level / 200).toFixed(10)));
  }
  return [...qs].sort((a, b) => a - b);
}

/**
 * The last `length` steps of each series as windows [N, length, C]. Series shorter than the
 * lookback are refused: silently padding would forecast from made-up history.
 */
export function lastWindows(contexts: readonly Series[], length: number, channels: number): ContextWindows {
  for (const series of contexts) {
    if (series.values.length !== series.time.length * channels) throw new RangeError(`series '${series.id}' does not have ${channels} channels`);
  }
  const values = new Float32Array(contexts.length * length * channels);
  const mask = new Uint8Array(values.length);
  contexts.forEach((series, n) => {
    const steps = series.values.length / channels;
    if (steps < length) throw new RangeError(`series '${series.id}' has ${steps} steps; the model reads ${length}`);
    const from = (steps - length) * channels;
    values.set(series.values.subarray(from, from + length * channels), n * length * channels);
    mask.set(series.mask.subarray(from, from + length * channels), n * length * channels);
  });
  return { count: contexts.length, length, channels, values, mask };
}

/** Forecasts each series `horizon` steps ahead with a window model. */
export async function predictSeries(
  model: SeriesForecaster,
  contexts: readonly Series[],
  horizon: StepsHorizon,
  options: PredictOptions = {},
): Promise<SignalForecast<StepsHorizon>[]> {
  if (contexts.length === 0) return [];
  const quantiles = levelsToQuantiles(options.level);
  if (quantiles.length > 0 && model.capabilities.probabilistic === 'none') {
    throw new Error(`${model.name} gives point forecasts only; it cannot produce intervals (level ${options.level?.join(', ')})`);
  }
  if (model.capabilities.horizon === 'fixed' && horizon.steps !== model.horizon) {
    throw new Error(`${model.name} forecasts ${model.horizon} steps; it was asked for ${horizon.steps}`);
  }
  const c = contexts[0].values.length / contexts[0].time.length;
  const windows = lastWindows(contexts, model.lookback, c);
  const result = await model.forecast(windows, { horizon: horizon.steps, quantiles });
  const size = horizon.steps * c;
  const extent = [horizon.steps] as Extent<StepsHorizon>;
  return contexts.map((series, n) => {
    const point = { extent, channels: c, values: result.point.slice(n * size, (n + 1) * size) };
    const qs = new Map([...result.quantiles].map(([q, values]) => [q, { extent, channels: c, values: values.slice(n * size, (n + 1) * size) }]));
    return { id: series.id, point, quantiles: qs, scales: pooledScales(point) };
  });
}
