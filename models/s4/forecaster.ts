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
  WindowForecaster,
  fitNetwork,
  type FitOptions,
  type FitSummary,
  type SeriesTrainingData,
  type WindowForecasterConfig,
} from '../../src/index.ts';
import { S4ForecastNetwork } from './forecast-network.ts';
import { sequenceParamGroups } from './sequence-model.ts';

/** NeuralFitConfig's training options (schedule default 'halveEachEpoch'), name, channels, and the model's. */
export interface S4ForecasterConfig extends WindowForecasterConfig {
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

export class S4Forecaster extends WindowForecaster<S4ForecasterConfig, S4ForecastNetwork> {
  readonly family = 's4';

  constructor(config: S4ForecasterConfig) {
    const settings = { batchSize: 16, learningRate: 0.004, weightDecay: 0.01, ssmLearningRate: 0.001, maxEpochs: 10, patience: 3, schedule: 'halveEachEpoch', channelIndependent: true, ...config } as const;
    super(settings, 'S4', { multivariate: !settings.channelIndependent });
  }

  protected build(channels: number, c: S4ForecasterConfig): S4ForecastNetwork {
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

  protected train(network: S4ForecastNetwork, data: SeriesTrainingData, config: S4ForecasterConfig, options: FitOptions): Promise<FitSummary> {
    return fitS4(network, data, config, options);
  }
}

/** Trains on the panel's windows (fitNetwork) with AdamW in S4's parameter groups: dt, A, B at the SSM rate without weight decay. */
export function fitS4(network: S4ForecastNetwork, data: SeriesTrainingData, config: S4ForecasterConfig, options: FitOptions = {}): Promise<FitSummary> {
  const { learningRate = 0.004, weightDecay = 0.01, ssmLearningRate = 0.001 } = config;
  const groups = sequenceParamGroups(network.model, { lr: learningRate, weightDecay, ssmLr: ssmLearningRate });
  return fitNetwork(network, data, { batchSize: 16, learningRate, weightDecay, ...config }, options, groups);
}
