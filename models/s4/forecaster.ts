/**
 * The S4 forecaster: S4ForecastNetwork (the S4 Informer forecasting setup, forecast-network.ts)
 * behind the SeriesForecaster interface, trained on sliding windows with AdamW in upstream's
 * parameter groups (dt, A, B at the SSM learning rate 0.001 without weight decay), MSE on the
 * observed targets, validation and early stopping.
 *
 * Training is the shared `fitNetwork` (batching, the loss over observed targets, missing
 * context, validation, early stopping) given S4's parameter groups.
 *
 * The channel count is read from the data at the first fit (or given as `channels`) and kept in
 * `config`, so a saved model is rebuilt with the right encoder and decoder.
 */
import {
  Random,
  fitNetwork,
  forecastNetwork,
  predictSeries,
  seriesCapabilities,
  type Capabilities,
  type ContextWindows,
  type FitOptions,
  type ModelState,
  type NeuralFitConfig,
  type PredictOptions,
  type Series,
  type SeriesForecaster,
  type SeriesTrainingData,
  type SignalForecast,
  type StepsHorizon,
  type TrainResult,
  type WindowForecasts,
} from '../../src/index.ts';
import { S4ForecastNetwork } from './forecast-network.ts';
import { sequenceParamGroups } from './sequence-model.ts';

/** NeuralFitConfig's training options (schedule default 'halveEachEpoch') and the model's. */
export interface S4ForecasterConfig extends NeuralFitConfig {
  /** Display name (default 'S4'), e.g. to run two configurations side by side. */
  name?: string;
  /** Input channels; set from the data at the first fit when absent. */
  channels?: number;
  /** SSM kernel of each block (default 's4d'). */
  kernel?: 's4d' | 's4';
  /** Width (default 32; upstream 128). */
  dModel?: number;
  /** Residual blocks (default 2). */
  layers?: number;
  /** N (default 64, as upstream). */
  dState?: number;
  /** dt range at initialisation (default [0.001, 0.1]). */
  dtMin?: number;
  dtMax?: number;
  /** Default 0.1 (upstream 0.25). */
  dropout?: number;
  prenorm?: boolean;
  /** Per-window normalisation, RevIN-style (default true). */
  normalize?: boolean;
  /** A channel marking the future positions (default true). */
  futureMask?: boolean;
  /**
   * Each channel forecast as its own series with shared weights (default true; false is
   * upstream's one encoder over all channels, which overfits ETTh1: see README.md).
   */
  channelIndependent?: boolean;
  /** Learning rate of dt, A, B (default 0.001, upstream's `lr` of the SSM parameters). */
  ssmLearningRate?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

export class S4Forecaster implements SeriesForecaster {
  readonly name: string;
  readonly family = 's4';
  readonly capabilities: Capabilities;
  readonly lookback: number;
  readonly horizon: number;
  private settings: S4ForecasterConfig;
  private network: S4ForecastNetwork | null = null;

  constructor(config: S4ForecasterConfig) {
    this.settings = {
      batchSize: 16,
      learningRate: 0.004,
      weightDecay: 0.01,
      ssmLearningRate: 0.001,
      maxEpochs: 10,
      patience: 3,
      schedule: 'halveEachEpoch',
      channelIndependent: true,
      ...config,
    };
    this.name = config.name ?? 'S4';
    this.lookback = config.lookback;
    this.horizon = config.horizon;
    this.capabilities = seriesCapabilities({ context: config.lookback, multivariate: !this.settings.channelIndependent });
    if (config.channels !== undefined) this.network = this.build(config.channels);
  }

  /** The construction options, with `channels` once known (what persistence saves). */
  get config(): S4ForecasterConfig {
    return this.settings;
  }

  private build(channels: number): S4ForecastNetwork {
    const c = this.settings;
    return new S4ForecastNetwork({
      lookback: c.lookback,
      horizon: c.horizon,
      channels,
      dModel: c.dModel,
      layers: c.layers,
      layer: { kernel: c.kernel ?? 's4d', dState: c.dState, dtMin: c.dtMin, dtMax: c.dtMax },
      dropout: c.dropout,
      prenorm: c.prenorm,
      normalize: c.normalize,
      futureMask: c.futureMask,
      channelIndependent: c.channelIndependent,
      rng: new Random(c.seed ?? 0),
    });
  }

  private ready(): S4ForecastNetwork {
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
      this.network = this.build(channels);
    }
    await fitS4(this.network, data, this.settings, options);
  }

  forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    if (options.horizon !== this.horizon) throw new Error(`${this.name} forecasts ${this.horizon} steps, not ${options.horizon}`);
    return forecastNetwork(this.ready(), windows, this.horizon);
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  state(): ModelState {
    return this.ready().stateDict();
  }

  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    this.ready().loadStateDict(state);
  }
}

/** Trains on the panel's windows (fitNetwork) with AdamW in S4's parameter groups: dt, A, B at the SSM rate without weight decay. */
export function fitS4(network: S4ForecastNetwork, data: SeriesTrainingData, config: S4ForecasterConfig, options: FitOptions = {}): Promise<TrainResult> {
  const { learningRate = 0.004, weightDecay = 0.01, ssmLearningRate = 0.001 } = config;
  const groups = sequenceParamGroups(network.model, { lr: learningRate, weightDecay, ssmLr: ssmLearningRate });
  return fitNetwork(network, data, { batchSize: 16, learningRate, weightDecay, ...config }, options, groups);
}
