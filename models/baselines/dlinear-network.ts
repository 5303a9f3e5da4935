/**
 * DLinear (Zeng et al. 2023, "Are Transformers Effective for Time Series Forecasting?"),
 * following Time-Series-Library's models/DLinear.py (channel-shared, `individual=False`):
 *   trend = moving average of x (kernel 25, the series edge values repeated (k−1)/2 times
 *           at both ends so the trend has the input's length), seasonal = x − trend,
 *   ŷ = Linear_Seasonal(seasonal) + Linear_Trend(trend), each Linear mapping L → H over time.
 * Field names follow the upstream state dict (Linear_Seasonal.weight, ...).
 *
 * Deviation: the moving average is a fixed [L, L] matrix (replicate padding folded in)
 * applied by matmul, which is exactly AvgPool1d over the padded series.
 *
 * Shapes: B batch, L lookback, H horizon, C channels.
 */
import { dlinearDefaults } from './dlinear-defaults.ts';
import { Linear, Module, buffer, matmul, parameter, permute, type Tensor } from '../../src/index.ts';

export interface DLinearNetworkConfig {
  lookback: number;
  horizon: number;
  /** Moving-average window (odd; default `dlinearDefaults.kernel`, 25 as the paper). */
  kernel?: number;
}

/** The moving-average matrix: trend[t] = Σ_s A[t][s] x[s], with edge values repeated as padding. */
export function movingAverageMatrix(length: number, kernel: number): Float32Array {
  if (kernel % 2 !== 1 || kernel < 1) throw new RangeError(`moving-average kernel ${kernel} must be a positive odd number`);
  const half = (kernel - 1) / 2;
  const a = new Float32Array(length * length);
  for (let t = 0; t < length; t++) {
    for (let k = -half; k <= half; k++) {
      const s = Math.min(length - 1, Math.max(0, t + k)); // padding repeats the first/last value
      a[t * length + s] += 1 / kernel;
    }
  }
  return a;
}

/** A [H, L] weight of 1/L everywhere: each output starts as the window's mean. */
function windowAverage(lookback: number, horizon: number): Tensor {
  return parameter(new Float32Array(horizon * lookback).fill(1 / lookback), [horizon, lookback]);
}

export class DLinearNetwork extends Module {
  Linear_Seasonal: Linear;
  Linear_Trend: Linear;
  /** [L, L] moving-average operator (a buffer: saved, not trained). */
  trendOperator: Tensor;

  constructor(readonly config: DLinearNetworkConfig) {
    super();
    const { lookback, horizon, kernel = dlinearDefaults.kernel } = config;
    this.Linear_Seasonal = new Linear(lookback, horizon);
    this.Linear_Trend = new Linear(lookback, horizon);
    // TSLib initialises both heads' weights to the window average, a sensible start for L → H
    // maps (the biases keep Linear's uniform draw, as upstream).
    this.Linear_Seasonal.weight = windowAverage(lookback, horizon);
    this.Linear_Trend.weight = windowAverage(lookback, horizon);
    this.trendOperator = buffer(movingAverageMatrix(lookback, kernel), [lookback, lookback]);
  }

  /** x [B, L, C] → [B, H, C] */
  forward(x: Tensor): Tensor {
    const series = permute(x, [0, 2, 1]); // [B, C, L]
    const trend = matmul(series, this.trendOperator, { transB: true }); // [B, C, L]
    const seasonal = series.sub(trend); // [B, C, L]
    const out = this.Linear_Seasonal.forward(seasonal).add(this.Linear_Trend.forward(trend)); // [B, C, H]
    return permute(out, [0, 2, 1]); // [B, H, C]
  }
}
