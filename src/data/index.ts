/**
 * The data pipeline: load (CSV, TSV, JSON, Arrow; long or wide) → validate and repair →
 * frequency and gaps → fill → calendar features → split → scale → windows and batches.
 */
export type { Frequency, Panel, Series } from './types.ts';
export { seriesLength } from './types.ts';
export { DataError, type DataLocation, type Remedy } from './data-error.ts';
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
} from './load.ts';
export { parseTimes, type ParsedTimes, type TimeParseOptions } from './parse-time.ts';
export {
  MISSING_TOKENS,
  maskOf,
  orderRows,
  parseNumericColumn,
  type CellContext,
  type OrderOptions,
  type RawRows,
  type Repair,
  type RepairOptions,
} from './validate.ts';
export { FREQUENCY_ALIASES, addSteps, formatFrequency, parseFrequency, sameFrequency, toFrequency } from './frequency.ts';
export { futureTimes, frequencyReport, gridOf, regularize, type FrequencyReport, type Gap, type Grid } from './grid.ts';
export { guessFrequency, inferFrequency } from './infer-frequency.ts';
export { checkTimeZone, zoneClock, type ZoneClock } from './time-zone.ts';
export { checkContiguous } from './contiguity.ts';
export { fillMissing, fillPanel, fillSeries, type FillStrategy } from './fill.ts';
export { calendarFeatureNames, calendarFeatures, type CalendarFeature, type CalendarOptions } from './calendar.ts';
export { StandardScaler, type ScalerMode, type StandardScalerJSON } from './scalers.ts';
export { denormalizeWindows, normalizeWindows, type WindowShape, type WindowStats } from './window-norm.ts';
export { protocolFor, sliceSeries, splitPanel, splitRanges, type PanelSplits, type RowRange, type SplitProtocol, type SplitRanges } from './splits.ts';
export {
  batchCount,
  batches,
  epochPermutation,
  windowCount,
  windowIndex,
  type BatchOptions,
  type WindowBatch,
  type WindowOptions,
  type WindowSource,
} from './windows.ts';
