/**
 * The whole src/ layer for code inside this repository (model families, the CLI's internals,
 * tests): the engine entry, the forecasting entry, the full data pipeline and the kit a model
 * family is built from. Not a package entry: users import `chronoscale` (index.ts) and
 * `chronoscale/engine` (engine.ts).
 */
export * from './engine.ts';
export * from './forecasting.ts';
export * from './data/index.ts';

// The kit a model family is written with (see models/README.md).
export { saveForecast, loadForecast as loadForecastWith } from './forecast/persist.ts';
export { crossValidation } from './forecast/cross-validation.ts';
export { toPanel } from './forecast/input.ts';
export { pooledScales, poolSteps, scaleSizes } from './forecast/scales.ts';
export { predictSeries, lastWindows, levelsToQuantiles } from './forecast/series-predict.ts';
export { seriesCapabilities } from './forecast/capabilities.ts';
export { solvePositiveDefinite } from './linalg/cholesky.ts';
export { fitNetwork, forecastNetwork, type WindowNetwork, type NeuralFitConfig } from './forecast/neural.ts';
export { WindowForecaster, type WindowForecasterConfig } from './forecast/window-forecaster.ts';
export { formatTable } from './diagnostics/table.ts';
