/**
 * The forecasting API of src/ (the package root re-exports all of it, beside the model
 * families): the `Forecast` front end and its result, the forecaster interface, conformal
 * intervals, the long-horizon protocol, data loading, metrics and plots, and the few engine
 * calls a forecasting script needs (`init`, `shutdown`).
 */
export { init, shutdown, type EngineOptions } from './engine/context.ts';
export type { BackendName } from '../kernels/index.ts';

export { Forecast, type ForecastConfig, type ForecastFitOptions, type ForecastPredictOptions } from './forecast/forecast.ts';
export { ForecastResult, quantileColumn } from './forecast/result.ts';
export type { ForecastInput } from './forecast/input.ts';
export type { CrossValidationOptions, CrossValidationResult, CrossValidationWindow } from './forecast/cross-validation.ts';
export type * from './forecast/types.ts';
export type { ModelFactory } from './forecast/persist.ts';
export { ConformalIntervals, type ConformalOptions } from './forecast/conformal.ts';
export { runLongHorizon, type LongHorizonOptions, type LongHorizonResult } from './forecast/long-horizon.ts';
export {
  TrainingError,
  type TrainingFailure,
  type ProgressMode,
  type ProgressOutput,
  type StopReason,
  type TrainEvent,
  type HistoryEntry,
} from './train/index.ts';

export type { Frequency, Panel, Series } from './data/types.ts';
export { DataError, type DataLocation, type Remedy } from './data/data-error.ts';
export type { Table } from './data/table.ts';
export {
  loadPanel,
  parsePanel,
  tableToPanel,
  type Covariates,
  type Layout,
  type LoadFormat,
  type LoadOptions,
  type LoadResult,
  type PanelOptions,
} from './data/load.ts';
export type { TimeParseOptions } from './data/parse-time.ts';
export type { Repair, RepairOptions } from './data/validate.ts';
export { formatFrequency, parseFrequency } from './data/frequency.ts';
export { frequencyReport, type FrequencyReport, type Gap } from './data/grid.ts';
export { inferFrequency } from './data/infer-frequency.ts';
export { checkTimeZone } from './data/time-zone.ts';
export { fillPanel, type FillStrategy } from './data/fill.ts';
export { checkContiguous } from './data/contiguity.ts';
export { calendarFeatureNames, calendarFeatures, type CalendarFeature, type CalendarOptions } from './data/calendar.ts';
export { StandardScaler, type ScalerMode, type StandardScalerJSON } from './data/scalers.ts';
export { sliceSeries, splitPanel, splitRanges, type PanelSplits, type RowRange, type SplitProtocol, type SplitRanges } from './data/splits.ts';

export * from './forecast/metrics.ts';
export * from './plot/index.ts';
