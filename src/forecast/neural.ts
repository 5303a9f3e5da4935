/**
 * Fitting and running a window-to-horizon network, shared by every neural series model
 * (DLinear, S4, SpaceTime, ...): the model supplies a Module mapping context windows
 * [B, L, C] to forecasts [B, H, C]; this file owns batching, the loss over observed targets,
 * validation with early stopping, and batched inference.
 *
 * Missing context values are fed as 0 (the scaled mean) and missing targets are left out of
 * the loss, so NaN never reaches the network.
 */
import { batchCount, batches, type WindowBatch } from '../data/windows.ts';
import { noGrad } from '../engine/context.ts';
import { tensor } from '../ops/creation.ts';
import { huberLoss, maeLoss, mseLoss } from '../ops/loss.ts';
import type { Module } from '../nn/module.ts';
import { AdamW } from '../optim/adamw.ts';
import type { ParamGroup } from '../optim/optimizer.ts';
import { stepDecay, warmupCosine, type Schedule } from '../optim/schedules.ts';
import type { Tensor } from '../tensor.ts';
import { train } from '../train/train.ts';
import type { ContextWindows, FitOptions, FitSummary, SeriesTrainingData, WindowForecasts } from './types.ts';

/** A network from context windows to forecasts. */
export interface WindowNetwork extends Module {
  /** x [B, L, C] → [B, H, C] */
  forward(x: Tensor): Tensor;
  /**
   * The network's own training objective for windows x [B, L, C] and targets y [B, H, C] with
   * their observed mask, where it is more than a loss on the forecast (SpaceTime's three
   * terms); without it training uses the configured loss on `forward(x)`.
   */
  loss?(x: Tensor, y: Tensor, mask: Tensor): Tensor;
}

export interface NeuralFitConfig {
  lookback: number;
  horizon: number;
  batchSize?: number;
  maxEpochs?: number;
  maxSteps?: number;
  learningRate?: number;
  weightDecay?: number;
  /** Epochs without validation improvement before stopping (default 3, TSLib's). */
  patience?: number;
  loss?: 'mse' | 'mae' | 'huber';
  clipGradNorm?: number;
  /**
   * 'halveEachEpoch' is TSLib's `lradj='type1'`; 'constant' keeps the rate; 'cosine' warms up
   * linearly over 5 % of the run, then decays to 0 at its end (maxSteps, or maxEpochs of the data).
   */
  schedule?: 'halveEachEpoch' | 'constant' | 'cosine';
  /** Validate every this many steps (default: at each epoch's end). */
  evalEvery?: number;
  /** Validate on every n-th window only (default 1: all), to make validation cheaper. */
  validationStride?: number;
}

/** NaN → 0 (the scaled mean), so missing context values cannot poison a forward pass. */
function zeroMissing(values: Float32Array): Float32Array {
  return values.map((v) => (Number.isNaN(v) ? 0 : v));
}

function batchLoss(network: WindowNetwork, batch: WindowBatch, config: NeuralFitConfig, channels: number): Tensor {
  const { size } = batch;
  const x = tensor(zeroMissing(batch.context), [size, config.lookback, channels]);
  const y = tensor(zeroMissing(batch.target), [size, config.horizon, channels]);
  const mask = tensor(Float32Array.from(batch.targetMask), [size, config.horizon, channels]);
  if (network.loss) return network.loss(x, y, mask);
  const prediction = network.forward(x); // [B, H, C]
  const options = { mask };
  if (config.loss === 'mae') return maeLoss(prediction, y, options);
  if (config.loss === 'huber') return huberLoss(prediction, y, options);
  return mseLoss(prediction, y, options);
}

/** The learning-rate factor by step for the configured schedule (undefined: constant). */
function learningRateSchedule(config: NeuralFitConfig, stepsPerEpoch: number, totalSteps: number): Schedule | undefined {
  if (config.schedule === 'halveEachEpoch') return stepDecay({ stepSize: stepsPerEpoch, gamma: 0.5 });
  if (config.schedule !== 'cosine') return undefined;
  const warmupSteps = Math.max(1, Math.round(totalSteps / 20));
  return warmupCosine({ warmupSteps, totalSteps: Math.max(totalSteps, warmupSteps + 1) });
}

/**
 * Trains a window network on a panel's windows with AdamW and early stopping on validation.
 * `params` are the network's parameters by default; a model whose parameters train at their
 * own rates (S4's SSM group) passes its groups.
 */
export async function fitNetwork(
  network: WindowNetwork,
  data: SeriesTrainingData,
  config: NeuralFitConfig,
  options: FitOptions = {},
  params: Tensor[] | ParamGroup[] = network.parameters(),
): Promise<FitSummary> {
  const { lookback, horizon, batchSize = 32, learningRate = 1e-3, weightDecay = 0, maxEpochs = 10 } = config;
  const channels = data.train.channels.length;
  const seed = options.seed ?? 0;
  const windowOptions = { lookback, horizon, batchSize };
  const stepsPerEpoch = batchCount(data.train, windowOptions);
  if (stepsPerEpoch === 0) throw new Error(`no training window of ${lookback + horizon} steps: the training data are too short`);
  const maxSteps = options.maxSteps ?? config.maxSteps;
  const validation = data.validation;
  const result = await train<WindowBatch>({
    model: network,
    loss: (batch) => batchLoss(network, batch, config, channels),
    trainBatches: (epoch) => batches(data.train, { ...windowOptions, shuffle: true, seed, epoch }),
    validationBatches: validation ? () => batches(validation, { ...windowOptions, stride: config.validationStride ?? 1, batchSize: 256 }) : undefined,
    evalEvery: validation ? config.evalEvery : undefined,
    optimizer: new AdamW(params, { lr: learningRate, weightDecay }),
    schedule: learningRateSchedule(config, stepsPerEpoch, maxSteps ?? stepsPerEpoch * maxEpochs),
    clipGradNorm: config.clipGradNorm,
    maxEpochs: options.maxSteps === undefined ? maxEpochs : undefined,
    maxSteps,
    earlyStopping: validation ? { patience: config.patience ?? 3, restoreBest: true } : undefined,
    progress: options.progress ?? 'auto',
    signal: options.signal,
    seed,
  });
  const { steps, seconds, stoppedBy, bestValidation, bestStep } = result;
  return { steps, stepsPerEpoch, seconds, stoppedBy, bestValidation, bestStep };
}

/** Runs a trained network over windows in batches, without gradients. */
export async function forecastNetwork(network: WindowNetwork, windows: ContextWindows, horizon: number, batchSize = 256): Promise<WindowForecasts> {
  const { count, length, channels } = windows;
  const point = new Float32Array(count * horizon * channels);
  network.eval();
  for (let first = 0; first < count; first += batchSize) {
    const size = Math.min(batchSize, count - first);
    const values = zeroMissing(windows.values.subarray(first * length * channels, (first + size) * length * channels));
    const y = noGrad(() => network.forward(tensor(values, [size, length, channels])));
    point.set(await y.data(), first * horizon * channels);
  }
  return { horizon, point, quantiles: new Map() };
}
