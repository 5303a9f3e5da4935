/**
 * The S4 forecaster: S4ForecastNetwork (the S4 Informer forecasting setup, forecast-network.ts)
 * behind the SeriesForecaster interface, trained on sliding windows with AdamW in upstream's
 * parameter groups (dt, A, B at the SSM learning rate 0.001 without weight decay), MSE on the
 * observed targets, validation and early stopping.
 *
 * Training is the shared `fitNetwork` (batching, the loss over observed targets, missing
 * context, validation, early stopping) given S4's parameter groups.
 *
 * Every default is in `s4ForecasterDefaults` (forecaster-defaults.ts), merged into `config` at
 * construction so a saved model keeps the settings it was trained with.
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
import type { ModelFamily } from '../family.ts';
import { s4ForecasterDefaults } from './forecaster-defaults.ts';
import { sequenceParamGroups } from './sequence-model.ts';

/**
 * NeuralFitConfig's training options, name, channels, and the model's. A field left out takes
 * its value from `s4ForecasterDefaults` (forecaster-defaults.ts), where each default is written
 * once with its reason.
 */
export interface S4ForecasterConfig extends WindowForecasterConfig {
  /** SSM kernel of each block. */
  kernel?: 's4d' | 's4';
  /** Width D (upstream 128). */
  dModel?: number;
  /** Residual blocks. */
  layers?: number;
  /** N (the layer's default, 64 as upstream). */
  dState?: number;
  /** dt range at initialisation (the layer's default, [0.001, 0.1]). */
  dtMin?: number;
  dtMax?: number;
  /** Upstream 0.25. */
  dropout?: number;
  prenorm?: boolean;
  /** Per-window normalisation, RevIN-style. */
  normalize?: boolean;
  /** A channel marking the future positions. */
  futureMask?: boolean;
  /** Each channel forecast as its own series with shared weights (false: one encoder over all channels, as upstream). */
  channelIndependent?: boolean;
  /** Learning rate of dt, A, B (upstream's `lr` of the SSM parameters). */
  ssmLearningRate?: number;
  /** Seed of the initial weights. */
  seed?: number;
}

export class S4Forecaster extends WindowForecaster<S4ForecasterConfig, S4ForecastNetwork> {
  readonly family: string = s4Family.key;

  constructor(config: S4ForecasterConfig) {
    const settings = { ...s4ForecasterDefaults, ...config };
    super(settings, s4Family.name, { multivariate: !settings.channelIndependent });
  }

  protected build(channels: number, c: S4ForecasterConfig): S4ForecastNetwork {
    return new S4ForecastNetwork({
      lookback: c.lookback,
      horizon: c.horizon,
      channels,
      dModel: c.dModel,
      layers: c.layers,
      layer: { kernel: c.kernel, dState: c.dState, dtMin: c.dtMin, dtMax: c.dtMax },
      dropout: c.dropout,
      prenorm: c.prenorm,
      normalize: c.normalize,
      futureMask: c.futureMask,
      channelIndependent: c.channelIndependent,
      rng: new Random(c.seed ?? s4ForecasterDefaults.seed),
    });
  }

  /** Trains on the panel's windows (fitNetwork) with AdamW in S4's parameter groups: dt, A, B at the SSM rate without weight decay. */
  protected train(network: S4ForecastNetwork, data: SeriesTrainingData, config: S4ForecasterConfig, options: FitOptions): Promise<FitSummary> {
    const settings = { ...s4ForecasterDefaults, ...config };
    const groups = sequenceParamGroups(network.model, { lr: settings.learningRate, weightDecay: settings.weightDecay, ssmLr: settings.ssmLearningRate });
    return fitNetwork(network, data, settings, options, groups);
  }
}

/** The registry entry of the S4 forecaster. */
export const s4Family = {
  name: 'S4',
  key: 's4',
  description: 'S4D state-space blocks (models/s4)',
  trained: true,
  create: ({ lookback, horizon }) => new S4Forecaster({ lookback, horizon }),
  load: (config) => new S4Forecaster(config as S4ForecasterConfig),
} as const satisfies ModelFamily;
