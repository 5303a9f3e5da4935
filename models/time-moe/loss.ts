/**
 * Time-MoE's training objective, as `TimeMoeForPrediction.forward(labels=...)` and
 * `load_balancing_loss_func` (time_moe/models/modeling_time_moe.py):
 *
 *   L = mean over heads j of masked-mean Huber_δ=2(ŷ_j[t, s], y[t + s])  s < h_j, y padded with 0
 *       + router_aux_loss_factor · E · Σ_e f_e · P_e                      (when apply_aux_loss)
 *
 * with f_e the share of top-k slots that pick expert e (summed over the k slots) and P_e the mean
 * router probability of e, both over every token of every layer (Fedus et al. 2021, Switch).
 * Shapes: B batch, T points, C channels, h a head's horizon, E experts, N tokens.
 */
import { concat, huberLoss, indexSelect, mean, mul, oneHot, pad, softmax, sum, tensor, topk, unsqueeze, type Tensor } from '../../src/index.ts';
import { splitHorizon, type TimeMoE } from './model.ts';

/** The Huber δ of upstream's `HuberLoss(reduction='none', delta=2.0)`. */
export const HUBER_DELTA = 2;

/** [B, T, C] → [B, T, h, C]: entry [b, t, s] = y[b, t + s], zero past the end (upstream's pad + unfold). */
export function shiftedTargets(y: Tensor, horizon: number): Tensor {
  const [, t] = y.shape;
  if (horizon === 1) return unsqueeze(y, 2); // [B, T, 1, C]
  const padded = pad(y, [
    [0, 0],
    [0, horizon - 1],
  ]); // [B, T + h − 1, C]
  const positions = new Float32Array(t * horizon);
  for (let i = 0; i < t; i++) for (let s = 0; s < horizon; s++) positions[i * horizon + s] = i + s;
  return indexSelect(padded, 1, tensor(positions, [t, horizon])); // [B, T, h, C]
}

/** One head's loss: prediction [B, T, h·C], labels [B, T, C], mask [B, T, 1] (upstream's `calc_ar_loss`). */
export function headLoss(prediction: Tensor, labels: Tensor, lossMask: Tensor | null, horizon: number): Tensor {
  const channels = labels.shape[2];
  const predicted = splitHorizon(prediction, channels); // [B, T, h, C]
  const targets = shiftedTargets(labels, horizon); // [B, T, h, C]
  // Without a mask upstream averages over every entry, padded ones included.
  return huberLoss(predicted, targets, { delta: HUBER_DELTA, mask: lossMask ? shiftedTargets(lossMask, horizon) : undefined });
}

/**
 * The Switch-style load-balancing loss over all layers' router logits [N, E] each (upstream's
 * unmasked `load_balancing_loss_func`): E · Σ_e (Σ_slots mean one-hot(top-k)) · mean softmax.
 */
export function loadBalancingLoss(routerLogits: readonly Tensor[], topK: number): Tensor {
  const logits = concat([...routerLogits], 0); // [L·N, E]
  const experts = logits.shape[1];
  const probabilities = softmax(logits, -1); // [L·N, E]
  const { indices } = topk(probabilities, topK); // [L·N, k]
  const tokensPerExpert = mean(oneHot(indices, experts), 0); // [k, E]
  const probabilityPerExpert = mean(probabilities, 0, { keepDims: true }); // [1, E]
  return mul(sum(mul(tokensPerExpert, probabilityPerExpert)), experts);
}

/** The parts of the training loss. */
export interface TimeMoELoss {
  /** The total: `ar + router_aux_loss_factor · aux`. */
  loss: Tensor;
  /** The autoregressive Huber loss, averaged over heads. */
  ar: Tensor;
  /** The load-balancing loss (null for dense models or without `apply_aux_loss`). */
  aux: Tensor | null;
}

/**
 * The training loss of `model` on `input` [B, T] (or [B, T, C]) with `labels` the next points
 * (upstream's `input_ids = seq[:-1]`, `labels = seq[1:]`) and `lossMask` 1 for real points, 0 for
 * padding, [B, T] (omitted: every entry counts, padded targets included, as upstream).
 */
export function timeMoELoss(model: TimeMoE, input: Tensor, labels: Tensor, lossMask: Tensor | null = null): TimeMoELoss {
  const { hidden, routerLogits } = model.hidden(input);
  const asPoints = (y: Tensor): Tensor => (y.rank === 2 ? unsqueeze(y, 2) : y); // [B, T, C]
  const y = asPoints(labels);
  if (y.shape[0] !== hidden.shape[0] || y.shape[1] !== hidden.shape[1] || y.shape[2] !== model.config.input_size) {
    throw new RangeError(`timeMoELoss: labels [${labels.shape.join(', ')}] do not match the input [${input.shape.join(', ')}]`);
  }
  if (lossMask && (lossMask.rank !== 2 || lossMask.shape[0] !== y.shape[0] || lossMask.shape[1] !== y.shape[1])) {
    throw new RangeError(`timeMoELoss: lossMask must be [B, T] = [${y.shape[0]}, ${y.shape[1]}], got [${lossMask.shape.join(', ')}]`);
  }
  // [B, T, 1]: one weight per time point, shared by its channels (the mean divides by points, as upstream).
  const mask = lossMask ? unsqueeze(lossMask, 2) : null;
  const horizons = model.config.horizon_lengths;
  const perHead = horizons.map((h, j) => headLoss(model.head(hidden, j), y, mask, h));
  const ar = mul(
    perHead.reduce((total, l) => total.add(l)),
    1 / horizons.length,
  );
  if (!model.config.apply_aux_loss || routerLogits.length === 0) return { loss: ar, ar, aux: null };
  const aux = loadBalancingLoss(routerLogits, model.config.num_experts_per_tok);
  return { loss: ar.add(mul(aux, model.config.router_aux_loss_factor)), ar, aux };
}
