/**
 * Time-MoE's optimiser groups as the official trainer makes them: `TimeMoeTrainer` is a
 * transformers 4.40 `Trainer`, whose `create_optimizer` decays every parameter except biases
 * (and `nn.LayerNorm` weights, of which Time-MoE has none: its RMSNorm weights are decayed).
 */
import type { ParamGroup, Tensor } from '../../src/index.ts';
import type { TimeMoE } from './model.ts';

/** Two AdamW groups: weights with `weightDecay`, the q/k/v biases without. */
export function timeMoEParamGroups(model: TimeMoE, options: { lr?: number; weightDecay: number }): ParamGroup[] {
  const decayed: Tensor[] = [];
  const biases: Tensor[] = [];
  for (const [name, p] of model.namedParameters()) (name.endsWith('.bias') ? biases : decayed).push(p);
  return [
    { params: decayed, lr: options.lr, weightDecay: options.weightDecay },
    { params: biases, lr: options.lr, weightDecay: 0 },
  ].filter((g) => g.params.length > 0);
}
