/**
 * The data model of the forecasting pipeline, shared by loading, splitting, windowing, the
 * forecaster interface and the models.
 *
 * A table (arquero, long or wide format) becomes a Panel: one or more Series, each a regular
 * time grid with one or more channels. Times are epoch milliseconds (UTC); values are float32,
 * row-major [time, channel]; missing values are NaN in `values` AND 0 in `mask` (never silently
 * zero): models that cannot take NaN fill them explicitly first (see fill strategies).
 */

/**
 * A sampling frequency, owned by this library (not pandas aliases, which churn between versions).
 * Fixed-length steps are arithmetic on epoch ms; calendar steps use date-fns in a time zone.
 */
export type Frequency =
  | { kind: 'fixed'; ms: number }
  | { kind: 'calendar'; unit: 'day' | 'week' | 'month' | 'quarter' | 'year'; step: number }
  | { kind: 'businessDay' };

/** One time series with C channels on its frequency's grid (possibly with gaps unless regularised). */
export interface Series {
  /** Series id (the long format's id column; the file name or 'series' for wide data). */
  id: string;
  /** Timestamps, epoch ms UTC, strictly increasing, length T. */
  time: Float64Array;
  /** Values [T, C] row-major; NaN where missing. */
  values: Float32Array;
  /** 1 where observed, 0 where missing; [T, C]. */
  mask: Uint8Array;
}

/** A collection of series that share channel names and frequency. */
export interface Panel {
  series: Series[];
  /** Target channel names (C). */
  channels: string[];
  frequency: Frequency;
  /** IANA time zone the timestamps were parsed in (for calendar features and output); 'UTC' by default. */
  timeZone: string;
}

/** Number of time steps of a series. */
export function seriesLength(series: Series, channels: number): number {
  return series.values.length / channels;
}
