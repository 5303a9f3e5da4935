/**
 * The SpaceTime forecaster: SpaceTimeNetwork (network.ts) behind the SeriesForecaster interface,
 * trained on sliding windows with upstream's objective (horizon + lookback one-step + decoder
 * input RMSEs), AdamW and a cosine schedule with warmup (upstream `timm_cosine`), validated on
 * the horizon error with early stopping.
 *
 * Training is the shared `fitNetwork`, which uses the network's own `loss` (the open-loop terms
 * need more than the forecast). Channels are forecast independently with shared weights, so any
 * channel count works; it is read from the data at the first fit (or given as `channels`) and
 * kept in `config` for persistence.
 *
 * Every default is in `spaceTimeDefaults` (defaults.ts, sized for CPUs), merged into `config` at
 * construction so a saved model keeps the settings it was trained with;
 * `spaceTimePresets.official` is the README configuration (D = 128, d = 64, dropout 0.25).
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
import type { ModelFamily } from '../family.ts';
import { spaceTimeDefaults } from './defaults.ts';
import { SpaceTimeNetwork } from './network.ts';

/**
 * NeuralFitConfig's training options without `loss` (SpaceTime trains on its own objective,
 * network.ts), name, channels, and the model's; a field left out takes its value from
 * `spaceTimeDefaults`.
 */
export interface SpaceTimeForecasterConfig extends Omit<WindowForecasterConfig, 'loss'> {
  /** D. */
  modelDim?: number;
  /** d. */
  kernelDim?: number;
  encoderBlocks?: number;
  /** Encoder MLP dropout. */
  dropout?: number;
  outputDropout?: number;
  normOrder?: 0 | 1;
  maxAvgWindow?: number;
  subtractMean?: boolean;
  criterionWeights?: readonly [number, number, number];
  /** Seed of the initial weights and moving-average windows. */
  seed?: number;
}

export class SpaceTimeForecaster extends WindowForecaster<SpaceTimeForecasterConfig, SpaceTimeNetwork> {
  readonly family: string = spaceTimeFamily.key;

  constructor(config: SpaceTimeForecasterConfig) {
    super({ ...spaceTimeDefaults, ...config }, spaceTimeFamily.name);
  }

  protected build(channels: number, c: SpaceTimeForecasterConfig): SpaceTimeNetwork {
    return new SpaceTimeNetwork({
      lookback: c.lookback,
      horizon: c.horizon,
      channels,
      modelDim: c.modelDim,
      kernelDim: c.kernelDim,
      encoderBlocks: c.encoderBlocks,
      dropout: c.dropout,
      outputDropout: c.outputDropout,
      normOrder: c.normOrder,
      maxAvgWindow: c.maxAvgWindow,
      subtractMean: c.subtractMean,
      criterionWeights: c.criterionWeights,
      rng: new Random(c.seed ?? spaceTimeDefaults.seed),
    });
  }

  protected train(network: SpaceTimeNetwork, data: SeriesTrainingData, config: SpaceTimeForecasterConfig, options: FitOptions): Promise<FitSummary> {
    return fitNetwork(network, data, { ...spaceTimeDefaults, ...config }, options);
  }
}

/** The registry entry of the SpaceTime forecaster. */
export const spaceTimeFamily = {
  name: 'SpaceTime',
  key: 'spaceTime',
  description: 'companion-matrix SSMs (models/spacetime)',
  trained: true,
  create: ({ lookback, horizon }) => new SpaceTimeForecaster({ lookback, horizon }),
  load: (config) => new SpaceTimeForecaster(config as SpaceTimeForecasterConfig),
} as const satisfies ModelFamily;
