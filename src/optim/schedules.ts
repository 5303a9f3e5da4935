/**
 * Learning-rate schedules. A schedule maps a step to a factor of the base learning rate;
 * `LrScheduler` applies one to an optimizer.
 */
import type { Optimizer } from './optimizer.ts';

export type Schedule = (step: number) => number;

/** Linear warmup from 0, then cosine decay to `minFactor` at `totalSteps` (and flat after). */
export function warmupCosine(options: { warmupSteps: number; totalSteps: number; minFactor?: number }): Schedule {
  const { warmupSteps, totalSteps, minFactor = 0 } = options;
  if (totalSteps <= warmupSteps) throw new RangeError('warmupCosine: totalSteps must exceed warmupSteps');
  return (step) => {
    if (step < warmupSteps) return (step + 1) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
    return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}

/** Multiplies by gamma every stepSize steps (torch StepLR). */
export function stepDecay(options: { stepSize: number; gamma?: number }): Schedule {
  const { stepSize, gamma = 0.1 } = options;
  return (step) => gamma ** Math.floor(step / stepSize);
}

/** Sets the optimizer's learning-rate scale from a schedule at each `step()`. */
export class LrScheduler {
  private current = 0;

  constructor(
    private readonly optimizer: Optimizer,
    private readonly schedule: Schedule,
  ) {
    optimizer.lrScale = schedule(0);
  }

  /** Advances one step (call after optimizer.step()). */
  step(): void {
    this.current++;
    this.optimizer.lrScale = this.schedule(this.current);
  }

  get stepCount(): number {
    return this.current;
  }

  set stepCount(step: number) {
    this.current = step;
    this.optimizer.lrScale = this.schedule(step);
  }
}

/**
 * Cuts the learning rate by `factor` when a monitored metric has not improved for `patience`
 * reports (torch ReduceLROnPlateau, mode 'min').
 */
export class ReduceOnPlateau {
  private best = Infinity;
  private bad = 0;

  constructor(
    private readonly optimizer: Optimizer,
    private readonly options: { factor?: number; patience?: number; threshold?: number; minScale?: number } = {},
  ) {}

  /** Reports a new value of the metric (lower is better); returns true when the rate was cut. */
  report(value: number): boolean {
    const { factor = 0.1, patience = 10, threshold = 1e-4, minScale = 0 } = this.options;
    if (value < this.best * (1 - threshold)) {
      this.best = value;
      this.bad = 0;
      return false;
    }
    if (++this.bad <= patience) return false;
    this.bad = 0;
    const next = Math.max(minScale, this.optimizer.lrScale * factor);
    const cut = next < this.optimizer.lrScale;
    this.optimizer.lrScale = next;
    return cut;
  }
}
