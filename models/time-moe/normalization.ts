/**
 * How the Time-MoE forecaster normalises a context before `generate` (reference models.md §3.6).
 * The three settings are the three upstream practices:
 *
 * - 'window-unbiased': the README's zero-shot recipe, `(x − mean) / std` over the context with
 *   torch's default unbiased std (N − 1), undone on the forecast;
 * - 'window-population': the same with the population std (N), as the training scaler
 *   (`zero_scaler`, numpy's std) normalises each training sequence;
 * - 'none': the values as given. `run_eval.py` normalises nothing per window: it z-scores the whole
 *   CSV with a StandardScaler fitted on the train split, which `runLongHorizon` (and so
 *   `bench lstf`) already does; use 'none' there to follow run_eval.
 */

export type TimeMoENormalization = 'window-unbiased' | 'window-population' | 'none';

/** The shift and scale of one context (normalised = (x − shift) / scale), and what fills its missing values. */
export interface WindowScale {
  shift: number;
  scale: number;
  /** The mean of the observed values: a missing context value is fed as this (0 once normalised), never as NaN. */
  fill: number;
}

/**
 * The statistics of one context's observed values (`observed(i)` false for a missing one). A
 * constant context has std 0: its scale is 1 (it is only shifted), where upstream would divide by
 * zero and forecast NaN.
 * @throws RangeError when no value is observed, or the unbiased std is asked of one value.
 */
export function windowScale(values: Float32Array, observed: (i: number) => boolean, normalization: TimeMoENormalization, where: () => string): WindowScale {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!observed(i)) continue;
    n++;
    sum += values[i];
  }
  if (n === 0) throw new RangeError(`TimeMoE: ${where()} has no observed value; the context cannot be normalised (fill the gap or shorten the lookback)`);
  const mean = sum / n;
  if (normalization === 'none') return { shift: 0, scale: 1, fill: mean };
  let squares = 0;
  for (let i = 0; i < values.length; i++) if (observed(i)) squares += (values[i] - mean) ** 2;
  const dof = normalization === 'window-unbiased' ? n - 1 : n;
  if (dof === 0) throw new RangeError(`TimeMoE: ${where()} has one observed value; the unbiased std needs two (use normalization 'window-population')`);
  const std = Math.sqrt(squares / dof);
  return { shift: mean, scale: std > 0 ? std : 1, fill: mean };
}
