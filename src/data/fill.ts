/**
 * Explicit fills for missing values (NaN), per channel. They return new values and leave the
 * mask alone: the mask keeps saying what was observed, so losses and metrics can still skip
 * filled points.
 */
import { match } from 'ts-pattern';
import type { Panel, Series } from './types.ts';

/**
 * - `none`: leave NaN.
 * - `forward`: last observed value (leading NaN stay NaN, as pandas' ffill).
 * - `backward`: next observed value (trailing NaN stay NaN).
 * - `linear`: linear in the time index between the neighbouring observed values; leading and
 *   trailing NaN take the nearest observed value (nothing to interpolate towards).
 * - `zero`: 0.
 * - `mean`: the channel's mean over its observed values in this array.
 *
 * A channel with no observed value stays NaN under every strategy but `zero`.
 */
export type FillStrategy = 'none' | 'forward' | 'backward' | 'linear' | 'zero' | 'mean';

/**
 * Fills NaN in row-major values [T, channels] with one strategy for all channels or one per
 * channel. Returns a new array.
 */
export function fillMissing(values: Float32Array, channels: number, strategy: FillStrategy | readonly FillStrategy[]): Float32Array {
  if (!Number.isInteger(channels) || channels <= 0 || values.length % channels !== 0) {
    throw new RangeError(`fillMissing: ${values.length} values do not split into ${channels} channels`);
  }
  if (Array.isArray(strategy) && strategy.length !== channels) {
    throw new RangeError(`fillMissing: ${strategy.length} strategies for ${channels} channels`);
  }
  const out = values.slice();
  const steps = values.length / channels;
  for (let c = 0; c < channels; c++) {
    const s: FillStrategy = typeof strategy === 'string' ? strategy : strategy[c];
    // Channel c is the strided slice out[c], out[c + channels], …
    const at = (t: number) => c + t * channels;
    match(s)
      .with('none', () => {})
      .with('zero', () => {
        for (let t = 0; t < steps; t++) if (Number.isNaN(out[at(t)])) out[at(t)] = 0;
      })
      .with('forward', () => {
        let last = NaN;
        for (let t = 0; t < steps; t++) {
          if (Number.isNaN(out[at(t)])) out[at(t)] = last;
          else last = out[at(t)];
        }
      })
      .with('backward', () => {
        let next = NaN;
        for (let t = steps - 1; t >= 0; t--) {
          if (Number.isNaN(out[at(t)])) out[at(t)] = next;
          else next = out[at(t)];
        }
      })
      .with('mean', () => {
        let sum = 0;
        let count = 0;
        for (let t = 0; t < steps; t++) {
          if (!Number.isNaN(out[at(t)])) {
            sum += out[at(t)];
            count++;
          }
        }
        const mean = count > 0 ? sum / count : NaN;
        for (let t = 0; t < steps; t++) if (Number.isNaN(out[at(t)])) out[at(t)] = mean;
      })
      .with('linear', () => {
        let previous = -1; // index of the last observed value
        for (let t = 0; t <= steps; t++) {
          if (t < steps && Number.isNaN(out[at(t)])) continue;
          // Fill the run (previous, t) of NaN.
          const left = previous >= 0 ? out[at(previous)] : NaN;
          const right = t < steps ? out[at(t)] : NaN;
          for (let k = previous + 1; k < t; k++) {
            out[at(k)] = previous < 0 ? right : t === steps ? left : left + ((right - left) * (k - previous)) / (t - previous);
          }
          previous = t;
        }
      })
      .exhaustive();
  }
  return out;
}

/** The series with its values filled; time and mask are shared, not copied. */
export function fillSeries(series: Series, channels: number, strategy: FillStrategy | readonly FillStrategy[]): Series {
  return { ...series, values: fillMissing(series.values, channels, strategy) };
}

/** Every series of the panel filled (see fillMissing). */
export function fillPanel(panel: Panel, strategy: FillStrategy | readonly FillStrategy[]): Panel {
  return { ...panel, series: panel.series.map((s) => fillSeries(s, panel.channels.length, strategy)) };
}
