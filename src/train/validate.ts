/**
 * Checks a TrainSpec before anything runs and fills in defaults, so a bad spec fails at once
 * with a message naming the field, not after minutes of training.
 */
import { Module } from '../nn/module.ts';
import { Optimizer } from '../optim/optimizer.ts';
import type { CheckpointOptions, ProgressMode, TrainSpec } from './types.ts';

export interface ResolvedSpec<B> extends TrainSpec<B> {
  maxSteps: number;
  maxEpochs: number;
  evalEvery: number | 'epoch';
  seed: number;
  progress: ProgressMode;
  checkpoint: (Required<Pick<CheckpointOptions, 'dir' | 'keepLast'>> & CheckpointOptions) | undefined;
  earlyStopping: { patience: number; minDelta: number; restoreBest: boolean } | undefined;
  reduceLrOnPlateau: { factor: number; patience: number; threshold: number; minScale: number } | undefined;
}

const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'bar', 'lines', 'silent'];

function positiveInteger(value: unknown, field: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 1)) {
    throw new RangeError(`train: ${field} must be a positive integer, got ${String(value)}`);
  }
}

function func(value: unknown, field: string, optional = false): void {
  if ((value !== undefined || !optional) && typeof value !== 'function') throw new TypeError(`train: ${field} must be a function`);
}

export function resolveSpec<B>(spec: TrainSpec<B>): ResolvedSpec<B> {
  if (!(spec.model instanceof Module)) throw new TypeError('train: model must be a Module');
  if (!(spec.optimizer instanceof Optimizer)) throw new TypeError('train: optimizer must be an Optimizer (AdamW, SGD, ...)');
  func(spec.loss, 'loss');
  func(spec.trainBatches, 'trainBatches');
  func(spec.validationBatches, 'validationBatches', true);
  func(spec.schedule, 'schedule', true);
  func(spec.onEvent, 'onEvent', true);
  if (spec.maxSteps === undefined && spec.maxEpochs === undefined) {
    throw new RangeError('train: give maxSteps, maxEpochs or both (a run needs an end)');
  }
  positiveInteger(spec.maxSteps, 'maxSteps');
  positiveInteger(spec.maxEpochs, 'maxEpochs');
  positiveInteger(spec.logEvery, 'logEvery');
  if (spec.evalEvery !== 'epoch') positiveInteger(spec.evalEvery, 'evalEvery');
  const hasValidation = spec.validationBatches !== undefined;
  if (spec.evalEvery !== undefined && !hasValidation) throw new RangeError('train: evalEvery needs validationBatches');
  if (spec.earlyStopping && !hasValidation) throw new RangeError('train: earlyStopping needs validationBatches (it watches the validation loss)');
  if (spec.reduceLrOnPlateau && !hasValidation) throw new RangeError('train: reduceLrOnPlateau needs validationBatches (it watches the validation loss)');
  if (spec.clipGradNorm !== undefined && !(spec.clipGradNorm > 0 && Number.isFinite(spec.clipGradNorm))) {
    throw new RangeError(`train: clipGradNorm must be a positive number, got ${spec.clipGradNorm}`);
  }
  const seed = spec.seed ?? 0;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new RangeError(`train: seed must be an integer in [0, 2^32), got ${seed}`);
  const progress = spec.progress ?? 'auto';
  if (!PROGRESS_MODES.includes(progress)) throw new RangeError(`train: progress must be one of ${PROGRESS_MODES.join(', ')}, got ${String(progress)}`);
  if (spec.extraState && (typeof spec.extraState.get !== 'function' || typeof spec.extraState.set !== 'function')) {
    throw new TypeError('train: extraState needs get() and set(state)');
  }

  let earlyStopping: ResolvedSpec<B>['earlyStopping'];
  if (spec.earlyStopping) {
    const { patience, minDelta = 0, restoreBest = true } = spec.earlyStopping;
    positiveInteger(patience, 'earlyStopping.patience');
    if (patience === undefined) throw new RangeError('train: earlyStopping.patience is required');
    if (!(minDelta >= 0)) throw new RangeError(`train: earlyStopping.minDelta must be >= 0, got ${minDelta}`);
    earlyStopping = { patience, minDelta, restoreBest };
  }

  let reduceLrOnPlateau: ResolvedSpec<B>['reduceLrOnPlateau'];
  if (spec.reduceLrOnPlateau) {
    const { factor = 0.1, patience = 10, threshold = 1e-4, minScale = 0 } = spec.reduceLrOnPlateau;
    if (!(factor > 0 && factor < 1)) throw new RangeError(`train: reduceLrOnPlateau.factor must be in (0, 1), got ${factor}`);
    if (!(Number.isSafeInteger(patience) && patience >= 0)) throw new RangeError(`train: reduceLrOnPlateau.patience must be an integer >= 0, got ${patience}`);
    if (!(threshold >= 0 && minScale >= 0)) throw new RangeError('train: reduceLrOnPlateau.threshold and minScale must be >= 0');
    reduceLrOnPlateau = { factor, patience, threshold, minScale };
  }

  let checkpoint: ResolvedSpec<B>['checkpoint'];
  if (spec.checkpoint) {
    if (typeof spec.checkpoint.dir !== 'string' || spec.checkpoint.dir === '') throw new TypeError('train: checkpoint.dir must be a directory path');
    positiveInteger(spec.checkpoint.every, 'checkpoint.every');
    positiveInteger(spec.checkpoint.keepLast, 'checkpoint.keepLast');
    checkpoint = { ...spec.checkpoint, keepLast: spec.checkpoint.keepLast ?? 1 };
  }
  if (spec.resume === true && !checkpoint) throw new RangeError('train: resume: true needs checkpoint.dir (or pass the checkpoint path)');
  if (typeof spec.resume === 'string' && spec.resume === '') throw new TypeError('train: resume must be true or a checkpoint path');

  if (checkpoint || spec.resume) {
    // A parameter outside the model would be trained but not saved, so a resumed run would differ.
    const own = new Set(spec.model.parameters());
    const outside = spec.optimizer.parameters().find((p) => !own.has(p));
    if (outside) throw new RangeError(`train: the optimizer trains ${outside}, which is not part of the model, so checkpoints would miss it`);
  }

  return {
    ...spec,
    maxSteps: spec.maxSteps ?? Infinity,
    maxEpochs: spec.maxEpochs ?? Infinity,
    evalEvery: spec.evalEvery ?? 'epoch',
    seed,
    progress,
    checkpoint,
    earlyStopping,
    reduceLrOnPlateau,
  };
}
