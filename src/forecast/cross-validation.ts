/**
 * Rolling-origin cross-validation (a backtest): forecasts from several cutoffs near the end of
 * each series and compares them with what happened. The last cutoff leaves exactly one horizon
 * of data after it; earlier ones step back by `step` (default: the horizon, so windows do not
 * overlap). Without `refit` the models are fitted once on the data before the first cutoff and
 * every window is forecast in one batch; with it, the models are refitted at every cutoff on
 * all data before it.
 */
import { table, type ColumnTable } from 'arquero';
import type { Table } from '../data/table.ts';
import { futureTimes } from '../data/grid.ts';
import { sliceSeries } from '../data/splits.ts';
import type { Panel } from '../data/types.ts';
import { metricTable, type MetricName, type MetricRow } from './metrics.ts';
import type { Forecast, ForecastFitOptions } from './forecast.ts';
import type { ForecastInput } from './input.ts';
import { quantileColumn } from './result.ts';
import { pooledScales } from './scales.ts';
import { levelsToQuantiles } from './series-predict.ts';
import type { Extent, SignalForecast, StepsHorizon } from './types.ts';

export interface CrossValidationOptions {
  /** Number of cutoffs (forecast windows) per series. */
  windows: number;
  /** Steps between cutoffs (default: the horizon). darts calls it `stride`. */
  step?: number;
  /** Refit the models at every cutoff (default false: fit once before the first). */
  refit?: boolean;
  /** Interval levels for probabilistic models. */
  level?: number[];
  /** Metrics of the summary (default as metricTable). */
  metrics?: readonly MetricName[];
  /** Seasonal period of MASE. */
  period?: number;
  fit?: ForecastFitOptions;
}

export interface CrossValidationWindow {
  /** Per series (panel order): timestamp of the last observed step before the forecast. */
  cutoffs: Float64Array;
  /** Model name → forecasts of every series from this cutoff. */
  forecasts: Map<string, SignalForecast<StepsHorizon>[]>;
}

export interface CrossValidationResult {
  panel: Panel;
  windows: CrossValidationWindow[];
  /** One row per model over all windows. */
  metrics: MetricRow[];
  /** unique_id, ds, cutoff, (channel), y, then one column per model output. */
  toTable(): Table;
}

/** Cutoffs as step counts: how many observed steps each window may use. */
function cutoffIndices(length: number, horizon: number, windows: number, step: number): number[] {
  return Array.from({ length: windows }, (_, k) => length - horizon - (windows - 1 - k) * step);
}

export async function crossValidation(forecast: Forecast, input: ForecastInput, options: CrossValidationOptions): Promise<CrossValidationResult> {
  const panel = await forecast.read(input);
  const horizons = new Set(forecast.models.map((m) => m.horizon));
  if (horizons.size !== 1) throw new Error(`crossValidation: all models must share one horizon (got ${[...horizons].join(', ')})`);
  const [horizon] = horizons;
  const { windows, step = horizon, refit = false } = options;
  if (!Number.isInteger(windows) || windows < 1) throw new RangeError(`crossValidation: windows must be a positive integer, got ${windows}`);
  const c = panel.channels.length;
  const quantiles = levelsToQuantiles(options.level);
  const lengths = panel.series.map((s) => s.time.length);
  const cutoffs = lengths.map((n) => cutoffIndices(n, horizon, windows, step));
  for (const [i, list] of cutoffs.entries()) {
    if (list[0] < forecast.lookback + 1) {
      throw new Error(
        `crossValidation: series '${panel.series[i].id}' (${lengths[i]} steps) is too short for ${windows} windows of ${horizon} with lookback ${forecast.lookback}`,
      );
    }
  }
  const prefix = (k: number): Panel => ({ ...panel, series: panel.series.map((s, i) => sliceSeries(s, c, [0, cutoffs[i][k]])) });
  const results: CrossValidationWindow[] = Array.from({ length: windows }, (_, k) => ({
    cutoffs: Float64Array.from(panel.series, (s, i) => s.time[cutoffs[i][k] - 1]),
    forecasts: new Map(),
  }));

  for (let k = 0; k < windows; k++) {
    if (k === 0 || refit) await forecast.fitPanel(prefix(k), options.fit);
    for (const model of forecast.models) {
      // Every series' context window for this cutoff, scaled, in one batch.
      const count = panel.series.length;
      const length = model.lookback;
      const values = new Float32Array(count * length * c);
      const mask = new Uint8Array(values.length);
      panel.series.forEach((series, i) => {
        const end = cutoffs[i][k];
        const context = forecast.scale(sliceSeries(series, c, [end - length, end]));
        values.set(context.values, i * length * c);
        mask.set(context.mask, i * length * c);
      });
      const out = await model.forecast({ count, length, channels: c, values, mask }, { horizon, quantiles });
      const extent = [horizon] as Extent<StepsHorizon>;
      const size = horizon * c;
      results[k].forecasts.set(
        model.name,
        panel.series.map((series, i) => {
          const unscale = (v: Float32Array) => ({ extent, channels: c, values: forecast.unscale(v.slice(i * size, (i + 1) * size), series.id) });
          const point = unscale(out.point);
          return {
            id: series.id,
            time: futureTimes(series.time.subarray(0, cutoffs[i][k]), panel.frequency, horizon, panel.timeZone),
            point,
            quantiles: new Map([...out.quantiles].map(([q, v]) => [q, unscale(v)])),
            scales: pooledScales(point),
          };
        }),
      );
    }
  }

  const metrics = metricTable({
    models: forecast.models.map((m) => ({ model: m.name, forecasts: results.flatMap((w) => w.forecasts.get(m.name)!) })),
    targets: panel.series,
    history: panel.series,
    metrics: options.metrics,
    period: options.period,
  });
  return { panel, windows: results, metrics, toTable: () => backtestTable(panel, results) };
}

function backtestTable(panel: Panel, windows: CrossValidationWindow[]): ColumnTable {
  const c = panel.channels.length;
  const columns: Record<string, unknown[]> = { unique_id: [], ds: [], cutoff: [] };
  if (c > 1) columns.channel = [];
  columns.y = [];
  for (const window of windows) {
    const [first] = window.forecasts.values();
    first.forEach((reference, i) => {
      const series = panel.series[i];
      const offset = series.time.indexOf(reference.time![0]);
      for (let t = 0; t < reference.point.extent[0]; t++) {
        for (let ch = 0; ch < c; ch++) {
          columns.unique_id.push(series.id);
          columns.ds.push(new Date(reference.time![t]));
          columns.cutoff.push(new Date(window.cutoffs[i]));
          if (c > 1) columns.channel.push(panel.channels[ch]);
          columns.y.push(offset >= 0 ? series.values[(offset + t) * c + ch] : NaN);
          for (const [model, forecasts] of window.forecasts) {
            const f = forecasts[i];
            (columns[model] ??= []).push(f.point.values[t * c + ch]);
            for (const [q, s] of f.quantiles) (columns[quantileColumn(model, q)] ??= []).push(s.values[t * c + ch]);
          }
        }
      }
    });
  }
  return table(columns);
}
