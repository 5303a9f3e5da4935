/**
 * The forecaster shell of a neural window model whose network depends on the data's channel
 * count (S4, SpaceTime): the network is built at the first fit from the data's channels, or at
 * construction when `channels` is given, and `channels` is kept in `config` so that a saved
 * model is rebuilt with the right shapes. A family supplies its network (`build`) and its
 * training (`train`, usually `fitNetwork` with its own options); forecasting, prediction and
 * state are the same for all.
 */
import type { Series } from '../data/types.ts';
import type { Module } from '../nn/module.ts';
import { seriesCapabilities } from './capabilities.ts';
import { forecastNetwork, type NeuralFitConfig, type WindowNetwork } from './neural.ts';
import { predictSeries } from './series-predict.ts';
import type {
  Capabilities,
  ContextWindows,
  FitOptions,
  FitSummary,
  ModelState,
  PredictOptions,
  SeriesForecaster,
  SeriesTrainingData,
  SignalForecast,
  StepsHorizon,
  WindowForecasts,
} from './types.ts';

/** What every such model's config holds besides its own options. */
export interface WindowForecasterConfig extends NeuralFitConfig {
  /** Display name, e.g. to run two configurations side by side. */
  name?: string;
  /** Input channels; set from the data at the first fit when absent. */
  channels?: number;
}

export abstract class WindowForecaster<C extends WindowForecasterConfig, N extends WindowNetwork & Module> implements SeriesForecaster {
  readonly name: string;
  abstract readonly family: string;
  readonly capabilities: Capabilities;
  readonly lookback: number;
  readonly horizon: number;
  private settings: C;
  private network: N | null = null;
  /** How the last fit trained (steps, time, stop reason). */
  lastFit: FitSummary | null = null;

  /** `settings`: the user's config over the family's defaults; `defaultName` when it names none. */
  constructor(settings: C, defaultName: string, capabilities: Partial<Capabilities> = {}) {
    this.settings = settings;
    this.name = settings.name ?? defaultName;
    this.lookback = settings.lookback;
    this.horizon = settings.horizon;
    this.capabilities = seriesCapabilities({ context: settings.lookback, ...capabilities });
    if (settings.channels !== undefined) this.network = this.build(settings.channels, settings);
  }

  /** The family's network for `channels` input channels. */
  protected abstract build(channels: number, config: C): N;

  /** The family's training of its network on the data. */
  protected abstract train(network: N, data: SeriesTrainingData, config: C, options: FitOptions): Promise<FitSummary>;

  /** The construction options, with `channels` once known (what persistence saves). */
  get config(): C {
    return this.settings;
  }

  /** The network (built at the first fit, or at construction when `channels` is given). */
  get model(): N {
    if (!this.network) throw new Error(`${this.name}: fit the model (or give \`channels\`) before using its state`);
    return this.network;
  }

  async fit(data: SeriesTrainingData, options: FitOptions = {}): Promise<void> {
    const channels = data.train.channels.length;
    if (this.settings.channels !== undefined && this.settings.channels !== channels) {
      throw new Error(`${this.name} was built for ${this.settings.channels} channels; the data have ${channels}`);
    }
    if (!this.network) {
      this.settings = { ...this.settings, channels };
      this.network = this.build(channels, this.settings);
    }
    this.lastFit = await this.train(this.network, data, this.settings, options);
  }

  forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    if (options.horizon !== this.horizon) throw new Error(`${this.name} forecasts ${this.horizon} steps, not ${options.horizon}`);
    return forecastNetwork(this.model, windows, this.horizon);
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  state(): ModelState {
    return this.model.stateDict();
  }

  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    this.model.loadStateDict(state);
  }
}
