/**
 * Fine-tuning a Time-MoE on a panel's windows, through the shared training loop (`train`): each
 * window of lookback + horizon steps is cut into its channels (channel-independent, as upstream),
 * each channel normalised by its context's statistics (the forecaster's `normalization`, so the
 * model learns the mapping it is used with), and scored by the official objective
 * (`timeMoELoss`: labels = the sequence shifted by one, Huber over every head and position, plus
 * the load-balancing term), missing points left out of the loss. AdamW in the official groups
 * (`timeMoEParamGroups`), a cosine from the learning rate to `minLearningRate` without warmup,
 * clipping, and early stopping on the validation loss when there is a validation panel.
 */
import {
  AdamW,
  batchCount,
  batches,
  tensor,
  train,
  warmupCosine,
  type FitOptions,
  type FitSummary,
  type Panel,
  type SeriesTrainingData,
  type Tensor,
  type WindowBatch,
} from '../../src/index.ts';
import { timeMoELoss } from './loss.ts';
import type { TimeMoE } from './model.ts';
import { windowScale, type TimeMoENormalization } from './normalization.ts';
import { timeMoEParamGroups } from './param-groups.ts';

/** What fine-tuning reads from the forecaster's settings (timeMoEForecasterDefaults fills them). */
export interface FineTuneSettings {
  lookback: number;
  horizon: number;
  normalization: TimeMoENormalization;
  batchSize: number;
  learningRate: number;
  minLearningRate: number;
  weightDecay: number;
  betas: readonly [number, number];
  clipGradNorm: number;
  maxEpochs: number;
  maxSteps?: number;
  patience: number;
  validationStride: number;
  seed: number;
}

/** A batch's windows as Time-MoE sequences: input and labels [B·C, L + H − 1] (normalised), the labels' mask. */
export function windowSequences(batch: WindowBatch, channels: number, settings: Pick<FineTuneSettings, 'lookback' | 'horizon' | 'normalization'>) {
  const { lookback: L, horizon: H } = settings;
  const T = L + H;
  const rows = batch.size * channels;
  const input = new Float32Array(rows * (T - 1));
  const labels = new Float32Array(rows * (T - 1));
  const mask = new Float32Array(rows * (T - 1));
  const context = new Float32Array(L);
  for (let b = 0; b < batch.size; b++) {
    for (let c = 0; c < channels; c++) {
      const row = b * channels + c;
      const at = (t: number) => (t < L ? (b * L + t) * channels + c : (b * H + t - L) * channels + c);
      const observed = (t: number) => (t < L ? batch.contextMask[at(t)] : batch.targetMask[at(t)]) === 1;
      for (let t = 0; t < L; t++) context[t] = batch.context[at(t)];
      let scale: ReturnType<typeof windowScale>;
      try {
        scale = windowScale(context, observed, settings.normalization, () => 'a training window');
      } catch {
        continue; // a context without (enough) observed values: the row stays out of the loss (mask 0)
      }
      const z = (t: number) => ((observed(t) ? (t < L ? batch.context[at(t)] : batch.target[at(t)]) : scale.fill) - scale.shift) / scale.scale;
      for (let t = 0; t < T - 1; t++) {
        input[row * (T - 1) + t] = z(t);
        labels[row * (T - 1) + t] = z(t + 1);
        mask[row * (T - 1) + t] = observed(t + 1) ? 1 : 0;
      }
    }
  }
  const shape = [rows, T - 1];
  return { input: tensor(input, shape), labels: tensor(labels, shape), mask: tensor(mask, shape) };
}

/** Fine-tunes `model` on the data's windows; returns how the run went. */
export async function fineTune(model: TimeMoE, data: SeriesTrainingData, settings: FineTuneSettings, options: FitOptions = {}): Promise<FitSummary> {
  const { lookback, horizon, batchSize } = settings;
  const channels = data.train.channels.length;
  const seed = options.seed ?? settings.seed;
  const windowOptions = { lookback, horizon, batchSize };
  const stepsPerEpoch = batchCount(data.train, windowOptions);
  if (stepsPerEpoch === 0) throw new Error(`TimeMoE: no fine-tuning window of ${lookback + horizon} steps: the training data are too short`);
  const maxSteps = options.maxSteps ?? settings.maxSteps;
  const totalSteps = Math.max(1, maxSteps ?? stepsPerEpoch * settings.maxEpochs);
  const loss = (batch: WindowBatch): Tensor => {
    const { input, labels, mask } = windowSequences(batch, channels, settings);
    return timeMoELoss(model, input, labels, mask).loss;
  };
  const validation: Panel | undefined = data.validation;
  const result = await train<WindowBatch>({
    model,
    loss,
    trainBatches: (epoch) => batches(data.train, { ...windowOptions, shuffle: true, seed, epoch }),
    validationBatches: validation ? () => batches(validation, { ...windowOptions, stride: settings.validationStride }) : undefined,
    optimizer: new AdamW(timeMoEParamGroups(model, { lr: settings.learningRate, weightDecay: settings.weightDecay }), {
      lr: settings.learningRate,
      betas: [...settings.betas],
      eps: 1e-8,
    }),
    schedule: warmupCosine({ warmupSteps: 0, totalSteps, minFactor: settings.minLearningRate / settings.learningRate }),
    clipGradNorm: settings.clipGradNorm,
    maxEpochs: maxSteps === undefined ? settings.maxEpochs : undefined,
    maxSteps,
    earlyStopping: validation ? { patience: settings.patience, restoreBest: true } : undefined,
    progress: options.progress ?? 'auto',
    signal: options.signal,
    seed,
  });
  const { steps, seconds, stoppedBy, bestValidation, bestStep } = result;
  return { steps, stepsPerEpoch, seconds, stoppedBy, bestValidation, bestStep };
}
