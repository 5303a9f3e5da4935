/**
 * Point-forecast errors: MSE, MAE, RMSE, MAPE, sMAPE and MASE. Targets y and forecasts ŷ are
 * flat arrays (a [steps, C] signal flattens row-major); sums run over the counted positions in
 * float64. Definitions follow Hyndman & Koehler (2006), "Another look at measures of forecast
 * accuracy", and the M4 competition guide (Makridakis et al. 2020).
 */
import { checkLengths, counted, countedMean, type MetricOptions } from './check.ts';

/**
 * Mean squared error: MSE = (1/n) Σ (y_t − ŷ_t)² over the n counted positions.
 * NaN when nothing is counted.
 */
export function mse(target: ArrayLike<number>, forecast: ArrayLike<number>, options: MetricOptions = {}): number {
  checkLengths('mse', target, { forecast, mask: options.mask });
  return countedMean(target.length, options.mask, (i) => (target[i] - forecast[i]) ** 2);
}

/**
 * Mean absolute error: MAE = (1/n) Σ |y_t − ŷ_t| over the n counted positions.
 * NaN when nothing is counted.
 */
export function mae(target: ArrayLike<number>, forecast: ArrayLike<number>, options: MetricOptions = {}): number {
  checkLengths('mae', target, { forecast, mask: options.mask });
  return countedMean(target.length, options.mask, (i) => Math.abs(target[i] - forecast[i]));
}

/** Root mean squared error: RMSE = √MSE. NaN when nothing is counted. */
export function rmse(target: ArrayLike<number>, forecast: ArrayLike<number>, options: MetricOptions = {}): number {
  return Math.sqrt(mse(target, forecast, options));
}

/**
 * Mean absolute percentage error, in percent: MAPE = (100/n) Σ |y_t − ŷ_t| / |y_t|.
 * Positions with y_t = 0 are skipped (the ratio is undefined there) and do not count in n;
 * NaN when no counted target is non-zero.
 */
export function mape(target: ArrayLike<number>, forecast: ArrayLike<number>, options: MetricOptions = {}): number {
  checkLengths('mape', target, { forecast, mask: options.mask });
  let sum = 0;
  let n = 0;
  for (let i = 0; i < target.length; i++) {
    if (!counted(options.mask, i) || target[i] === 0) continue;
    sum += Math.abs(target[i] - forecast[i]) / Math.abs(target[i]);
    n++;
  }
  return n === 0 ? NaN : (100 * sum) / n;
}

/**
 * Symmetric MAPE as defined for M4, in percent (0 to 200):
 * sMAPE = (1/n) Σ 200 · |y_t − ŷ_t| / (|y_t| + |ŷ_t|), with a 0/0 term (y_t = ŷ_t = 0) taken
 * as 0, a perfect forecast. NaN when nothing is counted.
 */
export function smape(target: ArrayLike<number>, forecast: ArrayLike<number>, options: MetricOptions = {}): number {
  checkLengths('smape', target, { forecast, mask: options.mask });
  return countedMean(target.length, options.mask, (i) => {
    const denominator = Math.abs(target[i]) + Math.abs(forecast[i]);
    return denominator === 0 ? 0 : (200 * Math.abs(target[i] - forecast[i])) / denominator;
  });
}

export interface MaseOptions extends MetricOptions {
  /** The training history the forecast continues, [T, C] row-major, in time order. */
  history: ArrayLike<number>;
  /** 1 where the history is observed; pairs with a missing end are skipped. */
  historyMask?: ArrayLike<number>;
  /** Seasonal period m of the naive forecast ŷ_t = y_{t−m} (1: the random walk). Default 1. */
  period?: number;
  /** Channels C of the interleaved [steps, C] arrays; each channel is scaled by its own history. Default 1. */
  channels?: number;
}

/**
 * Mean absolute scaled error (Hyndman & Koehler 2006; the M4 definition):
 * MASE = MAE(y, ŷ) / ((1/(T−m)) Σ_{t=m}^{T−1} |h_t − h_{t−m}|), the forecast's MAE over the
 * in-sample MAE of the seasonal-naive forecast with period m on the history h of length T.
 * With several channels each gets its own scale and the result is the mean over channels.
 * NaN when nothing is counted or the history has no counted pair m steps apart; +∞ when the
 * history is constant (zero scale) and the forecast is not exact, NaN (0/0) when it is.
 */
export function mase(target: ArrayLike<number>, forecast: ArrayLike<number>, options: MaseOptions): number {
  const { history, historyMask, mask, period = 1, channels = 1 } = options;
  checkLengths('mase', target, { forecast, mask });
  checkLengths('mase', history, { historyMask });
  if (!(Number.isInteger(period) && period >= 1)) throw new RangeError(`mase: period ${period} must be a positive integer`);
  if (!(Number.isInteger(channels) && channels >= 1)) throw new RangeError(`mase: channels ${channels} must be a positive integer`);
  if (target.length % channels !== 0 || history.length % channels !== 0) {
    throw new RangeError(`mase: target (${target.length}) and history (${history.length}) lengths must be multiples of ${channels} channels`);
  }
  const lag = period * channels;
  let total = 0;
  let defined = 0;
  for (let c = 0; c < channels; c++) {
    let scaleSum = 0;
    let pairs = 0;
    for (let i = lag + c; i < history.length; i += channels) {
      if (!counted(historyMask, i) || !counted(historyMask, i - lag)) continue;
      scaleSum += Math.abs(history[i] - history[i - lag]);
      pairs++;
    }
    let errorSum = 0;
    let n = 0;
    for (let i = c; i < target.length; i += channels) {
      if (!counted(mask, i)) continue;
      errorSum += Math.abs(target[i] - forecast[i]);
      n++;
    }
    if (pairs === 0 || n === 0) continue;
    total += errorSum / n / (scaleSum / pairs);
    defined++;
  }
  return defined === 0 ? NaN : total / defined;
}
