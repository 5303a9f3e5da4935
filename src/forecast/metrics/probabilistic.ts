/**
 * Probabilistic-forecast scores: the quantile (pinball) loss, CRPS from samples and from
 * quantiles, and prediction-interval coverage and width. Sums run over the counted positions
 * in float64. References: Gneiting & Raftery (2007), "Strictly proper scoring rules, prediction,
 * and estimation"; Koenker & Bassett (1978) for the pinball loss; GluonTS `evaluation/metrics.py`
 * for the quantile-loss form of CRPS.
 */
import { checkLengths, countedMean, type MetricOptions } from './check.ts';

function checkLevel(metric: string, level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`${metric}: quantile level ${level} must be in (0, 1)`);
}

/** The pinball loss of one value: ρ_τ(y, q) = max(τ·(y − q), (τ − 1)·(y − q)). */
export function pinball(target: number, quantile: number, level: number): number {
  const d = target - quantile;
  return d >= 0 ? level * d : (level - 1) * d;
}

/**
 * Quantile (pinball) loss of the level-τ quantile forecast q, averaged over the n counted
 * positions: QL_τ = (1/n) Σ ρ_τ(y_t, q_t) (Koenker & Bassett 1978). At τ = 0.5 it is half the MAE.
 * NaN when nothing is counted.
 */
export function quantileLoss(target: ArrayLike<number>, quantile: ArrayLike<number>, level: number, options: MetricOptions = {}): number {
  checkLevel('quantileLoss', level);
  checkLengths('quantileLoss', target, { quantile, mask: options.mask });
  return countedMean(target.length, options.mask, (i) => pinball(target[i], quantile[i], level));
}

/**
 * Quantile loss averaged over levels: (1/K) Σ_k QL_{τ_k} for the K quantile forecasts given as
 * level → values. NaN when nothing is counted or no level is given.
 */
export function meanQuantileLoss(target: ArrayLike<number>, quantiles: ReadonlyMap<number, ArrayLike<number>>, options: MetricOptions = {}): number {
  if (quantiles.size === 0) return NaN;
  let sum = 0;
  for (const [level, values] of quantiles) sum += quantileLoss(target, values, level, options);
  return sum / quantiles.size;
}

export interface CrpsQuantileOptions extends MetricOptions {
  /**
   * Divide by the mean |y| over the counted positions, giving GluonTS's `mean_wQuantileLoss`
   * (scale-free, comparable across series). Default false.
   */
  weighted?: boolean;
}

/**
 * CRPS approximated from quantile forecasts: CRPS ≈ 2 · (1/K) Σ_k QL_{τ_k}, since
 * CRPS(F, y) = 2 ∫₀¹ ρ_τ(y, F⁻¹(τ)) dτ (Gneiting & Raftery 2007, eq. 23 / Laio & Tamea 2007);
 * the K levels stand in for the integral. With `weighted`, divided by mean |y|: GluonTS's mean
 * weighted quantile loss. NaN when nothing is counted or no level is given.
 */
export function crpsFromQuantiles(target: ArrayLike<number>, quantiles: ReadonlyMap<number, ArrayLike<number>>, options: CrpsQuantileOptions = {}): number {
  const loss = 2 * meanQuantileLoss(target, quantiles, options);
  if (!options.weighted) return loss;
  return loss / countedMean(target.length, options.mask, (i) => Math.abs(target[i]));
}

export interface CrpsSampleOptions extends MetricOptions {
  /**
   * 'empirical' (default): the CRPS of the samples' empirical distribution, ½E|X − X'| with
   * weight 1/S². 'fair': the unbiased estimate of the underlying distribution's CRPS, weight
   * 1/(S(S − 1)) (Ferro 2014; Zamo & Naveau 2018).
   */
  estimator?: 'empirical' | 'fair';
}

/**
 * CRPS from S sample paths, in the energy form CRPS(F, y) = E|X − y| − ½ E|X − X'|
 * (Gneiting & Raftery 2007, eq. 21), averaged over the counted positions. Per position the
 * samples are sorted, so that ½ Σ_i Σ_j |x_i − x_j| = Σ_k (2k − S + 1) x_(k) (k = 0..S−1) costs
 * O(S log S) instead of O(S²). A point mass (all samples equal) scores its absolute error, so the
 * CRPS of a point forecast is its MAE. `samples[s][t]` is path s at position t.
 * NaN when nothing is counted.
 */
export function crpsFromSamples(target: ArrayLike<number>, samples: readonly ArrayLike<number>[], options: CrpsSampleOptions = {}): number {
  const { estimator = 'empirical' } = options;
  const s = samples.length;
  if (s === 0) throw new RangeError('crpsFromSamples: no samples');
  if (estimator === 'fair' && s < 2) throw new RangeError('crpsFromSamples: the fair estimator needs at least 2 samples');
  samples.forEach((path, k) => checkLengths('crpsFromSamples', target, { [`sample ${k}`]: path }));
  checkLengths('crpsFromSamples', target, { mask: options.mask });
  const pairWeight = estimator === 'fair' ? 1 / (s * (s - 1)) : 1 / (s * s);
  const sorted = new Float64Array(s);
  return countedMean(target.length, options.mask, (t) => {
    let spread = 0;
    let error = 0;
    for (let k = 0; k < s; k++) {
      sorted[k] = samples[k][t];
      error += Math.abs(sorted[k] - target[t]);
    }
    sorted.sort();
    for (let k = 0; k < s; k++) spread += (2 * k - s + 1) * sorted[k];
    return error / s - pairWeight * spread;
  });
}

/**
 * Interval coverage: the fraction of counted targets inside the closed interval,
 * (1/n) Σ 1[lo_t ≤ y_t ≤ hi_t]. A calibrated central p% interval covers about p/100.
 * NaN when nothing is counted.
 */
export function coverage(target: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, options: MetricOptions = {}): number {
  checkLengths('coverage', target, { lower, upper, mask: options.mask });
  return countedMean(target.length, options.mask, (i) => {
    // A counted NaN is neither inside nor outside: it makes the result NaN, as in the other metrics.
    // Infinite bounds are real answers (an interval too wide to calibrate) and cover everything.
    if (Number.isNaN(target[i]) || Number.isNaN(lower[i]) || Number.isNaN(upper[i])) return NaN;
    return target[i] >= lower[i] && target[i] <= upper[i] ? 1 : 0;
  });
}

/**
 * Mean interval width: (1/n) Σ (hi_t − lo_t) over the counted positions (the mask marks the
 * positions to count, e.g. where a target exists). NaN when nothing is counted.
 */
export function intervalWidth(lower: ArrayLike<number>, upper: ArrayLike<number>, options: MetricOptions = {}): number {
  checkLengths('intervalWidth', lower, { upper, mask: options.mask });
  return countedMean(lower.length, options.mask, (i) => upper[i] - lower[i]);
}
