/**
 * One long-range benchmark run: load the task, build the preset's S4 classifier, train it with
 * the shared trainer (AdamW with S4's SSM group, warmup + cosine, periodic validation, a
 * wall-clock cap), then measure accuracy on the held-out test split. Returns the figures the
 * report prints and saves, beside S4's published accuracy and the chance level.
 */
import os from 'node:os';
import type { ProgressMode, ProgressOutput, StopReason } from '../../index.ts';
import { crossEntropy, train } from '../../src/engine.ts';
import { collate, epochBatches, orderedBatches, type IndexBatch } from './batches.ts';
import { loadTask, type Example, type Preset, type SplitSizes, type Task, type TaskName } from './data/index.ts';
import { accuracy, ValidationTally } from './evaluate.ts';
import { buildNetwork, buildOptimizer } from './network.ts';
import { caveats, lraSetup, type KernelName, type LraSetup } from './presets.ts';
import { budgetedWarmupCosine } from './schedule.ts';

export interface LraOptions {
  task: TaskName;
  preset: Preset;
  /** Wall-clock cap on training in minutes (default: 25 for cpu, none for paper). */
  minutes?: number;
  /** Cap on optimiser steps. */
  maxSteps?: number;
  /** Seeds the model's initialisation, the batch order and dropout (not the data: each task's own default seed fixes its sets). */
  seed?: number;
  /** Folder holding imdb/, cifar10-gray/, mnist/ (default ../shared/data beside the checkout). */
  dataDir?: string;
  kernel?: KernelName;
  evalEvery?: number;
  /** Early stopping on the validation loss after this many evaluations without improvement; the best weights are restored. */
  patience?: number;
  /** Replace the preset's split sizes (tests, quick looks). */
  sizes?: Partial<SplitSizes>;
  cacheDir?: string | false;
  progress?: ProgressMode;
  /** Where progress and run notes go (default process.stderr). */
  output?: ProgressOutput;
  /** Engine description for the record, e.g. `(await backend()).describe()`. */
  backend: string;
}

/** One validation pass during training. */
export interface ValidationPoint {
  step: number;
  loss: number;
  /** Accuracy in %, or null if it could not be read. */
  accuracy: number | null;
}

/** A whole run, as printed and as saved to JSON. */
export interface LraResult {
  task: TaskName;
  preset: Preset;
  description: string;
  /** How the data and setup differ from S4's LRA (honest labels). */
  caveats: string[];
  setup: LraSetup;
  seed: number;
  parameters: number;
  steps: number;
  epochs: number;
  examplesSeen: number;
  /** Size of the training split. */
  trainExamples: number;
  stoppedBy: StopReason | 'minutes';
  /** Seconds of optimisation (training wall time less the validation passes). */
  trainSeconds: number;
  validationSeconds: number;
  stepsPerSecond: number;
  validation: ValidationPoint[];
  /** Accuracy in % on the held-out test split. */
  test: { accuracy: number; examples: number; seconds: number };
  publishedS4: number;
  chance: number;
  /** Loading or generating the data, building the model, training, testing. */
  wallSeconds: number;
  backend: string;
  machine: string;
  /** One-minute load average at the start and the end: how busy the shared machine was. */
  loadAverage: [number, number];
  date: string;
}

/** Reads one example of each split, so loading or generating the data is timed apart from training. */
function touch(task: Task<Example>): void {
  for (const split of [task.splits.train, task.splits.validation, task.splits.test]) if (split.size > 0) split.get(0);
}

/** Runs one task at one preset; see the file header. */
export async function runLra(options: LraOptions): Promise<LraResult> {
  const started = performance.now();
  const loadStart = os.loadavg()[0];
  const out = options.output ?? process.stderr;
  const say = (line: string) => out.write(`${line}\n`);
  const seed = options.seed ?? 0;
  const task = loadTask(options.task, options.preset, { dataDir: options.dataDir, sizes: options.sizes, cacheDir: options.cacheDir }) as Task<Example>;
  const setup = lraSetup(task, { kernel: options.kernel, evalEvery: options.evalEvery, minutes: options.minutes });
  touch(task);
  const network = buildNetwork(setup, seed);
  const optimizer = buildOptimizer(network, setup);
  const { training } = setup;
  const pairs = setup.dualEncoder;

  const batchesPerEpoch = Math.floor(task.splits.train.size / training.batchSize);
  if (batchesPerEpoch === 0) throw new RangeError(`${task.name}: ${task.splits.train.size} training examples do not fill one batch of ${training.batchSize}`);
  const totalSteps = Math.min(options.maxSteps ?? Infinity, training.epochs * batchesPerEpoch);
  const budgetSeconds = training.minutes * 60;
  say(
    `${task.name} · ${task.preset} · ${setup.model.layers} × ${setup.model.layer.kernel} H=${setup.model.dModel} N=${setup.model.layer.dState} · ${network.usedParameterCount().toLocaleString('en-US')} parameters · batch ${training.batchSize}`,
  );
  say(
    `stops at ${[Number.isFinite(budgetSeconds) ? `${training.minutes} min` : '', `${totalSteps} steps`].filter(Boolean).join(' or ')} (${batchesPerEpoch} steps per epoch), whichever comes first`,
  );

  const tally = new ValidationTally();
  const validation: ValidationPoint[] = [];
  const abort = new AbortController();
  let lastStepAt = 0;
  let validationSeconds = 0;
  let outOfTime = false;
  const trainStarted = performance.now();
  const schedule = budgetedWarmupCosine({ totalSteps, warmupFraction: training.warmupFraction, seconds: budgetSeconds, startedAt: trainStarted });
  const result = await train<IndexBatch>({
    model: network,
    optimizer,
    schedule,
    loss: (indices, ctx) => {
      const batch = collate(ctx.training ? task.splits.train : task.splits.validation, indices, { pairs });
      const logits = network.logits(batch); // [B, K]
      if (!ctx.training) tally.track(logits, batch.labelValues);
      return crossEntropy(logits, batch.labels);
    },
    trainBatches: (_epoch, rng) => epochBatches(task.splits.train.size, training.batchSize, rng),
    validationBatches: task.splits.validation.size > 0 ? () => orderedBatches(task.splits.validation.size, training.evalBatchSize) : undefined,
    evalEvery: task.splits.validation.size > 0 ? training.evalEvery : undefined,
    maxEpochs: training.epochs,
    ...(Number.isFinite(totalSteps) ? { maxSteps: totalSteps } : {}),
    earlyStopping: options.patience ? { patience: options.patience, restoreBest: true } : undefined,
    signal: abort.signal,
    seed,
    progress: options.progress,
    output: out,
    logEvery: task.preset === 'cpu' ? 25 : 100,
    onEvent: (event) => {
      const now = performance.now();
      if (event.kind === 'step') {
        lastStepAt = now;
        // Checked here, not with a timer: a busy realisation would delay a timer's callback anyway.
        if ((now - trainStarted) / 1000 >= budgetSeconds) {
          outOfTime = true;
          abort.abort();
        }
      } else if (event.kind === 'evaluation') {
        validationSeconds += (now - lastStepAt) / 1000;
        const acc = tally.take();
        validation.push({ step: event.step, loss: event.loss, accuracy: acc });
        say(`step=${event.step} validation accuracy=${acc === null ? '?' : `${acc.toFixed(2)}%`} (chance ${task.chance}%)`);
      }
    },
  });
  const trainSeconds = result.seconds - validationSeconds;
  if (outOfTime) say(`time budget of ${training.minutes} min reached after ${result.steps} steps; the model is tested as it stands`);

  say(`testing on ${task.splits.test.size} held-out examples…`);
  const test = await accuracy(network, task.splits.test, { batchSize: training.evalBatchSize, pairs });
  return {
    task: task.name,
    preset: task.preset,
    description: task.description,
    caveats: caveats(setup),
    setup,
    seed,
    parameters: network.usedParameterCount(),
    steps: result.steps,
    epochs: result.epochs,
    examplesSeen: result.steps * training.batchSize,
    trainExamples: task.splits.train.size,
    stoppedBy: outOfTime && result.stoppedBy === 'aborted' ? 'minutes' : result.stoppedBy,
    trainSeconds,
    validationSeconds,
    stepsPerSecond: result.steps / trainSeconds,
    validation,
    test,
    publishedS4: task.publishedS4,
    chance: task.chance,
    wallSeconds: (performance.now() - started) / 1000,
    backend: options.backend,
    machine: `node ${process.version}, ${os.platform()} ${os.arch()}, ${os.availableParallelism()} cores`,
    loadAverage: [loadStart, os.loadavg()[0]],
    date: new Date().toISOString(),
  };
}
