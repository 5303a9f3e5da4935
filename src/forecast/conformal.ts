/**
 * Conformal prediction intervals around any point forecaster (split conformal prediction,
 * Vovk et al. 2005; the wrapper idea of NeuralForecast's PredictionIntervals):
 *   1. fit the model on each series up to a calibration period, forecast `windows` windows
 *      of that period, and keep the absolute errors |y − ŷ| per horizon step and channel;
 *   2. refit on all the training data;
 *   3. the central interval at level p is ŷ ± the k-th smallest calibration error,
 *      k = ⌈(n + 1)·p⌉ of n errors, which covers with probability ≥ p when errors are
 *      exchangeable (an infinite margin when n is too small for the level).
 * Quantile q < ½ is the lower bound of the (1 − 2q) interval, q > ½ the upper bound of (2q − 1).
 */
import { sliceSeries } from '../data/splits.ts';
import type { Panel } from '../data/types.ts';
import { predictSeries } from './series-predict.ts';
import type {
  Capabilities,
  ContextWindows,
  FitOptions,
  ModelState,
  PredictOptions,
  SeriesForecaster,
  SeriesTrainingData,
  SignalForecast,
  StepsHorizon,
  WindowForecasts,
} from './types.ts';
import type { Series } from '../data/types.ts';

export interface ConformalOptions {
  /** Calibration windows per series (default 10). */
  windows?: number;
  /** Steps between calibration cutoffs (default: the horizon, so windows do not overlap). */
  step?: number;
}

export class ConformalIntervals implements SeriesForecaster {
  readonly name: string;
  readonly family = 'conformal';
  readonly capabilities: Capabilities;
  private readonly windows: number;
  private readonly step: number;
  /** Sorted absolute calibration errors: [horizon, channels, n]. */
  private scores: Float32Array | null = null;
  private scoreCount = 0;
  private channels = 0;

  constructor(
    readonly model: SeriesForecaster,
    options: ConformalOptions = {},
  ) {
    this.name = model.name;
    this.windows = options.windows ?? 10;
    this.step = options.step ?? model.horizon;
    if (!Number.isInteger(this.windows) || this.windows < 1) throw new RangeError(`conformal windows ${this.windows} must be a positive integer`);
    this.capabilities = { ...model.capabilities, probabilistic: 'quantile', horizon: 'fixed' };
  }

  get lookback(): number {
    return this.model.lookback;
  }

  get horizon(): number {
    return this.model.horizon;
  }

  get config(): object {
    return { model: { family: this.model.family, config: this.model.config }, windows: this.windows, step: this.step };
  }

  async fit(data: SeriesTrainingData, options?: FitOptions): Promise<void> {
    const { train } = data;
    const c = train.channels.length;
    const h = this.horizon;
    const span = h + (this.windows - 1) * this.step;
    for (const series of train.series) {
      if (series.time.length < this.lookback + span + 1) {
        throw new Error(`conformal intervals: series '${series.id}' has ${series.time.length} steps; calibration needs ${this.lookback + span + 1}`);
      }
    }
    const prefix: Panel = { ...train, series: train.series.map((s) => sliceSeries(s, c, [0, s.time.length - span])) };
    await this.model.fit({ train: prefix }, options);
    await this.collectScores(train, c);
    await this.model.fit(data, options);
  }

  /** Forecasts every calibration window of every series and stores the sorted absolute errors. */
  private async collectScores(train: Panel, c: number): Promise<void> {
    const { lookback, horizon: h } = this;
    const count = train.series.length * this.windows;
    const values = new Float32Array(count * lookback * c);
    const mask = new Uint8Array(values.length);
    const targets = new Float32Array(count * h * c);
    const targetMask = new Uint8Array(targets.length);
    train.series.forEach((series, s) => {
      const steps = series.time.length;
      for (let w = 0; w < this.windows; w++) {
        const cutoff = steps - h - w * this.step;
        const n = s * this.windows + w;
        values.set(series.values.subarray((cutoff - lookback) * c, cutoff * c), n * lookback * c);
        mask.set(series.mask.subarray((cutoff - lookback) * c, cutoff * c), n * lookback * c);
        targets.set(series.values.subarray(cutoff * c, (cutoff + h) * c), n * h * c);
        targetMask.set(series.mask.subarray(cutoff * c, (cutoff + h) * c), n * h * c);
      }
    });
    const { point } = await this.model.forecast({ count, length: lookback, channels: c, values, mask }, { horizon: h, quantiles: [] });
    const scores = new Float32Array(h * c * count).fill(Infinity); // missing targets sort last
    for (let n = 0; n < count; n++) {
      for (let i = 0; i < h * c; i++) {
        if (targetMask[n * h * c + i]) scores[i * count + n] = Math.abs(targets[n * h * c + i] - point[n * h * c + i]);
      }
    }
    for (let i = 0; i < h * c; i++) scores.subarray(i * count, (i + 1) * count).sort();
    this.scores = scores;
    this.scoreCount = count;
    this.channels = c;
  }

  /** Half-width of the level-p interval at (step, channel): the ⌈(n+1)p⌉-th smallest error. */
  private margin(cell: number, level: number): number {
    const k = Math.ceil((this.scoreCount + 1) * level);
    return k > this.scoreCount ? Infinity : this.scores![cell * this.scoreCount + k - 1];
  }

  async forecast(windows: ContextWindows, options: { horizon: number; quantiles: readonly number[] }): Promise<WindowForecasts> {
    if (!this.scores) throw new Error(`${this.name} (conformal): fit before forecasting`);
    if (windows.channels !== this.channels) throw new Error(`${this.name} (conformal): calibrated on ${this.channels} channels, got ${windows.channels}`);
    const result = await this.model.forecast(windows, { horizon: options.horizon, quantiles: [] });
    const cells = this.horizon * this.channels;
    const quantiles = new Map<number, Float32Array>();
    for (const q of options.quantiles) {
      const sign = q < 0.5 ? -1 : 1;
      const level = Math.abs(1 - 2 * q);
      quantiles.set(
        q,
        result.point.map((v, i) => (level === 0 ? v : v + sign * this.margin(i % cells, level))),
      );
    }
    return { ...result, quantiles };
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  state(): ModelState {
    const state: ModelState = new Map([...this.model.state()].map(([k, v]) => [`model.${k}`, v]));
    if (this.scores) state.set('conformal.scores', { shape: [this.horizon, this.channels, this.scoreCount], data: this.scores });
    return state;
  }

  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    const inner = new Map([...state].filter(([k]) => k.startsWith('model.')).map(([k, v]) => [k.slice('model.'.length), v]));
    this.model.loadState(inner);
    const scores = state.get('conformal.scores');
    if (scores) {
      this.scores = scores.data.slice();
      [, this.channels, this.scoreCount] = scores.shape;
    }
  }
}
