/**
 * A forecast of every series by every model, with conversion to an arquero table in the
 * column convention of neuralforecast: `unique_id`, `ds`, (`channel` for multivariate
 * series), then per model its point forecast `Model` and interval bounds `Model-lo-90`,
 * `Model-hi-90` (a quantile q < ½ is the lower bound of the 100·(1 − 2q) % interval).
 */
import { table } from 'arquero';
import type { Table } from '../data/table.ts';
import type { Panel } from '../data/types.ts';
import type { SignalForecast, StepsHorizon } from './types.ts';

/** Column name of a quantile level: 0.05 → `-lo-90`, 0.95 → `-hi-90`, 0.5 → `-median`. */
export function quantileColumn(model: string, q: number): string {
  if (Math.abs(q - 0.5) < 1e-9) return `${model}-median`;
  const level = Number((Math.abs(1 - 2 * q) * 100).toFixed(6));
  return `${model}-${q < 0.5 ? 'lo' : 'hi'}-${level}`;
}

export class ForecastResult {
  constructor(
    /** The history the forecasts continue (original units). */
    readonly history: Panel,
    /** Model name → one forecast per series, in the panel's series order. */
    readonly forecasts: ReadonlyMap<string, readonly SignalForecast<StepsHorizon>[]>,
  ) {}

  get models(): string[] {
    return [...this.forecasts.keys()];
  }

  /** One model's forecast of one series. */
  get(model: string, seriesId: string): SignalForecast<StepsHorizon> {
    const forecast = this.forecasts.get(model)?.find((f) => f.id === seriesId);
    if (!forecast) throw new Error(`no forecast of series '${seriesId}' by '${model}' (models: ${this.models.join(', ')})`);
    return forecast;
  }

  /**
   * Long table: one row per series, step (and channel), one column per model output. Models
   * with shorter horizons than the longest get NaN beyond their horizon.
   */
  toTable(): Table {
    const channels = this.history.channels.length;
    const columns: Record<string, unknown[]> = { unique_id: [], ds: [] };
    if (channels > 1) columns.channel = [];
    const all = [...this.forecasts.values()];
    this.history.series.forEach((series, s) => {
      // The longest forecast of this series provides the timestamps.
      const longest = all.map((forecasts) => forecasts[s]).reduce((a, b) => (b.point.extent[0] > a.point.extent[0] ? b : a));
      for (let t = 0; t < longest.point.extent[0]; t++) {
        for (let c = 0; c < channels; c++) {
          columns.unique_id.push(series.id);
          columns.ds.push(longest.time ? new Date(longest.time[t]) : t + 1);
          if (channels > 1) columns.channel.push(this.history.channels[c]);
          for (const [model, forecasts] of this.forecasts) {
            const forecast = forecasts[s];
            const inside = t < forecast.point.extent[0];
            const at = (values: Float32Array) => (inside ? values[t * channels + c] : NaN);
            (columns[model] ??= []).push(at(forecast.point.values));
            for (const [q, signal] of forecast.quantiles) (columns[quantileColumn(model, q)] ??= []).push(at(signal.values));
          }
        }
      }
    });
    return table(columns);
  }
}
