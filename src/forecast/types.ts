/**
 * The forecaster interface shared by every model family, the image models of the next-scale
 * family included.
 *
 * A model forecasts a *signal*: a 1-D series of C channels (time × channel) or a 2-D image of C
 * channels (height × width × channel). Its context is what it conditions on (the recent history
 * of a series; a class label and/or a partial image); its horizon is how much signal to produce
 * (a number of steps; a target resolution). A forecast carries the point forecast, optional
 * quantiles, and the multi-resolution view: the same horizon at coarse-to-fine scales, produced
 * natively by next-scale models and derived by pooling for the others.
 */
import type { Panel, Series } from '../data/types.ts';
import type { TrainResult } from '../train/types.ts';

/** A 1-D horizon: the number of future steps. */
export interface StepsHorizon {
  kind: 'steps';
  steps: number;
}

/** A 2-D horizon: the target resolution of an image. */
export interface ResolutionHorizon {
  kind: 'resolution';
  height: number;
  width: number;
}

export type Horizon = StepsHorizon | ResolutionHorizon;

/** The extent of a signal along its spatial axes: [steps] for series, [height, width] for images. */
export type Extent<H extends Horizon> = H extends StepsHorizon ? readonly [steps: number] : readonly [height: number, width: number];

/**
 * Signal values: row-major over the extent's axes then channels, i.e. [steps, C] for series and
 * [height, width, C] for images.
 */
export interface Signal<H extends Horizon = Horizon> {
  extent: Extent<H>;
  channels: number;
  values: Float32Array;
}

/** One level of the multi-resolution view: the horizon at `extent` cells (1 = the whole horizon as one value). */
export interface ScaleView<H extends Horizon = Horizon> {
  extent: Extent<H>;
  point: Signal<H>;
}

/** A model's forecast of one signal. */
export interface SignalForecast<H extends Horizon = Horizon> {
  /** Series id, or an image's index. */
  id: string;
  /** Timestamps of the forecast steps (series only), epoch ms. */
  time?: Float64Array;
  point: Signal<H>;
  /** Quantile level in (0, 1) → values shaped as the point forecast; empty for point models. */
  quantiles: Map<number, Signal<H>>;
  /** Coarse to fine; the last entry is the point forecast itself. */
  scales: ScaleView<H>[];
}

/** How a model may be used; checked before fit and predict, with a clear error. */
export interface Capabilities {
  /** Models channels jointly (false: channel-independent or univariate). */
  multivariate: boolean;
  /** Accepts future-known covariates. */
  futureCovariates: boolean;
  /** Accepts past-only covariates. */
  pastCovariates: boolean;
  /** Point forecasts only, quantiles, or samples. */
  probabilistic: 'none' | 'quantile' | 'samples';
  /** Needs no fitting on the target data (a pretrained or rule-based model). */
  zeroShot: boolean;
  /** Horizon fixed at construction (direct multi-output) or any at predict time (autoregressive). */
  horizon: 'fixed' | 'any';
  /** Steps of context the model reads; null if it reads the whole history. */
  context: number | null;
  /** Series (1-D) or images (2-D). */
  signal: '1d' | '2d';
}

/** Options every fit accepts; model families add their own. */
export interface FitOptions {
  /** Stops training when aborted; the model keeps its best weights so far. */
  signal?: AbortSignal;
  /** 'auto' (a bar on terminals, lines otherwise), 'bar', 'lines' or 'silent'. */
  progress?: 'auto' | 'bar' | 'lines' | 'silent';
  seed?: number;
  /** Upper bound on optimisation steps (overrides the model's own budget). */
  maxSteps?: number;
}

/**
 * How a trained model's last fit went, enough to report time per step and per epoch: the
 * training loop's result without its history, and the batches in one pass over the windows.
 */
export type FitSummary = Pick<TrainResult, 'steps' | 'seconds' | 'stoppedBy' | 'bestValidation' | 'bestStep'> & { stepsPerEpoch: number };

/** Options every predict accepts. */
export interface PredictOptions {
  /** Central interval levels in percent, e.g. [80, 90] → quantiles 0.05, 0.1, 0.9, 0.95. */
  level?: number[];
}

/** Learned state of a model, by dotted name (empty for rule-based models). */
export type ModelState = Map<string, { shape: readonly number[]; data: Float32Array }>;

/**
 * The interface of every forecaster, series or image: fit on data, forecast from contexts to a
 * horizon, and expose config + state for persistence. `D` is the training data, `C` one
 * context, `H` the horizon kind.
 */
export interface Forecaster<D, C, H extends Horizon> {
  /** Display name, used for output columns (`DLinear`, `DLinear-lo-90`). */
  readonly name: string;
  /** Family key for persistence (e.g. 'dlinear'); `family` + `config` rebuild the model. */
  readonly family: string;
  readonly capabilities: Capabilities;
  /** JSON-able construction options. */
  readonly config: object;
  fit(data: D, options?: FitOptions): Promise<void>;
  predict(contexts: readonly C[], horizon: H, options?: PredictOptions): Promise<SignalForecast<H>[]>;
  state(): ModelState;
  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void;
}

/** The data a series model trains on: a training panel and optionally a validation panel. */
export interface SeriesTrainingData {
  train: Panel;
  validation?: Panel;
}

/** A batch of context windows [N, L, C] with their mask: what series models forecast from. */
export interface ContextWindows {
  count: number;
  length: number;
  channels: number;
  values: Float32Array;
  mask: Uint8Array;
}

/** Forecasts for a batch of windows: point [N, H, C] and quantiles by level. */
export interface WindowForecasts {
  horizon: number;
  point: Float32Array;
  quantiles: Map<number, Float32Array>;
}

/**
 * A series forecaster. Its core is `forecast` over a batch of context windows (what backtests
 * and benchmarks call thousands of times); `predict` on whole series is derived from it.
 */
export interface SeriesForecaster extends Forecaster<SeriesTrainingData, Series, StepsHorizon> {
  /** Steps of context one forecast reads. */
  readonly lookback: number;
  /** The horizon it was built for (fixed-horizon models) or its default. */
  readonly horizon: number;
  /** How the last `fit` trained, for models trained by gradient steps (null before a fit). */
  readonly lastFit?: FitSummary | null;
  forecast(windows: ContextWindows, options: { horizon: number; quantiles: readonly number[] }): Promise<WindowForecasts>;
}

/** Context of an image forecast: a class label and/or the known top rows of the image. */
export interface ImageContext {
  id: string;
  label?: number;
  /** Known rows in raster order (a prefix of the image) at the target resolution. */
  partial?: Signal<ResolutionHorizon>;
}

export interface ImageTrainingData {
  images: Signal<ResolutionHorizon>[];
  labels?: number[];
}

/** An image forecaster of the next-scale family: the same interface over 2-D signals. */
export type ImageForecaster = Forecaster<ImageTrainingData, ImageContext, ResolutionHorizon>;
