/**
 * `chronoscale`: deep time-series forecasting. The `Forecast` front end, the model families,
 * data loading, metrics, plots and conformal intervals: everything a forecasting script needs.
 *
 * ```ts
 * import { Forecast, DLinear, SeasonalNaive } from 'chronoscale';
 * ```
 *
 * The engine underneath (tensors, nn, optim, the training loop, checkpoints) is
 * `chronoscale/engine`; the layers of the S4, SpaceTime and Time-MoE families are `chronoscale/s4`,
 * `chronoscale/spacetime` and `chronoscale/time-moe`; the kernel registry is `chronoscale/kernels`.
 *
 * @packageDocumentation
 */
export * from './src/forecasting.ts';
export {
  Naive,
  SeasonalNaive,
  RidgeLinear,
  DLinear,
  S4Forecaster,
  SpaceTimeForecaster,
  TimeMoEForecaster,
  dlinearDefaults,
  s4ForecasterDefaults,
  spaceTimeDefaults,
  spaceTimePresets,
  timeMoEForecasterDefaults,
  loadForecast,
  modelFamilies,
  modelKeys,
  type ModelKey,
  type ModelFamily,
  type ModelSettings,
  type RidgeLinearConfig,
  type DLinearConfig,
  type S4ForecasterConfig,
  type SpaceTimeForecasterConfig,
  type TimeMoEForecasterConfig,
} from './models/index.ts';
