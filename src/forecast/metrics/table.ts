/**
 * A metric table: a named set of metrics for one or more models' forecasts against the actual
 * values, one row per model (or per model and series), ready for console.table, the plain-text
 * table of the CLI or an HTML report.
 */
import type { Series } from '../../data/types.ts';
import { formatTable } from '../../diagnostics/table.ts';
import type { SignalForecast, StepsHorizon } from '../types.ts';
import { mae, mape, mase, mse, rmse, smape } from './point.ts';
import { coverage, crpsFromQuantiles, intervalWidth, meanQuantileLoss } from './probabilistic.ts';

export type MetricName = 'mse' | 'mae' | 'rmse' | 'mape' | 'smape' | 'mase' | 'quantileLoss' | 'crps' | 'coverage' | 'width';

/** One model's forecasts, one per series. */
export interface ModelForecasts {
  model: string;
  forecasts: readonly SignalForecast<StepsHorizon>[];
}

export interface MetricTableOptions {
  models: readonly ModelForecasts[];
  /**
   * Actual values, one series per forecast id: either exactly the forecast's steps, or a longer
   * series in which the forecast's `time` locates its steps. The target's mask decides what counts.
   */
  targets: readonly Series[];
  /**
   * Columns to compute. Default: mae, rmse, smape; mase when `history` is given; crps, coverage
   * and width when any model has quantiles. Quantile metrics of a model without the quantiles
   * they need are NaN. `coverage` and `width` give one column per level (`coverage80`, `width80`).
   */
  metrics?: readonly MetricName[];
  /** Training series by id, for MASE; only steps before a forecast's first `time` are used. */
  history?: readonly Series[];
  /** Seasonal period of MASE's naive forecast. Default 1. */
  period?: number;
  /** Central interval levels in percent for coverage and width. Default: every level some model has. */
  levels?: readonly number[];
  /** One row per model, pooling every series' points (default), or one per model and series. */
  by?: 'model' | 'series';
}

/** A row: `model` (and `series` when by series), then one number per metric column. */
export interface MetricRow {
  model: string;
  [column: string]: string | number;
}

/** A horizon's actual values and mask, with the history before it. */
interface Part {
  forecast: SignalForecast<StepsHorizon>;
  target: Float32Array;
  mask: Uint8Array;
  history?: { values: Float32Array; mask: Uint8Array };
}

const POINT_METRICS = { mse, mae, rmse, mape, smape } as const;

/**
 * The values of quantile `level` in a forecast's quantile map, matching keys up to float noise
 * (0.1 and (1 − 0.8)/2 are one level); undefined if absent.
 */
export function findQuantile(quantiles: ReadonlyMap<number, { values: Float32Array }>, level: number): Float32Array | undefined {
  for (const [q, signal] of quantiles) if (Math.abs(q - level) < 1e-9) return signal.values;
  return undefined;
}

/** Central interval levels (percent) whose two quantiles the forecast has, e.g. {0.1, 0.9} → 80. */
export function intervalLevels(forecast: SignalForecast<StepsHorizon>): number[] {
  const levels: number[] = [];
  for (const q of forecast.quantiles.keys()) {
    if (q < 0.5 && findQuantile(forecast.quantiles, 1 - q)) levels.push(Number(((1 - 2 * q) * 100).toFixed(6)));
  }
  return levels.sort((a, b) => a - b);
}

function sliceTarget(forecast: SignalForecast<StepsHorizon>, target: Series, channels: number): Pick<Part, 'target' | 'mask'> {
  const steps = forecast.point.extent[0];
  const targetSteps = target.values.length / channels;
  if (!Number.isInteger(targetSteps)) throw new RangeError(`metricTable: target '${target.id}' does not have ${channels} channels`);
  let start = 0;
  if (targetSteps !== steps) {
    if (!forecast.time) {
      throw new RangeError(`metricTable: target '${target.id}' has ${targetSteps} steps, the forecast ${steps}, and the forecast has no time to locate itself`);
    }
    start = target.time.indexOf(forecast.time[0]);
    if (start < 0)
      throw new RangeError(`metricTable: the forecast of '${target.id}' starts at ${new Date(forecast.time[0]).toISOString()}, not a time of its target`);
    if (start + steps > targetSteps) throw new RangeError(`metricTable: target '${target.id}' ends before the forecast's ${steps} steps`);
  }
  const from = start * channels;
  const to = (start + steps) * channels;
  return { target: target.values.subarray(from, to), mask: target.mask.subarray(from, to) };
}

function sliceHistory(forecast: SignalForecast<StepsHorizon>, history: Series, channels: number): Part['history'] {
  let steps = history.values.length / channels;
  // A full series passed as history must not leak the evaluated steps into MASE's scale.
  if (forecast.time) while (steps > 0 && history.time[steps - 1] >= forecast.time[0]) steps--;
  return { values: history.values.subarray(0, steps * channels), mask: history.mask.subarray(0, steps * channels) };
}

function concat<T extends Float32Array | Uint8Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The level's quantile values over all parts, or undefined if some part lacks the level. */
function pooledQuantile(parts: readonly Part[], level: number): Float32Array | undefined {
  const chunks: Float32Array[] = [];
  for (const part of parts) {
    const values = findQuantile(part.forecast.quantiles, level);
    if (!values) return undefined;
    chunks.push(values);
  }
  return concat(chunks, (n) => new Float32Array(n));
}

function scoreRow(parts: readonly Part[], metrics: readonly MetricName[], levels: readonly number[], period: number): Record<string, number> {
  const y = concat(
    parts.map((p) => p.target),
    (n) => new Float32Array(n),
  );
  const mask = concat(
    parts.map((p) => p.mask),
    (n) => new Uint8Array(n),
  );
  const point = concat(
    parts.map((p) => p.forecast.point.values),
    (n) => new Float32Array(n),
  );
  const quantiles = new Map<number, Float32Array>();
  const allLevels = new Set(parts.flatMap((p) => [...p.forecast.quantiles.keys()]));
  for (const q of allLevels) {
    const values = pooledQuantile(parts, q);
    if (values) quantiles.set(q, values);
  }
  const interval = (level: number) => {
    const q = (1 - level / 100) / 2;
    return { lower: pooledQuantile(parts, q), upper: pooledQuantile(parts, 1 - q) };
  };
  const row: Record<string, number> = {};
  for (const metric of metrics) {
    switch (metric) {
      case 'mse':
      case 'mae':
      case 'rmse':
      case 'mape':
      case 'smape':
        row[metric] = POINT_METRICS[metric](y, point, { mask });
        break;
      case 'mase': {
        // Each series has its own naive-forecast scale, so MASE averages per-series values.
        const values = parts
          .map((p) =>
            mase(p.target, p.forecast.point.values, {
              mask: p.mask,
              history: p.history!.values,
              historyMask: p.history!.mask,
              period,
              channels: p.forecast.point.channels,
            }),
          )
          .filter((v) => !Number.isNaN(v));
        row.mase = values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
        break;
      }
      case 'quantileLoss':
        row.quantileLoss = meanQuantileLoss(y, quantiles, { mask });
        break;
      case 'crps':
        row.crps = crpsFromQuantiles(y, quantiles, { mask });
        break;
      case 'coverage':
      case 'width':
        for (const level of levels) {
          const { lower, upper } = interval(level);
          const value = !lower || !upper ? NaN : metric === 'coverage' ? coverage(y, lower, upper, { mask }) : intervalWidth(lower, upper, { mask });
          row[`${metric}${level}`] = value;
        }
        break;
    }
  }
  return row;
}

/**
 * Scores each model's forecasts against the targets: point metrics pooled over every counted
 * point of every series (MASE: the mean of per-series values, each with its own scale),
 * quantile metrics from the forecasts' quantiles (CRPS by its quantile-loss approximation,
 * see `crpsFromQuantiles`). NaN marks a metric with no counted point or no quantiles.
 */
export function metricTable(options: MetricTableOptions): MetricRow[] {
  const { models, targets, history, period = 1, by = 'model' } = options;
  const targetById = new Map(targets.map((s) => [s.id, s]));
  const historyById = new Map((history ?? []).map((s) => [s.id, s]));
  const hasQuantiles = models.some((m) => m.forecasts.some((f) => f.quantiles.size > 0));
  const metrics = options.metrics ?? [
    'mae',
    'rmse',
    'smape',
    ...(history ? (['mase'] as const) : []),
    ...(hasQuantiles ? (['crps', 'coverage', 'width'] as const) : []),
  ];
  const levels = options.levels ?? [...new Set(models.flatMap((m) => m.forecasts.flatMap(intervalLevels)))].sort((a, b) => a - b);
  const rows: MetricRow[] = [];
  for (const { model, forecasts } of models) {
    const parts: Part[] = forecasts.map((forecast) => {
      const target = targetById.get(forecast.id);
      if (!target) throw new Error(`metricTable: no target series '${forecast.id}' for model '${model}'`);
      const channels = forecast.point.channels;
      const part: Part = { forecast, ...sliceTarget(forecast, target, channels) };
      if (metrics.includes('mase')) {
        const past = historyById.get(forecast.id);
        if (!past) throw new Error(`metricTable: mase needs the history of series '${forecast.id}'`);
        part.history = sliceHistory(forecast, past, channels);
      }
      return part;
    });
    if (by === 'model') rows.push({ model, ...scoreRow(parts, metrics, levels, period) });
    else for (const part of parts) rows.push({ model, series: part.forecast.id, ...scoreRow([part], metrics, levels, period) });
  }
  return rows;
}

/** The rows as a plain-text table: columns in first-seen order, numbers to 3 significant digits. */
export function formatMetricTable(rows: readonly MetricRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return formatTable(
    columns,
    rows.map((row) => columns.map((c) => row[c] ?? '')),
  );
}
