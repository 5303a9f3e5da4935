/**
 * S4's `cosine_warmup` learning-rate schedule (linear warmup, then cosine decay to 0), over a run
 * whose end may be set by the clock rather than by a step count. A CPU run is capped at a number
 * of minutes and its step rate depends on how busy the machine is, so its length in steps is not
 * known in advance; a cosine over a guessed step count would stop either before the rate has
 * decayed or long after. So progress is the larger of the share of steps done and the share of
 * the time budget used: the rate reaches 0 when either runs out.
 */
import { warmupCosine } from '../../src/engine.ts';

/** A learning-rate factor by step, as the trainer's `schedule` takes it. */
export type Schedule = (step: number) => number;

export interface BudgetedScheduleOptions {
  /** Steps the run may take at most (Infinity when only the clock ends it). */
  totalSteps: number;
  /** Share of the run in linear warmup (0 = none). */
  warmupFraction: number;
  /** Seconds the run may take (Infinity: steps alone decide, and the schedule is deterministic). */
  seconds: number;
  /** When the run started, on `clock`'s scale (default: when the schedule is made). */
  startedAt?: number;
  /** Milliseconds now (default performance.now); tests pass a fake clock. */
  clock?: () => number;
}

/**
 * The learning-rate factor by step. With a finite step count and no time budget it is exactly
 * `warmupCosine` over those steps (warmup = warmupFraction of them), so paper-preset and
 * `--max-steps` runs are reproducible; with a time budget it follows whichever of steps and time
 * is further along, and is only as repeatable as the machine's speed.
 */
export function budgetedWarmupCosine(options: BudgetedScheduleOptions): Schedule {
  const { totalSteps, warmupFraction, seconds } = options;
  if (!(totalSteps > 0) || !(seconds > 0)) throw new RangeError('budgetedWarmupCosine: totalSteps and seconds must be > 0');
  if (!(warmupFraction >= 0 && warmupFraction < 1)) throw new RangeError(`budgetedWarmupCosine: warmupFraction ${warmupFraction} must be in [0, 1)`);
  if (!Number.isFinite(seconds)) {
    if (!Number.isFinite(totalSteps)) throw new RangeError('budgetedWarmupCosine: a run needs a finite step count or time budget');
    const warmupSteps = Math.round(warmupFraction * totalSteps);
    return warmupSteps === 0 ? cosine(totalSteps) : warmupCosine({ warmupSteps, totalSteps });
  }
  const clock = options.clock ?? (() => performance.now());
  const startedAt = options.startedAt ?? clock();
  return (step) => {
    const progress = Math.min(1, Math.max(step / totalSteps, (clock() - startedAt) / 1000 / seconds));
    // As warmupCosine, the warmup counts the update being computed as done, so no rate is 0.
    if (progress < warmupFraction) return Math.max(progress, (step + 1) / totalSteps) / warmupFraction;
    return 0.5 * (1 + Math.cos((Math.PI * (progress - warmupFraction)) / (1 - warmupFraction)));
  };
}

/** Cosine decay from 1 to 0 over `totalSteps` (torch CosineAnnealingLR, as example.py). */
function cosine(totalSteps: number): Schedule {
  return (step) => 0.5 * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps));
}
