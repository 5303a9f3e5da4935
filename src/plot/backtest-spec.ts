/**
 * The backtest plot: the observed series over several cross-validation windows, each model's
 * forecast from each cutoff (one line per model and window, coloured by model), an optional
 * interval band, and a dashed rule at each cutoff.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotSpec } from './plot-spec.ts';
import type { PlotSpec } from './render.ts';
import type { Series } from '../data/types.ts';
import { findQuantile } from '../forecast/metrics/table.ts';
import { ACTUAL_COLOR, MODEL_COLORS, channelValues, forecastTimes, medianStep, timeEncoding, type PlotForecast } from './data.ts';

/** One cross-validation window: the forecasts made at one cutoff. */
export interface BacktestWindow {
  /** Last observed time the forecasts saw (epoch ms). Default: the step before the first forecast step. */
  cutoff?: number;
  forecasts: readonly PlotForecast[];
}

export interface BacktestSpecOptions {
  /** The observed series, covering the windows. */
  series: Series;
  windows: readonly BacktestWindow[];
  title?: string;
  channel?: number;
  valueTitle?: string;
  /** Interval level (percent) to shade for models that have it. Default: none. */
  level?: number;
  /** Observed steps drawn before the first cutoff. Default: the longest horizon. */
  contextSteps?: number;
  width?: number;
  height?: number;
}

/** Forecast times: the forecast's own, else the series' grid after the cutoff (extended past its end). */
function windowTimes(window: BacktestWindow, plotted: PlotForecast, series: Series): Float64Array {
  const { forecast } = plotted;
  if (forecast.time) return forecastTimes(forecast, series.time);
  if (window.cutoff === undefined) throw new RangeError(`backtestSpec: the forecast of '${plotted.model}' has no time and its window no cutoff`);
  const cutoff = window.cutoff;
  const past = series.time.filter((t) => t <= cutoff);
  return forecastTimes(forecast, past.length >= 2 ? past : series.time);
}

/** A layered Vega-Lite spec of the observed series, per-window forecasts and cutoffs. */
export function backtestSpec(options: BacktestSpecOptions): PlotSpec {
  const { series, windows, title, channel = 0, valueTitle = 'value', level, width = 900, height = 320 } = options;
  if (windows.length === 0) throw new RangeError('backtestSpec: no windows');
  const first = windows[0].forecasts[0];
  if (!first) throw new RangeError('backtestSpec: a window without forecasts');
  const channels = first.forecast.point.channels;
  const step = medianStep(series.time);

  const lines: { time: number; value: number | null; series: string; window: number }[] = [];
  const bands: { time: number; lower: number | null; upper: number | null; series: string; window: number }[] = [];
  const cutoffs: { time: number; label: string }[] = [];
  const models: string[] = [];
  let begin = Infinity;
  let end = -Infinity;
  windows.forEach((window, w) => {
    let windowStart = Infinity;
    for (const plotted of window.forecasts) {
      if (!models.includes(plotted.model)) models.push(plotted.model);
      const time = windowTimes(window, plotted, series);
      windowStart = Math.min(windowStart, time[0]);
      end = Math.max(end, time[time.length - 1]);
      const values = channelValues(plotted.forecast.point.values, channels, channel);
      time.forEach((t, i) => lines.push({ time: t, value: values[i], series: plotted.model, window: w }));
      if (level !== undefined) {
        const q = (1 - level / 100) / 2;
        const lower = findQuantile(plotted.forecast.quantiles, q);
        const upper = findQuantile(plotted.forecast.quantiles, 1 - q);
        if (lower && upper) {
          const lo = channelValues(lower, channels, channel);
          const hi = channelValues(upper, channels, channel);
          time.forEach((t, i) => bands.push({ time: t, lower: lo[i], upper: hi[i], series: plotted.model, window: w }));
        }
      }
    }
    const cutoff = window.cutoff ?? windowStart - step;
    cutoffs.push({ time: cutoff, label: `cutoff ${w + 1}` });
    begin = Math.min(begin, cutoff);
  });
  const horizon = Math.max(...windows.flatMap((w) => w.forecasts.map((f) => f.forecast.point.extent[0])));
  begin -= (options.contextSteps ?? horizon) * step;
  const values = channelValues(series.values, channels, channel, series.mask);
  const observed = values.map((value, i) => ({ time: series.time[i], value, series: 'actual' })).filter((r) => r.time >= begin && r.time <= end);

  const domain = ['actual', ...models];
  const range = [ACTUAL_COLOR, ...models.map((_, i) => MODEL_COLORS[i % MODEL_COLORS.length])];
  const x = timeEncoding([begin, end], { step });
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { title: valueTitle } } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain, range },
    legend: { title: 'series', orient: 'right', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
  } as const;

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title ?? `Backtest of '${series.id}': ${windows.length} window${windows.length === 1 ? '' : 's'}`,
      subtitle: `dashed rules: cutoffs${bands.length > 0 ? `; bands: ${level}% intervals` : ''}`,
      anchor: 'start',
      fontSize: 15,
    },
    width,
    height,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    layer: [
      ...(bands.length > 0
        ? [
            {
              data: { values: bands },
              mark: { type: 'area', opacity: 0.22 },
              encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, color, detail: { field: 'window' } },
            } as const,
          ]
        : []),
      { data: { values: observed }, mark: { type: 'line', strokeWidth: 1.2 }, encoding: { x, y, color } },
      { data: { values: lines }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color, detail: { field: 'window' } } },
      {
        data: { values: cutoffs },
        mark: { type: 'rule', strokeDash: [5, 4], color: '#777' },
        encoding: { x: { field: 'time', type: 'temporal' } },
      },
      {
        data: { values: cutoffs },
        mark: { type: 'text', align: 'right', baseline: 'top', dx: -3, dy: 4, y: 0, color: '#555', fontSize: 10 },
        encoding: { x: { field: 'time', type: 'temporal' }, text: { field: 'label' } },
      },
    ],
  };
  return plotSpec(spec);
}
