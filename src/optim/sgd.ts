/** Stochastic gradient descent with optional momentum (torch.optim.SGD semantics, L2 weight decay). */
import type { Tensor } from '../tensor.ts';
import { Optimizer, type OptimizerState, type ParamGroup, type ResolvedGroup } from './optimizer.ts';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient (coupled, as torch.optim.SGD). */
  weightDecay?: number;
}

export class SGD extends Optimizer {
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly velocity = new Map<string, Float32Array>();

  constructor(params: readonly Tensor[] | readonly ParamGroup[], options: SGDOptions) {
    super(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0 });
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (this.nesterov && this.momentum <= 0) throw new Error('SGD: nesterov needs momentum > 0');
  }

  protected update(param: Float32Array, grad: Float32Array, group: ResolvedGroup, key: string): void {
    const lr = group.lr * this.lrScale;
    const wd = group.weightDecay;
    const mu = this.momentum;
    let buf = this.velocity.get(key);
    const first = !buf;
    if (mu > 0 && !buf) this.velocity.set(key, (buf = new Float32Array(param.length)));
    for (let i = 0; i < param.length; i++) {
      let d = grad[i] + wd * param[i];
      if (buf) {
        buf[i] = first ? d : mu * buf[i] + d; // torch starts the buffer at the first gradient
        d = this.nesterov ? d + mu * buf[i] : buf[i];
      }
      param[i] -= lr * d;
    }
  }

  getState(): OptimizerState {
    return { tensors: new Map(this.velocity), scalars: { stepCount: this.stepCount, lrScale: this.lrScale } };
  }

  setState(state: OptimizerState): void {
    this.velocity.clear();
    for (const [key, data] of state.tensors) this.velocity.set(key, data.slice());
    this.stepCount = state.scalars.stepCount ?? 0;
    this.lrScale = state.scalars.lrScale ?? 1;
  }
}
