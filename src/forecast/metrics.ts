/**
 * Forecast accuracy metrics: point errors (MSE, MAE, RMSE, MAPE, sMAPE, MASE), probabilistic
 * scores (quantile loss, CRPS, interval coverage and width) and a metric table. Plain functions
 * on arrays with float64 accumulation and an optional mask; see `metrics/` for each definition.
 */
export type { MetricOptions } from './metrics/check.ts';
export { mse, mae, rmse, mape, smape, mase, type MaseOptions } from './metrics/point.ts';
export {
  pinball,
  quantileLoss,
  meanQuantileLoss,
  crpsFromQuantiles,
  crpsFromSamples,
  coverage,
  intervalWidth,
  type CrpsQuantileOptions,
  type CrpsSampleOptions,
} from './metrics/probabilistic.ts';
export {
  metricTable,
  formatMetricTable,
  type MetricName,
  type MetricRow,
  type MetricTableOptions,
  type ModelForecasts,
} from './metrics/table.ts';
