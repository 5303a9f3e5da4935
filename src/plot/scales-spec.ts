/**
 * The multi-resolution view: one panel per scale of a forecast, coarse to fine. A scale of
 * `size` cells is the horizon pooled to `size` values; cell j covers steps [j·H/size, (j+1)·H/size)
 * of the H-step horizon (the pooling rule of VAR-style pyramids), so it is drawn as a step
 * function over that span of time, over the full-resolution forecast in grey for reference.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotSpec } from './plot-spec.ts';
import type { PlotSpec } from './render.ts';
import type { Series } from '../data/types.ts';
import { ACTUAL_COLOR, MODEL_COLORS, channelValues, forecastTimes, medianStep, timeEncoding, type PlotForecast } from './data.ts';

export interface ScalesSpecOptions {
  /** The forecast whose `scales` are drawn. */
  forecast: PlotForecast;
  /** The history it continues, for the forecast's timestamps when it has no `time`. */
  history: Series;
  title?: string;
  channel?: number;
  valueTitle?: string;
  /** Observed values over the horizon, drawn in every panel when given. */
  actual?: Series;
  width?: number;
  /** Height of one panel. */
  panelHeight?: number;
}

/**
 * Time at a fractional step position u ∈ [0, H]: step t spans [time_t, time_{t+1}), the last one
 * as long as the one before. Linear within a step, so uneven calendar steps still line up.
 */
function timeAt(time: Float64Array, u: number): number {
  const steps = time.length;
  const step = steps > 1 ? time[steps - 1] - time[steps - 2] : 1;
  const edge = (t: number) => (t < steps ? time[t] : time[steps - 1] + (t - steps + 1) * step);
  const t = Math.min(Math.floor(u), steps);
  return edge(t) + (u - t) * (edge(t + 1) - edge(t));
}

/** A vertically concatenated Vega-Lite spec: one step-function panel per scale, shared axes. */
export function scalesSpec(options: ScalesSpecOptions): PlotSpec {
  const {
    forecast: { model, forecast },
    history,
    title,
    channel = 0,
    valueTitle = 'value',
    actual,
    width = 900,
    panelHeight = 64,
  } = options;
  if (forecast.scales.length === 0) throw new RangeError(`scalesSpec: the forecast of '${forecast.id}' has no scales`);
  const channels = forecast.point.channels;
  const steps = forecast.point.extent[0];
  const time = forecastTimes(forecast, history.time);
  const span: [number, number] = [time[0], timeAt(time, steps)];
  const full = channelValues(forecast.point.values, channels, channel);
  // The full resolution as steps too, with a closing point so the last step has its width.
  const reference = [...full.map((value, t) => ({ time: time[t], value })), { time: span[1], value: full[steps - 1] }];
  const halfStep = (span[1] - span[0]) / steps / 2;
  const observed = actual
    ? channelValues(actual.values, channels, channel, actual.mask)
        .map((value, i) => ({ time: actual.time[i], value }))
        .filter((r) => r.time >= span[0] && r.time < span[1])
        // At the middle of its step, where the step drawing of the forecast puts that step's value.
        .map((r) => ({ time: r.time + halfStep, value: r.value }))
    : [];
  const color = MODEL_COLORS[0];
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { title: null, tickCount: 3 } } as const;

  const panels = forecast.scales.map((scale, k) => {
    const size = scale.extent[0];
    const values = channelValues(scale.point.values, channels, channel);
    const cells = values.map((value, j) => ({ time: timeAt(time, (j * steps) / size), value }));
    cells.push({ time: span[1], value: values[size - 1] });
    const last = k === forecast.scales.length - 1;
    const x = timeEncoding(span, last ? { step: medianStep(history.time) } : { labels: false });
    return {
      title: {
        text: `${size} cell${size === 1 ? '' : 's'}${last ? ' (full resolution)' : ''}`,
        anchor: 'start',
        fontSize: 11,
        fontWeight: 'normal',
        offset: 2,
      } as const,
      width,
      height: panelHeight,
      layer: [
        { data: { values: reference }, mark: { type: 'line', interpolate: 'step-after', color: '#bbb', strokeWidth: 1 } as const, encoding: { x, y } },
        ...(observed.length > 0
          ? [{ data: { values: observed }, mark: { type: 'line' as const, color: ACTUAL_COLOR, strokeWidth: 1, strokeDash: [3, 2] }, encoding: { x, y } }]
          : []),
        { data: { values: cells }, mark: { type: 'line', interpolate: 'step-after', color, strokeWidth: 2.5 } as const, encoding: { x, y } },
      ],
    };
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title ?? `${model}: multi-resolution forecast of '${forecast.id}'`,
      subtitle: `coarse to fine; grey: full-resolution forecast${actual ? '; dashed: actual' : ''}; y: ${valueTitle}`,
      anchor: 'start',
      fontSize: 15,
    },
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 10, titleFontSize: 12 } },
    spacing: 6,
    resolve: { scale: { x: 'shared', y: 'shared' } },
    vconcat: panels,
  };
  return plotSpec(spec);
}
