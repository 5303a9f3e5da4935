/**
 * The SpaceTime forecaster: SpaceTimeNetwork (network.ts) behind the SeriesForecaster interface,
 * trained on sliding windows with upstream's objective (horizon + lookback one-step + decoder
 * input RMSEs), AdamW (upstream: lr 1e-3, weight decay 1e-4) and a cosine schedule with warmup
 * (upstream `timm_cosine`), validated on the horizon error with early stopping.
 *
 * Training runs `train` directly rather than `fitNetwork`, because the loss needs more than the
 * forecast (the open-loop terms); batching and missing-value handling are fitNetwork's. Channels
 * are forecast independently with shared weights, so any channel count works; it is read from
 * the data at the first fit (or given as `channels`) and kept in `config` for persistence.
 *
 * Defaults are sized for CPUs (D = 64, d = 32); `spaceTimePresets.official` is the README
 * configuration (D = 128, d = 64, dropout 0.25).
 */
import {
  AdamW,
  Random,
  batchCount,
  batches,
  forecastNetwork,
  predictSeries,
  seriesCapabilities,
  stepDecay,
  tensor,
  train,
  warmupCosine,
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
  type Tensor,
  type TrainResult,
  type WindowBatch,
  type WindowForecasts,
} from '../../src/index.ts';
import { SpaceTimeNetwork } from './network.ts';

/** NeuralFitConfig without `loss`: SpaceTime trains on its own objective (network.ts). Schedule default 'cosine'. */
export interface SpaceTimeForecasterConfig extends Omit<NeuralFitConfig, 'loss'> {
  /** Display name (default 'SpaceTime'). */
  name?: string;
  /** Input channels; set from the data at the first fit when absent. */
  channels?: number;
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

/** Named settings merged under a config. */
export const spaceTimePresets = {
  /** The README's ETT command: D 128, d 64, one encoder block, dropout 0.25, lr 1e-3, wd 1e-4, batch 50. */
  official: { modelDim: 128, kernelDim: 64, encoderBlocks: 1, dropout: 0.25, outputDropout: 0.2, learningRate: 1e-3, weightDecay: 1e-4, batchSize: 50 },
} satisfies Record<string, Partial<SpaceTimeForecasterConfig>>;

/** NaN → 0 (the scaled mean), so missing context values cannot poison a forward pass. */
function zeroMissing(values: Float32Array): Float32Array {
  return values.map((v) => (Number.isNaN(v) ? 0 : v));
}

export class SpaceTimeForecaster implements SeriesForecaster {
  readonly name: string;
  readonly family = 'spacetime';
  readonly capabilities: Capabilities;
  readonly lookback: number;
  readonly horizon: number;
  private settings: SpaceTimeForecasterConfig;
  private network: SpaceTimeNetwork | null = null;

  constructor(config: SpaceTimeForecasterConfig) {
    this.settings = { batchSize: 32, learningRate: 1e-3, weightDecay: 1e-4, maxEpochs: 10, patience: 3, schedule: 'cosine', ...config };
    this.name = config.name ?? 'SpaceTime';
    this.lookback = config.lookback;
    this.horizon = config.horizon;
    this.capabilities = seriesCapabilities({ context: config.lookback });
    if (config.channels !== undefined) this.network = this.build(config.channels);
  }

  /** The construction options, with `channels` once known (what persistence saves). */
  get config(): SpaceTimeForecasterConfig {
    return this.settings;
  }

  private build(channels: number): SpaceTimeNetwork {
    const c = this.settings;
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

  /** The network (built at the first fit, or at construction when `channels` is given). */
  get model(): SpaceTimeNetwork {
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
    await fitSpaceTime(this.network, data, this.settings, options);
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

/** The objective of one batch of windows (network.ts `loss`; the horizon term alone in eval mode). */
function windowLoss(network: SpaceTimeNetwork, batch: WindowBatch, config: SpaceTimeForecasterConfig, channels: number): Tensor {
  const { size } = batch;
  const x = tensor(zeroMissing(batch.context), [size, config.lookback, channels]);
  const y = tensor(zeroMissing(batch.target), [size, config.horizon, channels]);
  const mask = tensor(Float32Array.from(batch.targetMask), [size, config.horizon, channels]);
  return network.loss(x, y, mask);
}

/** Trains on the panel's windows: AdamW, the configured schedule, early stopping on validation. */
export async function fitSpaceTime(network: SpaceTimeNetwork, data: SeriesTrainingData, config: SpaceTimeForecasterConfig, options: FitOptions = {}): Promise<TrainResult> {
  const { lookback, horizon, batchSize = 32, learningRate = 1e-3, weightDecay = 1e-4, maxEpochs = 10 } = config;
  const channels = data.train.channels.length;
  const seed = options.seed ?? 0;
  const windowOptions = { lookback, horizon, batchSize };
  const stepsPerEpoch = batchCount(data.train, windowOptions);
  if (stepsPerEpoch === 0) throw new Error(`no training window of ${lookback + horizon} steps: the training data are too short`);
  const totalSteps = options.maxSteps ?? config.maxSteps ?? stepsPerEpoch * maxEpochs;
  const warmupSteps = Math.max(1, Math.round(totalSteps / 20));
  const schedule =
    config.schedule === 'halveEachEpoch'
      ? stepDecay({ stepSize: stepsPerEpoch, gamma: 0.5 })
      : config.schedule === 'constant'
        ? undefined
        : warmupCosine({ warmupSteps, totalSteps: Math.max(totalSteps, warmupSteps + 1) });
  const validation = data.validation;
  return train<WindowBatch>({
    model: network,
    loss: (batch) => windowLoss(network, batch, config, channels),
    trainBatches: (epoch) => batches(data.train, { ...windowOptions, shuffle: true, seed, epoch }),
    validationBatches: validation ? () => batches(validation, { ...windowOptions, stride: config.validationStride ?? 1, batchSize: 128 }) : undefined,
    optimizer: new AdamW(network.parameters(), { lr: learningRate, weightDecay }),
    schedule,
    clipGradNorm: config.clipGradNorm,
    evalEvery: validation ? config.evalEvery : undefined,
    maxEpochs: options.maxSteps === undefined ? maxEpochs : undefined,
    maxSteps: options.maxSteps ?? config.maxSteps,
    earlyStopping: validation ? { patience: config.patience ?? 3, restoreBest: true } : undefined,
    progress: options.progress ?? 'auto',
    signal: options.signal,
    seed,
  });
}
