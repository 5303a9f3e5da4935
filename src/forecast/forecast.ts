/**
 * Forecast: the orchestrator users drive (as NeuralForecast's). Models stay declarative; the
 * orchestrator reads the data, scales each series with statistics of its training part, holds
 * out a validation tail for early stopping, fits every model, forecasts from the end of the
 * history with timestamps, and converts results back to original units and to tables.
 *
 * @example
 *   const fc = new Forecast({ models: [new DLinear({ lookback: 336, horizon: 96 }), new SeasonalNaive({ horizon: 96, season: 24 })] });
 *   await fc.fit('ETTh1.csv');
 *   const result = await fc.predict({ level: [80, 90] });
 *   result.toTable().print();
 */
import type { LoadOptions } from '../data/load.ts';
import { futureTimes } from '../data/grid.ts';
import { StandardScaler, type ScalerMode } from '../data/scalers.ts';
import { sliceSeries } from '../data/splits.ts';
import type { Panel, Series } from '../data/types.ts';
import { crossValidation, type CrossValidationOptions, type CrossValidationResult } from './cross-validation.ts';
import { toPanel, type ForecastInput } from './input.ts';
import { saveForecast } from './persist.ts';
import { ForecastResult } from './result.ts';
import type { FitOptions, SeriesForecaster, SignalForecast, StepsHorizon } from './types.ts';

export interface ForecastConfig {
  models: SeriesForecaster[];
  /** How tables and files are read (layout, columns, time zone, frequency, repairs). */
  data?: LoadOptions;
  /** Scaling of each series (default 'perSeries'); statistics come from the training part only. */
  scaler?: ScalerMode | 'none';
}

export interface ForecastFitOptions extends FitOptions {
  /**
   * Steps at the end of each series held out for early stopping (default: the longest model
   * horizon when the series is long enough, else none). 0 disables validation.
   */
  validation?: number;
}

export interface ForecastPredictOptions {
  /** Forecast from the end of this history instead of the fitted data (same series ids and channels). */
  data?: ForecastInput;
  /** Central interval levels in percent (probabilistic models only). */
  level?: number[];
}

export class Forecast {
  readonly models: SeriesForecaster[];
  readonly options: Required<Pick<ForecastConfig, 'scaler'>> & Pick<ForecastConfig, 'data'>;
  /** The data of the last fit (original units). */
  history: Panel | null = null;
  scaler: StandardScaler | null = null;

  constructor(config: ForecastConfig) {
    if (config.models.length === 0) throw new Error('Forecast: give at least one model');
    const names = new Set<string>();
    for (const model of config.models) {
      if (names.has(model.name)) throw new Error(`Forecast: two models are named '${model.name}'; names label the output columns`);
      names.add(model.name);
      if (model.capabilities.signal !== '1d') throw new Error(`Forecast: ${model.name} forecasts images, not series`);
    }
    this.models = config.models;
    this.options = { scaler: config.scaler ?? 'perSeries', data: config.data };
  }

  /** The longest context any model reads. */
  get lookback(): number {
    return Math.max(...this.models.map((m) => m.lookback));
  }

  /** Reads data with the configured table options. */
  read(input: ForecastInput): Promise<Panel> {
    return toPanel(input, this.options.data);
  }

  /** Fits every model on the data (the validation tail is used for early stopping only). */
  async fit(input: ForecastInput, options: ForecastFitOptions = {}): Promise<void> {
    const panel = await this.read(input);
    await this.fitPanel(panel, options);
    this.history = panel;
  }

  /** Fits scaler and models on a panel already read (cross-validation fits on prefixes). */
  async fitPanel(panel: Panel, options: ForecastFitOptions = {}): Promise<void> {
    const horizon = Math.max(...this.models.map((m) => m.horizon));
    const shortest = Math.min(...panel.series.map((s) => s.time.length));
    const validation = options.validation ?? (shortest >= this.lookback + 4 * horizon ? horizon : 0);
    if (shortest < this.lookback + Math.max(validation, 0) + 1) {
      throw new Error(
        `Forecast.fit: the shortest series has ${shortest} steps; the models read ${this.lookback} and ${validation} are held out for validation`,
      );
    }
    const c = panel.channels.length;
    const train: Panel = { ...panel, series: panel.series.map((s) => sliceSeries(s, c, [0, s.time.length - validation])) };
    this.scaler = this.options.scaler === 'none' ? null : StandardScaler.fit(train, { mode: this.options.scaler });
    const scaled = (p: Panel) => (this.scaler ? this.scaler.transformPanel(p) : p);
    const validationPanel: Panel | undefined =
      validation > 0
        ? { ...panel, series: panel.series.map((s) => sliceSeries(s, c, [s.time.length - validation - this.lookback, s.time.length])) }
        : undefined;
    for (const model of this.models) {
      await model.fit({ train: scaled(train), validation: validationPanel && scaled(validationPanel) }, options);
    }
  }

  /** Forecasts each series from the end of its history, in original units, with timestamps. */
  async predict(options: ForecastPredictOptions = {}): Promise<ForecastResult> {
    const history = options.data ? await this.read(options.data) : this.history;
    if (!history) throw new Error('Forecast.predict: fit the models first, or pass data');
    const forecasts = new Map<string, SignalForecast<StepsHorizon>[]>();
    for (const model of this.models) {
      forecasts.set(model.name, await this.predictModel(model, history, options.level));
    }
    return new ForecastResult(history, forecasts);
  }

  /** Scaled copy of a series (identity without a scaler). */
  scale(series: Series): Series {
    return this.scaler ? this.scaler.transformSeries(series) : series;
  }

  /** Original units of values forecast for a series. */
  unscale(values: Float32Array, seriesId: string): Float32Array {
    return this.scaler ? this.scaler.inverse(values, seriesId) : values;
  }

  /** Writes the fitted forecast to a directory (see persist.ts); `loadForecast` reads it back. */
  save(dir: string): Promise<void> {
    return saveForecast(this, dir);
  }

  /** Rolling-origin backtest; see crossValidation in cross-validation.ts. */
  crossValidation(input: ForecastInput, options: CrossValidationOptions): Promise<CrossValidationResult> {
    return crossValidation(this, input, options);
  }

  private async predictModel(model: SeriesForecaster, history: Panel, level?: number[]): Promise<SignalForecast<StepsHorizon>[]> {
    const contexts = history.series.map((s) => this.scale(s));
    const forecasts = await model.predict(contexts, { kind: 'steps', steps: model.horizon }, { level });
    return forecasts.map((forecast, i) => this.finish(forecast, history.series[i], history));
  }

  /** Back to original units, with the timestamps of the forecast steps. */
  private finish(forecast: SignalForecast<StepsHorizon>, series: Series, panel: Panel): SignalForecast<StepsHorizon> {
    const unscale = (values: Float32Array) => this.unscale(values, series.id);
    const point = { ...forecast.point, values: unscale(forecast.point.values) };
    return {
      ...forecast,
      time: futureTimes(series.time, panel.frequency, forecast.point.extent[0], panel.timeZone),
      point,
      quantiles: new Map([...forecast.quantiles].map(([q, s]) => [q, { ...s, values: unscale(s.values) }])),
      scales: forecast.scales.map((scale) => ({
        ...scale,
        point: scale.point === forecast.point ? point : { ...scale.point, values: unscale(scale.point.values) },
      })),
    };
  }
}
