/**
 * The training loop shared by every model: seeded batches per epoch, one optimizer update per
 * batch with an optional per-step learning-rate schedule and global-norm clipping, validation
 * every N steps or at epoch ends, early stopping with the best weights restored, progress
 * output, atomic checkpoints that a killed run resumes from bit for bit, and a typed error for a
 * diverged loss. See TrainSpec for the options and types.ts for how steps and epochs count.
 *
 * One step: build the loss graph (synchronous), `await loss.backward()` (loss and gradients in
 * one realisation), check the loss is finite, clip, set the optimizer's lrScale to
 * schedule(step) × the plateau factor, `await optimizer.step()`. Then the next batch is fetched
 * (so the step knows whether it ended the epoch), and evaluation, the epoch end and the periodic
 * checkpoint follow in that order; a checkpoint therefore captures a state between two steps.
 */
import { rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { noGrad } from '../engine/context.ts';
import type { StateTensor } from '../nn/module.ts';
import { clipGradNorm } from '../optim/clip.ts';
import { Random, deriveSeed, globalRandom } from '../random.ts';
import { Tensor } from '../tensor.ts';
import {
  bestFileName,
  ensureDir,
  listStepCheckpoints,
  listTrainingFiles,
  pruneCheckpoints,
  readBestWeights,
  readTrainerState,
  removeStaleTemps,
  saveBestWeights,
  saveTrainingCheckpoint,
  stepFileName,
  TRAINER_STATE_VERSION,
  type TrainerState,
} from './checkpoints.ts';
import { loadCheckpoint } from '../io/checkpoint.ts';
import { readSafetensors, SafetensorsError } from '../io/safetensors.ts';
import { TrainingError } from './errors.ts';
import { createProgress } from './progress.ts';
import { decodeRandom, encodeRandom, namedRandoms, snapshotRandoms, STREAM } from './random-state.ts';
import type { HistoryEntry, LossContext, SkippedCheckpoint, StopReason, TrainEvent, TrainResult, TrainSpec } from './types.ts';
import { resolveSpec } from './validate.ts';

/**
 * Trains `spec.model` until maxSteps updates or maxEpochs passes (whichever comes first), early
 * stopping, or `spec.signal` aborts. Deterministic: the same spec, model initialisation and seed
 * give bit-identical losses, and so does a run resumed from any of its checkpoints.
 */
export async function train<B>(input: TrainSpec<B>): Promise<TrainResult> {
  const spec = resolveSpec(input);
  const started = performance.now();
  const { model, optimizer, checkpoint, earlyStopping } = spec;
  const trained = optimizer.parameters();
  const modelParameters = model.parameters();
  const moduleRngs = namedRandoms(model);
  const lossRng = new Random(deriveSeed(spec.seed, STREAM.loss));
  const restoreBest = earlyStopping?.restoreBest ?? false;

  let step = 0;
  let epoch = 0;
  let batchInEpoch = 0;
  let epochLength: number | null = null;
  const history: HistoryEntry[] = [];
  const validation: TrainerState['validation'] = { best: null, bestStep: null, stale: 0, bestFile: null };
  let plateau: TrainerState['plateau'] = spec.reduceLrOnPlateau ? { best: null, stale: 0, scale: 1 } : null;
  let bestWeights: Map<string, StateTensor> | null = null;
  /** The best-weights file in checkpoint.dir that holds the current best, if written. */
  let bestOnDisk: string | null = null;
  let lastCheckpoint: string | null = null;
  let lastCheckpointStep = -1;

  const { path: resumedFrom, skipped: skippedCheckpoints } = await findResumePath(spec.resume, checkpoint?.dir);
  if (resumedFrom) {
    const state = await readTrainerState(resumedFrom);
    checkResumable(state, resumedFrom, spec.seed, moduleRngs, spec.extraState !== undefined);
    if (checkpoint && resolve(checkpoint.dir) === resolve(dirname(resumedFrom))) {
      // Rewinding to an older checkpoint would interleave two futures of one run in one directory.
      const newer = (await listStepCheckpoints(checkpoint.dir)).filter((s) => s.step > state.step);
      if (newer.length > 0)
        throw new Error(`resume: ${checkpoint.dir} holds checkpoints newer than ${resumedFrom} (${newer[0].path}); move them away before rewinding`);
      await removeStaleTemps(checkpoint.dir);
    } else if (checkpoint) await refuseUsedDir(checkpoint.dir);
    // Everything is read before the model changes, so a failed resume leaves it as it was.
    if (restoreBest && state.validation.bestFile) {
      bestWeights = await readBestWeights(join(dirname(resumedFrom), state.validation.bestFile));
      if (checkpoint && resolve(checkpoint.dir) === resolve(dirname(resumedFrom))) bestOnDisk = state.validation.bestFile;
    }
    await loadCheckpoint(resumedFrom, model, { optimizer });
    ({ step, epoch, batchInEpoch, epochLength } = state);
    decodeRandom(lossRng, state.lossRng, 'loss');
    decodeRandom(globalRandom, state.globalRng, 'global');
    for (const [name, rng] of moduleRngs) decodeRandom(rng, state.moduleRngs[name], name);
    spec.extraState?.set(state.extraState);
    history.push(...historyFromColumns(state.history));
    Object.assign(validation, state.validation);
    plateau = spec.reduceLrOnPlateau ? (state.plateau ?? plateau) : null;
    lastCheckpoint = resumedFrom;
    lastCheckpointStep = step;
  } else if (checkpoint) await refuseUsedDir(checkpoint.dir);

  const progress = createProgress({
    mode: spec.progress,
    output: spec.output ?? process.stderr,
    logEvery: spec.logEvery,
    maxSteps: spec.maxSteps,
    maxEpochs: spec.maxEpochs,
    epochLength: () => epochLength,
  });
  const emit = (event: TrainEvent) => {
    progress?.(event);
    spec.onEvent?.(event);
  };

  const zeroGrads = () => {
    optimizer.zeroGrad();
    for (const p of modelParameters) p.grad = null;
  };
  const fail = (reason: ConstructorParameters<typeof TrainingError>[0], atStep: number, what: string, atEpoch = epoch) =>
    new TrainingError(reason, atStep, atEpoch, lastCheckpoint, what);
  const checkLoss = (loss: unknown, atStep: number): Tensor => {
    if (!(loss instanceof Tensor) || loss.size !== 1) {
      throw fail('badLoss', atStep, `loss must return a one-element Tensor, got ${loss instanceof Tensor ? loss.toString() : typeof loss}`);
    }
    return loss;
  };

  async function trainStep(batch: B): Promise<{ loss: number; lr: number; gradNorm: number | null }> {
    zeroGrads();
    const ctx: LossContext = { step, epoch, training: true, rng: lossRng };
    const loss = checkLoss(spec.loss(batch, ctx), step + 1);
    await loss.backward();
    const value = await loss.item();
    if (!Number.isFinite(value)) throw fail('nonFiniteLoss', step + 1, `loss is ${value}`);
    let gradNorm: number | null = null;
    if (spec.clipGradNorm !== undefined) {
      gradNorm = await clipGradNorm(trained, spec.clipGradNorm);
      if (!Number.isFinite(gradNorm)) throw fail('nonFiniteGradient', step + 1, `gradient norm is ${gradNorm}`);
    }
    if (spec.schedule || plateau) {
      const factor = spec.schedule ? spec.schedule(step) : 1;
      if (!(Number.isFinite(factor) && factor >= 0))
        throw new RangeError(`train: schedule(${step}) returned ${factor}; a learning-rate factor must be finite and >= 0`);
      optimizer.lrScale = factor * (plateau?.scale ?? 1);
    }
    const lr = (optimizer.groups[0]?.lr ?? 0) * optimizer.lrScale;
    await optimizer.step();
    zeroGrads();
    return { loss: value, lr, gradNorm };
  }

  let lastEvaluatedStep = -1;
  async function evaluate(): Promise<void> {
    lastEvaluatedStep = step;
    const restoreRandoms = snapshotRandoms(model);
    const ctx: LossContext = { step, epoch, training: false, rng: new Random(deriveSeed(spec.seed, STREAM.validation, step)) };
    let sum = 0;
    let count = 0;
    model.eval();
    try {
      for (const batch of spec.validationBatches!()) {
        const loss = checkLoss(
          noGrad(() => spec.loss(batch, ctx)),
          step,
        );
        sum += await loss.item();
        count++;
      }
    } finally {
      model.train();
      restoreRandoms();
    }
    if (count === 0) throw fail('emptyValidation', step, 'validationBatches() yielded no batches');
    const value = sum / count;
    if (!Number.isFinite(value)) throw fail('nonFiniteLoss', step, `validation loss is ${value}`);
    history[history.length - 1].validation = value;

    const improved = validation.best === null || value < validation.best - (earlyStopping?.minDelta ?? 0);
    if (improved) {
      Object.assign(validation, { best: value, bestStep: step, stale: 0 });
      if (restoreBest) {
        bestWeights = new Map([...model.stateDict()].map(([name, t]) => [name, { shape: [...t.shape], data: t.data.slice() }]));
        bestOnDisk = null;
      }
    } else validation.stale++;
    if (plateau) {
      const { factor, patience, threshold, minScale } = spec.reduceLrOnPlateau!;
      if (plateau.best === null || value < plateau.best * (1 - threshold)) Object.assign(plateau, { best: value, stale: 0 });
      else if (++plateau.stale > patience) Object.assign(plateau, { scale: Math.max(minScale, plateau.scale * factor), stale: 0 });
    }
    emit({ kind: 'evaluation', step, epoch, loss: value, best: validation.best!, improved, stale: validation.stale, plateauScale: plateau?.scale ?? 1 });
    if (earlyStopping && validation.stale >= earlyStopping.patience) {
      emit({ kind: 'earlyStop', step, epoch, bestStep: validation.bestStep!, bestValidation: validation.best! });
    }
  }

  async function writeCheckpoint(): Promise<void> {
    const { dir, keepLast, family, config } = checkpoint!;
    // An update can overflow the weights while its loss was finite; never save such weights.
    for (const [name, t] of model.stateDict()) {
      if (!t.data.every(Number.isFinite))
        throw fail('nonFiniteWeights', step, `${name} holds non-finite values after the update`, history[history.length - 1].epoch);
    }
    await ensureDir(dir);
    if (restoreBest && bestWeights && bestOnDisk === null) {
      const name = bestFileName(validation.bestStep!);
      await saveBestWeights(join(dir, name), bestWeights, { family, config, step: validation.bestStep!, validation: validation.best! });
      bestOnDisk = validation.bestFile = name;
    }
    const path = join(dir, stepFileName(step));
    await saveTrainingCheckpoint(path, model, optimizer, snapshotState(), { family, config });
    lastCheckpoint = path;
    lastCheckpointStep = step;
    const removed = await pruneCheckpoints(dir, keepLast);
    emit({ kind: 'checkpoint', step, epoch, path, removed });
  }

  function snapshotState(): TrainerState {
    return {
      version: TRAINER_STATE_VERSION,
      step,
      epoch,
      batchInEpoch,
      seed: spec.seed,
      epochLength,
      lossRng: encodeRandom(lossRng),
      globalRng: encodeRandom(globalRandom),
      moduleRngs: Object.fromEntries([...moduleRngs].map(([name, rng]) => [name, encodeRandom(rng)])),
      ...(spec.extraState ? { extraState: spec.extraState.get() } : {}),
      validation: { ...validation },
      plateau: plateau && { ...plateau },
      history: {
        epoch: history.map((h) => h.epoch),
        loss: history.map((h) => h.loss),
        lr: history.map((h) => h.lr),
        validation: history.flatMap((h) => (h.validation === undefined ? [] : [[h.step, h.validation] as [number, number]])),
      },
    };
  }

  function stopReason(): StopReason | null {
    if (earlyStopping && validation.stale >= earlyStopping.patience) return 'earlyStopping';
    if (step >= spec.maxSteps) return 'maxSteps';
    if (epoch >= spec.maxEpochs) return 'maxEpochs';
    return spec.signal?.aborted ? 'aborted' : null;
  }

  const wasTraining = model.training;
  model.train();
  let iterator: Iterator<B> | null = null;
  let pending: IteratorResult<B> | null = null;
  let stoppedBy: StopReason = 'maxSteps';
  try {
    emit({ kind: 'start', step, epoch, maxSteps: finite(spec.maxSteps), maxEpochs: finite(spec.maxEpochs), resumedFrom, skippedCheckpoints });
    for (;;) {
      const reason = stopReason();
      if (reason) {
        stoppedBy = reason;
        break;
      }
      if (!iterator) {
        const batches = spec.trainBatches(epoch, new Random(deriveSeed(spec.seed, STREAM.epoch, epoch)));
        if (typeof batches?.[Symbol.iterator] !== 'function') throw new TypeError(`train: trainBatches(${epoch}) must return an iterable`);
        if (Array.isArray(batches)) epochLength ??= batches.length;
        iterator = batches[Symbol.iterator]();
        for (let i = 0; i < batchInEpoch; i++) {
          if (iterator.next().done)
            throw new Error(
              `resume: trainBatches(${epoch}) now yields ${i} batches, but the checkpoint was taken after batch ${batchInEpoch}; it must be reproducible from (epoch, rng)`,
            );
        }
        pending = iterator.next();
        if (pending.done) {
          if (batchInEpoch === 0) throw fail('emptyEpoch', step + 1, `trainBatches(${epoch}) yielded no batches`);
          throw new Error(
            `resume: trainBatches(${epoch}) ended at batch ${batchInEpoch}, before the checkpoint's position; it must be reproducible from (epoch, rng)`,
          );
        }
      }
      const { loss, lr, gradNorm } = await trainStep(pending!.value as B);
      step++;
      batchInEpoch++;
      pending = iterator.next();
      const epochEnded = pending.done === true;
      history.push({ step, epoch, loss, lr });
      emit({ kind: 'step', step, epoch, batch: batchInEpoch, loss, lr, gradNorm });
      if (spec.validationBatches && (spec.evalEvery === 'epoch' ? epochEnded : step % spec.evalEvery === 0)) await evaluate();
      if (epochEnded) {
        epochLength ??= batchInEpoch;
        const meanLoss = history.slice(-batchInEpoch).reduce((sum, h) => sum + h.loss, 0) / batchInEpoch;
        emit({ kind: 'epochEnd', step, epoch, batches: batchInEpoch, meanLoss });
        epoch++;
        batchInEpoch = 0;
        iterator = null;
        pending = null;
      }
      if (checkpoint?.every && step % checkpoint.every === 0) await writeCheckpoint();
    }
    // A budget can end between validations; judge the final weights too, so that restoring the
    // best does not throw away the steps since the last validation (often the best ones, at the
    // end of a decaying schedule).
    const budgetEnded = stoppedBy === 'maxSteps' || stoppedBy === 'maxEpochs';
    if (spec.validationBatches && restoreBest && budgetEnded && step > 0 && lastEvaluatedStep !== step) await evaluate();
    if (checkpoint && step > 0 && lastCheckpointStep !== step) await writeCheckpoint();
  } finally {
    iterator?.return?.();
    model.train(wasTraining);
  }

  let restoredBest = false;
  if (restoreBest && bestWeights && validation.bestStep !== null) {
    if (validation.bestStep !== step) model.loadStateDict(bestWeights);
    restoredBest = true;
  }
  const result: TrainResult = {
    steps: step,
    epochs: epoch,
    stoppedBy,
    bestValidation: validation.best,
    bestStep: validation.bestStep,
    restoredBest,
    history,
    lastCheckpoint,
    resumedFrom,
    skippedCheckpoints,
    seconds: (performance.now() - started) / 1000,
  };
  emit({ kind: 'end', result });
  return result;
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** Pruning would delete another run's files: a new run needs a directory without any. */
async function refuseUsedDir(dir: string): Promise<void> {
  const existing = await listTrainingFiles(dir);
  if (existing.length > 0) {
    throw new Error(
      `train: ${dir} already holds training files (${existing.slice(0, 3).join(', ')}); pass resume: true to continue that run, or use an empty directory`,
    );
  }
}

/**
 * The checkpoint to resume from. With `resume: true`, the newest one whose bytes read back
 * whole: a damaged newer one (truncated, cut short by a full disk) is renamed out of the way
 * and reported, since it would otherwise block the run in its directory for good.
 */
async function findResumePath(resume: boolean | string | undefined, dir: string | undefined): Promise<{ path: string | null; skipped: SkippedCheckpoint[] }> {
  const skipped: SkippedCheckpoint[] = [];
  if (typeof resume === 'string') {
    if (!(await stat(resume).catch(() => null))?.isFile()) throw new Error(`resume: no checkpoint file at ${resume}`);
    return { path: resume, skipped };
  }
  if (resume !== true) return { path: null, skipped };
  const candidates = (await listStepCheckpoints(dir!)).reverse();
  for (const { path } of candidates) {
    try {
      await readSafetensors(path);
    } catch (error) {
      if (!(error instanceof SafetensorsError)) throw error;
      skipped.push({ path, movedTo: `${path}.damaged`, reason: error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message });
      continue;
    }
    for (const s of skipped) await rename(s.path, s.movedTo);
    return { path, skipped };
  }
  if (skipped.length > 0) {
    throw new Error(
      `resume: every checkpoint in ${dir} is damaged (${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')}); move them away to start afresh`,
    );
  }
  return { path: null, skipped };
}

function checkResumable(state: TrainerState, path: string, seed: number, moduleRngs: Map<string, Random>, hasExtraState: boolean): void {
  if (state.seed !== seed) throw new Error(`resume: ${path} was trained with seed ${state.seed}, the spec gives seed ${seed}`);
  const saved = Object.keys(state.moduleRngs ?? {}).sort();
  const found = [...moduleRngs.keys()].sort();
  if (saved.join('\n') !== found.join('\n')) {
    throw new Error(`resume: the model's random generators (${found.join(', ') || 'none'}) differ from the checkpoint's (${saved.join(', ') || 'none'})`);
  }
  if (hasExtraState && !('extraState' in state)) throw new Error(`resume: the spec gives extraState but ${path} holds none`);
  if (!hasExtraState && 'extraState' in state) throw new Error(`resume: ${path} holds extraState; give the spec an extraState to restore it into`);
  if (state.history.loss.length !== state.step) throw new Error(`resume: ${path} has a history of ${state.history.loss.length} steps for ${state.step} steps`);
}

function historyFromColumns(columns: TrainerState['history']): HistoryEntry[] {
  const entries: HistoryEntry[] = columns.loss.map((loss, i) => ({ step: i + 1, epoch: columns.epoch[i], loss, lr: columns.lr[i] }));
  for (const [step, value] of columns.validation) entries[step - 1].validation = value;
  return entries;
}
