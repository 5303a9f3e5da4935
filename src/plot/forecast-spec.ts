/**
 * The forecast plot: the end of the history, each model's point forecast and its prediction
 * intervals as shaded bands (wider intervals lighter), the observed continuation when known,
 * and a dashed rule where the forecast starts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotSpec } from './plot-spec.ts';
import type { PlotSpec } from './render.ts';
import type { Series } from '../data/types.ts';
import { findQuantile, intervalLevels } from '../forecast/metrics/table.ts';
import { ACTUAL_COLOR, HISTORY_COLOR, MODEL_COLORS, channelValues, forecastTimes, historyRows, medianStep, timeEncoding, type PlotForecast } from './data.ts';

export interface ForecastSpecOptions {
  /** The series the forecasts continue (its last `historySteps` steps are drawn). */
  history: Series;
  /** One entry per model, all for the same series; colours follow this order. */
  forecasts: readonly PlotForecast[];
  title?: string;
  /** Channel index to draw. Default 0. */
  channel?: number;
  /** Y-axis title (e.g. the channel's name). Default 'value'. */
  valueTitle?: string;
  /** History steps before the forecast start. Default 3 × the longest horizon. */
  historySteps?: number;
  /** Observed values over the horizon (or a longer series around it), drawn as 'actual'. */
  actual?: Series;
  /** Interval levels (percent) to shade. Default: every central level each forecast has. */
  levels?: readonly number[];
  width?: number;
  height?: number;
}

/** Band opacity by level rank, widest (lightest) first, so nested bands darken inward. */
function levelOpacities(levels: readonly number[]): number[] {
  return levels.map((_, i) => 0.14 + (0.2 * (i + 1)) / levels.length);
}

/** A layered Vega-Lite spec of history, forecasts, interval bands and the forecast start. */
export function forecastSpec(options: ForecastSpecOptions): PlotSpec {
  const { history, forecasts, title, channel = 0, valueTitle = 'value', actual, width = 900, height = 320 } = options;
  if (forecasts.length === 0) throw new RangeError('forecastSpec: no forecasts');
  const channels = forecasts[0].forecast.point.channels;
  const horizon = Math.max(...forecasts.map((f) => f.forecast.point.extent[0]));
  const historySteps = options.historySteps ?? 3 * horizon;

  const historyData = historyRows(history, channels, channel, historySteps).map((r) => ({ ...r, series: 'history' }));
  const lineData: { time: number; value: number | null; series: string }[] = [];
  const bandData: { time: number; lower: number | null; upper: number | null; series: string; interval: string }[] = [];
  const levelSet = new Set<number>();
  let end = historyData.at(-1)?.time ?? -Infinity;
  let start = Infinity;
  for (const { model, forecast } of forecasts) {
    const time = forecastTimes(forecast, history.time);
    start = Math.min(start, time[0]);
    end = Math.max(end, time[time.length - 1]);
    channelValues(forecast.point.values, channels, channel).forEach((value, t) => lineData.push({ time: time[t], value, series: model }));
    for (const level of options.levels ?? intervalLevels(forecast)) {
      const q = (1 - level / 100) / 2;
      const lower = findQuantile(forecast.quantiles, q);
      const upper = findQuantile(forecast.quantiles, 1 - q);
      if (!lower || !upper) throw new RangeError(`forecastSpec: model '${model}' has no ${level}% interval`);
      levelSet.add(level);
      const lo = channelValues(lower, channels, channel);
      const hi = channelValues(upper, channels, channel);
      time.forEach((t, i) => bandData.push({ time: t, lower: lo[i], upper: hi[i], series: model, interval: `${level}%` }));
    }
  }
  const lastHistory = historyData.at(-1);
  const actualData: { time: number; value: number | null; series: string }[] = [];
  if (actual) {
    // Joined to the last history point so the observed line runs on without a gap.
    if (lastHistory) actualData.push({ ...lastHistory, series: 'actual' });
    const values = channelValues(actual.values, channels, channel, actual.mask);
    actual.time.forEach((t, i) => {
      if (t >= start && t <= end) actualData.push({ time: t, value: values[i], series: 'actual' });
    });
  }
  const origin = lastHistory ? (lastHistory.time + start) / 2 : start;
  const begin = historyData[0]?.time ?? start;

  const models = forecasts.map((f) => f.model);
  const domain = ['history', ...(actual ? ['actual'] : []), ...models];
  const range = [HISTORY_COLOR, ...(actual ? [ACTUAL_COLOR] : []), ...models.map((_, i) => MODEL_COLORS[i % MODEL_COLORS.length])];
  const levels = [...levelSet].sort((a, b) => b - a);
  const x = timeEncoding([begin, end], { step: medianStep(history.time) });
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain, range },
    legend: { title: 'series', orient: 'right', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
  } as const;
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { title: valueTitle } } as const;

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title: { text: title, anchor: 'start', fontSize: 15 } } : {}),
    width,
    height,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    layer: [
      ...(bandData.length > 0
        ? [
            {
              data: { values: bandData },
              mark: { type: 'area', interpolate: 'linear' },
              encoding: {
                x,
                y: { field: 'lower', type: 'quantitative', scale: { zero: false }, axis: { title: valueTitle } },
                y2: { field: 'upper' },
                color,
                opacity: {
                  field: 'interval',
                  type: 'ordinal',
                  scale: { domain: levels.map((l) => `${l}%`), range: levelOpacities(levels) },
                  legend: { title: 'interval', orient: 'right', symbolType: 'square', symbolFillColor: MODEL_COLORS[0] },
                },
                detail: { field: 'interval' },
              },
            } as const,
          ]
        : []),
      { data: { values: historyData }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } },
      ...(actualData.length > 0 ? [{ data: { values: actualData }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } } as const] : []),
      { data: { values: lineData }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
      {
        data: { values: [{ time: origin, label: 'forecast start' }] },
        mark: { type: 'rule', strokeDash: [5, 4], color: '#777' },
        encoding: { x: { field: 'time', type: 'temporal' } },
      },
      {
        data: { values: [{ time: origin, label: 'forecast start' }] },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, y: 0, color: '#555', fontSize: 11 },
        encoding: { x: { field: 'time', type: 'temporal' }, text: { field: 'label' } },
      },
    ],
  };
  return plotSpec(spec);
}
