/** Losses, composed from elementwise ops and reductions. */
import { sameShape, ShapeError } from '../../kernels/index.ts';
import type { Tensor } from '../tensor.ts';
import { abs, lessEqual, mul, neg, notEqual, square, sub, where } from './elementwise.ts';
import { logSoftmax } from './functional.ts';
import { gather } from './indexing.ts';
import { mean, sum } from './reduce.ts';
import { squeeze, unsqueeze } from './shape.ts';
import { div } from './elementwise.ts';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default), 'sum', or 'none' (elementwise). */
  reduction?: Reduction;
  /** 1 where an element counts, 0 where not (missing values); the mean is over counted elements. */
  mask?: Tensor;
}

function reduceLoss(op: string, loss: Tensor, options: LossOptions): Tensor {
  const reduction = options.reduction ?? 'mean';
  if (options.mask) {
    const masked = mul(loss, options.mask);
    if (reduction === 'none') return masked;
    return reduction === 'sum' ? sum(masked) : div(sum(masked), sum(options.mask).maximum(1));
  }
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return sum(loss);
  if (reduction !== 'mean') throw new Error(`${op}: unknown reduction '${reduction}'`);
  return mean(loss);
}

function checkPair(op: string, prediction: Tensor, target: Tensor): void {
  if (!sameShape(prediction.shape, target.shape)) throw new ShapeError(op, [prediction.shape, target.shape], 'prediction and target shapes differ');
}

/** Mean squared error: mean((p − t)²). */
export function mseLoss(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair('mseLoss', prediction, target);
  return reduceLoss('mseLoss', square(sub(prediction, target)), options);
}

/** Mean absolute error: mean(|p − t|). */
export function maeLoss(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair('maeLoss', prediction, target);
  return reduceLoss('maeLoss', abs(sub(prediction, target)), options);
}

/** Huber: ½d² where |d| ≤ δ, else δ(|d| − ½δ), with d = p − t (torch.nn.HuberLoss). */
export function huberLoss(prediction: Tensor, target: Tensor, options: LossOptions & { delta?: number } = {}): Tensor {
  checkPair('huberLoss', prediction, target);
  const delta = options.delta ?? 1;
  const d = sub(prediction, target);
  const a = abs(d);
  const loss = where(lessEqual(a, delta), mul(square(d), 0.5), mul(sub(a, 0.5 * delta), delta));
  return reduceLoss('huberLoss', loss, options);
}

export interface CrossEntropyOptions {
  reduction?: Reduction;
  /** Mixes the one-hot target with the uniform distribution (Szegedy et al. 2016). */
  labelSmoothing?: number;
  /** Targets equal to this class are ignored (the mean is over the others). */
  ignoreIndex?: number;
}

/** −log softmax(logits)[target]: logits [..., C], target class indices [...]. */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  if (!sameShape(logits.shape.slice(0, -1), target.shape)) {
    throw new ShapeError('crossEntropy', [logits.shape, target.shape], 'expected logits [..., C] and target [...]');
  }
  const logp = logSoftmax(logits, -1);
  const valid = options.ignoreIndex === undefined ? undefined : notEqual(target, options.ignoreIndex);
  const safeTarget = valid ? where(valid, target, 0) : target; // an ignored index may be out of range
  let loss = neg(squeeze(gather(logp, -1, unsqueeze(safeTarget, -1)), -1));
  const eps = options.labelSmoothing ?? 0;
  if (eps > 0) loss = sub(mul(loss, 1 - eps), mul(mean(logp, -1), eps));
  return reduceLoss('crossEntropy', loss, { reduction: options.reduction, mask: valid });
}
