/**
 * AdamW (Loshchilov & Hutter 2019): Adam with weight decay decoupled from the gradient, as
 * torch.optim.AdamW: p ← p − lr·wd·p, then the bias-corrected Adam step.
 */
import type { Tensor } from '../tensor.ts';
import { Optimizer, type OptimizerState, type ParamGroup, type ResolvedGroup } from './optimizer.ts';

export interface AdamWOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** Default 0.01, as PyTorch. */
  weightDecay?: number;
}

export class AdamW extends Optimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  /** First and second moment estimates by parameter key. */
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();

  constructor(params: readonly Tensor[] | readonly ParamGroup[], options: AdamWOptions = {}) {
    super(params, { lr: options.lr ?? 1e-3, weightDecay: options.weightDecay ?? 0.01 });
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
  }

  protected update(param: Float32Array, grad: Float32Array, group: ResolvedGroup, key: string): void {
    let state = this.moments.get(key);
    if (!state) this.moments.set(key, (state = { m: new Float32Array(param.length), v: new Float32Array(param.length) }));
    const { m, v } = state;
    const lr = group.lr * this.lrScale;
    const decay = 1 - lr * group.weightDecay;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** this.stepCount);
    const correction2 = 1 - b2 ** this.stepCount;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      param[i] = param[i] * decay - (stepSize * m[i]) / (Math.sqrt(v[i] / correction2) + this.eps);
    }
  }

  getState(): OptimizerState {
    const tensors = new Map<string, Float32Array>();
    for (const [key, { m, v }] of this.moments) {
      tensors.set(`${key}.m`, m);
      tensors.set(`${key}.v`, v);
    }
    return { tensors, scalars: { stepCount: this.stepCount, lrScale: this.lrScale } };
  }

  setState(state: OptimizerState): void {
    this.moments.clear();
    for (const [name, data] of state.tensors) {
      const key = name.slice(0, name.lastIndexOf('.'));
      const moment = name.slice(name.lastIndexOf('.') + 1);
      let entry = this.moments.get(key);
      if (!entry) this.moments.set(key, (entry = { m: new Float32Array(data.length), v: new Float32Array(data.length) }));
      (moment === 'm' ? entry.m : entry.v).set(data);
    }
    this.stepCount = state.scalars.stepCount ?? 0;
    this.lrScale = state.scalars.lrScale ?? 1;
  }
}
