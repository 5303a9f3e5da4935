/**
 * The SpaceTime forecaster: SpaceTimeNetwork (network.ts) behind the SeriesForecaster interface,
 * trained on sliding windows with upstream's objective (horizon + lookback one-step + decoder
 * input RMSEs), AdamW (weight decay 1e-4 as upstream; learning rate 1e-2, where upstream's 1e-3
 * is meant for up to 500 epochs and barely moves in the few a CPU affords, README.md) and a
 * cosine schedule with warmup (upstream `timm_cosine`), validated on the horizon error with
 * early stopping.
 *
 * Training is the shared `fitNetwork`, which uses the network's own `loss` (the open-loop terms
 * need more than the forecast). Channels are forecast independently with shared weights, so any
 * channel count works; it is read from the data at the first fit (or given as `channels`) and
 * kept in `config` for persistence.
 *
 * Defaults are sized for CPUs (D = 64, d = 32); `spaceTimePresets.official` is the README
 * configuration (D = 128, d = 64, dropout 0.25).
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
import { SpaceTimeNetwork } from './network.ts';

/** NeuralFitConfig's training options without `loss` (SpaceTime trains on its own objective, network.ts; schedule default 'cosine'), name, channels, and the model's. */
export interface SpaceTimeForecasterConfig extends Omit<WindowForecasterConfig, 'loss'> {
  /** D (default 64). */
  modelDim?: number;
  /** d (default 32). */
  kernelDim?: number;
  /** Default 1. */
  encoderBlocks?: number;
  /** Encoder MLP dropout (default 0.1). */
  dropout?: number;
  outputDropout?: number;
  normOrder?: 0 | 1;
  maxAvgWindow?: number;
  subtractMean?: boolean;
  criterionWeights?: readonly [number, number, number];
  /** Seed of the initial weights and moving-average windows (default 0). */
  seed?: number;
}

/** The optimiser settings a config leaves out, for the forecaster and for `fitSpaceTime` alike. */
const trainingDefaults = { batchSize: 32, learningRate: 1e-2, weightDecay: 1e-4 } as const;

/** Named settings merged under a config. */
export const spaceTimePresets = {
  /** The README's ETT command: D 128, d 64, one encoder block, dropout 0.25, lr 1e-3, wd 1e-4, batch 50. */
  official: { modelDim: 128, kernelDim: 64, encoderBlocks: 1, dropout: 0.25, outputDropout: 0.2, learningRate: 1e-3, weightDecay: 1e-4, batchSize: 50 },
} satisfies Record<string, Partial<SpaceTimeForecasterConfig>>;

export class SpaceTimeForecaster extends WindowForecaster<SpaceTimeForecasterConfig, SpaceTimeNetwork> {
  readonly family = 'spacetime';

  constructor(config: SpaceTimeForecasterConfig) {
    super({ ...trainingDefaults, maxEpochs: 10, patience: 3, schedule: 'cosine', ...config }, 'SpaceTime');
  }

  protected build(channels: number, c: SpaceTimeForecasterConfig): SpaceTimeNetwork {
    return new SpaceTimeNetwork({
      lookback: c.lookback,
      horizon: c.horizon,
      channels,
      modelDim: c.modelDim ?? 64,
      kernelDim: c.kernelDim ?? 32,
      encoderBlocks: c.encoderBlocks,
      dropout: c.dropout ?? 0.1,
      outputDropout: c.outputDropout,
      normOrder: c.normOrder,
      maxAvgWindow: c.maxAvgWindow,
      subtractMean: c.subtractMean,
      criterionWeights: c.criterionWeights,
      rng: new Random(c.seed ?? 0),
    });
  }

  protected train(network: SpaceTimeNetwork, data: SeriesTrainingData, config: SpaceTimeForecasterConfig, options: FitOptions): Promise<FitSummary> {
    return fitSpaceTime(network, data, config, options);
  }
}

/** Trains on the panel's windows (fitNetwork with the network's objective): AdamW, the configured schedule, early stopping on validation. */
export function fitSpaceTime(network: SpaceTimeNetwork, data: SeriesTrainingData, config: SpaceTimeForecasterConfig, options: FitOptions = {}): Promise<FitSummary> {
  return fitNetwork(network, data, { ...trainingDefaults, ...config }, options);
}
