/**
 * The trainer's vocabulary: what a training run is given (TrainSpec), what it reports while it
 * runs (TrainEvent) and what it returns (TrainResult). Model-agnostic: a batch is whatever the
 * spec's functions agree on.
 *
 * Counting, used everywhere (events, checkpoints, history, errors):
 * - `step` is the number of optimizer updates completed. The loss context's `step` is the index
 *   of the update being computed (the updates completed before it), as a Schedule receives it.
 * - `epoch` is the 0-based index of a pass over `trainBatches(epoch)`; `epochs` counts completed
 *   passes. Progress lines show the epoch 1-based (`epoch=3/10` is the third of ten passes).
 */
import type { Module } from '../nn/module.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { Schedule } from '../optim/schedules.ts';
import type { Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';

/** What the loss function is told about the batch it scores. */
export interface LossContext {
  /** Training: the index of the update being computed. Validation: the steps completed. */
  step: number;
  epoch: number;
  /** False during validation (the model is in eval mode and gradients are off). */
  training: boolean;
  /**
   * A generator for randomness inside the loss (noise, masking). Training draws advance one
   * stream saved in checkpoints; each evaluation gets a fresh stream seeded from the seed, so
   * validation never shifts training randomness.
   */
  rng: Random;
}

/**
 * Early stopping on the validation loss (lower is better; Prechelt 1998, "Early stopping — but
 * when?"): an evaluation improves when loss < best − minDelta; training stops after `patience`
 * evaluations in a row without an improvement.
 */
export interface EarlyStoppingOptions {
  /** Evaluations without an improvement of more than minDelta before training stops. */
  patience: number;
  /** Smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Keep a copy of the best weights and put them back in the model at the end (default true). */
  restoreBest?: boolean;
}

/**
 * Multiplies the learning rate by `factor` after `patience` evaluations without improvement
 * (torch ReduceLROnPlateau, mode 'min', relative threshold), on top of any `schedule`.
 */
export interface PlateauOptions {
  factor?: number;
  patience?: number;
  /** Relative improvement that counts (default 1e-4): better means value < best·(1 − threshold). */
  threshold?: number;
  /** Lowest scale the reductions may reach (default 0). */
  minScale?: number;
}

export interface CheckpointOptions {
  /** Directory for `step-000200.safetensors` files (created if missing). */
  dir: string;
  /** Write every this many steps (default: only at the end). */
  every?: number;
  /** How many step checkpoints to keep, newest first (default 1). */
  keepLast?: number;
  /** Model family and config written into each checkpoint, so it can rebuild the model. */
  family?: string;
  config?: unknown;
}

/** State the trainer cannot see (a data sampler's generator, a model's private `#rng`). */
export interface ExtraState {
  /** A JSON-able snapshot, taken at each checkpoint. */
  get(): unknown;
  /** Restores a snapshot on resume. */
  set(state: unknown): void;
}

/** Where progress text goes (default process.stderr); a bar needs `isTTY`. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'silent';

export interface TrainSpec<B> {
  model: Module;
  /** Builds the scalar loss of one batch: synchronous, graph only (no await). */
  loss: (batch: B, ctx: LossContext) => Tensor;
  /**
   * The training batches of one epoch. Must depend on `epoch` and `rng` only (draw shuffling
   * from `rng`, a generator seeded from (seed, epoch)), so a resumed run sees the same batches.
   * An array lets progress know the epoch length before the first epoch ends.
   */
  trainBatches: (epoch: number, rng: Random) => Iterable<B>;
  /** Validation batches; the validation loss is the mean of their losses, under noGrad in eval mode. */
  validationBatches?: () => Iterable<B>;
  optimizer: Optimizer;
  /** Learning-rate factor by step (the optimizer's lrScale for update `step`), e.g. warmupCosine. */
  schedule?: Schedule;
  reduceLrOnPlateau?: PlateauOptions;
  /**
   * Clip gradients to this global L2 norm before each update: g ← g · min(1, c / ‖g‖₂), the norm
   * taken over all trained parameters together (Pascanu et al. 2013; torch clip_grad_norm_).
   */
  clipGradNorm?: number;
  /** Stop after this many updates (in total, counting those before a resume). */
  maxSteps?: number;
  /** Stop after this many complete passes over the training batches. */
  maxEpochs?: number;
  /** Evaluate every this many steps, or at the end of each epoch (default 'epoch'). */
  evalEvery?: number | 'epoch';
  earlyStopping?: EarlyStoppingOptions;
  /** Without it nothing is written to disk. */
  checkpoint?: CheckpointOptions;
  /**
   * `true`: continue from the newest intact checkpoint in `checkpoint.dir` (newer damaged ones,
   * e.g. truncated by a full disk or a partial copy, are renamed `….damaged` and reported in
   * `skippedCheckpoints`), or start afresh if there is none. A path: continue from that
   * checkpoint (it must exist and be intact).
   */
  resume?: boolean | string;
  /** 'auto' (default): a bar when the output is a terminal, lines otherwise. */
  progress?: ProgressMode;
  /** Steps between progress lines (default: a tenth of the run when its length is known, else 100). */
  logEvery?: number;
  /** Progress destination (default process.stderr). */
  output?: ProgressOutput;
  onEvent?: (event: TrainEvent) => void;
  /** Stops cleanly after the current step (and writes the final checkpoint). */
  signal?: AbortSignal;
  /** Seeds the epoch generators and the loss context's generator (default 0). */
  seed?: number;
  extraState?: ExtraState;
}

export type StopReason = 'maxSteps' | 'maxEpochs' | 'earlyStopping' | 'aborted';

/** One update: its loss and learning rate, and the validation loss if it was evaluated after it. */
export interface HistoryEntry {
  step: number;
  epoch: number;
  loss: number;
  /** The first group's learning rate times the optimizer's lrScale. */
  lr: number;
  validation?: number;
}

export interface TrainResult {
  /** Updates completed in total (including those before a resume). */
  steps: number;
  /** Complete passes over the training batches. */
  epochs: number;
  stoppedBy: StopReason;
  bestValidation: number | null;
  bestStep: number | null;
  /** Whether the best weights were put back into the model. */
  restoredBest: boolean;
  /** Every update from the first (a resumed run includes those before it). */
  history: HistoryEntry[];
  /** The newest checkpoint on disk, if any. */
  lastCheckpoint: string | null;
  resumedFrom: string | null;
  /** Damaged checkpoints newer than `resumedFrom` that resume: true passed over (renamed to `….damaged`). */
  skippedCheckpoints: SkippedCheckpoint[];
  /** Wall time of this call. */
  seconds: number;
}

/** A checkpoint that could not be read, set aside by a resume. */
export interface SkippedCheckpoint {
  path: string;
  /** Where it was moved, out of the way of the resumed run. */
  movedTo: string;
  /** Why it could not be read, e.g. `file ended at byte 4096, expected 9216 (truncated …)`. */
  reason: string;
}

export type TrainEvent =
  | {
      kind: 'start';
      step: number;
      epoch: number;
      maxSteps: number | null;
      maxEpochs: number | null;
      resumedFrom: string | null;
      skippedCheckpoints: SkippedCheckpoint[];
    }
  | {
      kind: 'step';
      step: number;
      epoch: number /** Batches done in this epoch. */;
      batch: number;
      loss: number;
      lr: number /** Before clipping; null without clipping. */;
      gradNorm: number | null;
    }
  | {
      kind: 'evaluation';
      step: number;
      epoch: number;
      loss: number;
      best: number;
      improved: boolean /** Evaluations since the last improvement. */;
      stale: number /** reduceLrOnPlateau's factor now (1 without it). */;
      plateauScale: number;
    }
  | { kind: 'epochEnd'; step: number /** The epoch that ended. */; epoch: number; batches: number; meanLoss: number }
  | { kind: 'checkpoint'; step: number; epoch: number; path: string; removed: string[] }
  | { kind: 'earlyStop'; step: number; epoch: number; bestStep: number; bestValidation: number }
  | { kind: 'end'; result: TrainResult };
