/**
 * Optimizer base: parameter groups with their own learning rate and weight decay (S4 trains
 * its SSM parameters with a smaller rate and no decay), a learning-rate scale for schedules,
 * and state that checkpoints save and restore.
 */
import { engine } from '../engine/context.ts';
import { realise } from '../engine/realise.ts';
import type { Tensor } from '../tensor.ts';

export interface ParamGroup {
  params: readonly Tensor[];
  /** Overrides the optimizer's learning rate for this group. */
  lr?: number;
  /** Overrides the optimizer's weight decay for this group. */
  weightDecay?: number;
}

export interface ResolvedGroup {
  params: readonly Tensor[];
  lr: number;
  weightDecay: number;
}

/** Optimizer state as named float arrays plus JSON-able scalars, for checkpoints. */
export interface OptimizerState {
  tensors: Map<string, Float32Array>;
  scalars: Record<string, number>;
}

export abstract class Optimizer {
  readonly groups: ResolvedGroup[];
  /** Multiplies every group's learning rate (set by schedules). */
  lrScale = 1;
  /** Steps taken. */
  stepCount = 0;

  constructor(params: readonly Tensor[] | readonly ParamGroup[], defaults: { lr: number; weightDecay: number }) {
    const groups: readonly ParamGroup[] =
      params.length > 0 && !('params' in params[0]) ? [{ params: params as readonly Tensor[] }] : (params as readonly ParamGroup[]);
    this.groups = groups.map((g) => ({ params: g.params, lr: g.lr ?? defaults.lr, weightDecay: g.weightDecay ?? defaults.weightDecay }));
    const seen = new Set<Tensor>();
    for (const p of this.parameters()) {
      if (!p.requiresGrad || !p.isLeaf) throw new Error(`optimizer: ${p} is not a trainable leaf`);
      if (seen.has(p)) throw new Error(`optimizer: ${p} appears in more than one group`);
      seen.add(p);
    }
  }

  parameters(): Tensor[] {
    return this.groups.flatMap((g) => g.params);
  }

  /** Applies one update from the parameters' accumulated gradients (parameters without one are skipped). */
  async step(): Promise<void> {
    const pending = this.parameters().flatMap((p) => (p.grad && !p.grad.isRealised ? [p.grad] : []));
    if (pending.length > 0) await realise(pending);
    this.stepCount++;
    this.groups.forEach((group, g) => {
      group.params.forEach((p, i) => {
        if (!p.grad) return;
        this.update(p.storage!.data, p.grad.storage!.data, group, `${g}.${i}`);
        p.mutatedAt = engine.tick();
      });
    });
  }

  /** Clears gradients. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Updates one parameter in place. `key` names its state. */
  protected abstract update(param: Float32Array, grad: Float32Array, group: ResolvedGroup, key: string): void;

  abstract getState(): OptimizerState;
  abstract setState(state: OptimizerState): void;
}
