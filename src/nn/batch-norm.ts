/**
 * Batch normalisation over channels (Ioffe & Szegedy 2015), as torch.nn.BatchNorm1d: x [B, C] or
 * [B, C, L], statistics per channel over the batch (and length) axes,
 *
 *   y = (x − μ) / √(σ² + eps) · weight + bias,
 *
 * with μ, σ² the batch mean and population variance in training mode and the running estimates
 * in eval mode. Running estimates follow torch: `r ← (1 − m)·r + m·s` with momentum m (default
 * 0.1), where the variance fed in is the unbiased one (σ² · n/(n − 1), n = B·L); momentum `null`
 * is torch's cumulative average (m = 1/num_batches_tracked). State names are torch's: `weight`,
 * `bias`, `running_mean`, `running_var`, `num_batches_tracked` (float32 here, int64 in torch).
 *
 * Lazy engine: a forward only builds a graph, so the running buffers cannot be updated inside it.
 * Training forwards keep their batch statistics (`keep()`), which the training step's
 * realisation (`await loss.backward()`) computes along with the loss; they are folded into the
 * buffers, in order, at the next forward or when the module switches to eval mode (or on
 * `foldRunningStats()`). A training forward whose graph is never realised does not update the
 * statistics (it is dropped at the eval switch, or when a later forward's statistics are ready),
 * and a state loaded into the buffers after a training forward supersedes that forward's update.
 */
import { engine } from '../engine/context.ts';
import { mean, variance } from '../ops/reduce.ts';
import { reshape } from '../ops/shape.ts';
import { ShapeError } from '../../kernels/index.ts';
import type { Tensor } from '../tensor.ts';
import { constantParameter } from './init.ts';
import { Module, buffer } from './module.ts';

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of a new batch in the running estimates (default 0.1); null: cumulative average. */
  momentum?: number | null;
  /** Learned per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running estimates for eval mode (default true); false normalises by batch statistics always. */
  trackRunningStats?: boolean;
}

/** Batch statistics of one training forward, waiting for their values. */
interface PendingStats {
  mean: Tensor;
  variance: Tensor;
  /** Elements per channel (n = B·L). */
  count: number;
  /** Engine time when the forward ran (a later foreign write to the buffers supersedes it). */
  at: number;
}

export class BatchNorm1d extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  /** Invisible to Module's reflection (not state). */
  #pending: PendingStats[] = [];
  /** The buffers' `mutatedAt` after our own last fold. */
  #ownWrite = 0;

  constructor(
    readonly channels: number,
    options: BatchNormOptions = {},
  ) {
    super();
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`BatchNorm1d: momentum ${this.momentum} must be in [0, 1]`);
    const affine = options.affine ?? true;
    this.weight = affine ? constantParameter([channels], 1) : null;
    this.bias = affine ? constantParameter([channels], 0) : null;
    const track = options.trackRunningStats ?? true;
    this.running_mean = track ? buffer(new Float32Array(channels), [channels]) : null;
    this.running_var = track ? buffer(new Float32Array(channels).fill(1), [channels]) : null;
    this.num_batches_tracked = track ? buffer(new Float32Array(1), []) : null;
  }

  /** x [B, C] or [B, C, L] → the same shape. */
  forward(x: Tensor): Tensor {
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.channels) {
      throw new ShapeError('BatchNorm1d', [x.shape], `expected [B, ${this.channels}] or [B, ${this.channels}, L]`);
    }
    this.foldRunningStats();
    const axes = x.rank === 3 ? [0, 2] : [0];
    const perChannel = x.rank === 3 ? [1, this.channels, 1] : [1, this.channels];
    const count = x.rank === 3 ? x.shape[0] * x.shape[2] : x.shape[0];
    let mu: Tensor;
    let sigma2: Tensor;
    if (this.training || !this.running_mean || !this.running_var) {
      if (count < 2 && this.training) throw new ShapeError('BatchNorm1d', [x.shape], 'training needs more than one value per channel');
      mu = mean(x, axes, { keepDims: true }); // [1, C, 1]
      sigma2 = variance(x, axes, { keepDims: true }); // [1, C, 1], population
      if (this.training && this.running_mean) this.#pending.push({ mean: mu.keep(), variance: sigma2.keep(), count, at: engine.tick() });
    } else {
      mu = reshape(this.running_mean, perChannel);
      sigma2 = reshape(this.running_var, perChannel);
    }
    let y = x.sub(mu).mul(sigma2.add(this.eps).rsqrt()); // [B, C, L]
    if (this.weight) y = y.mul(reshape(this.weight, perChannel));
    if (this.bias) y = y.add(reshape(this.bias, perChannel));
    return y;
  }

  /** Folds the batch statistics that are ready into the running estimates (in forward order). */
  foldRunningStats(options: { dropUnrealised?: boolean } = {}): void {
    const { running_mean: runningMean, running_var: runningVar, num_batches_tracked: tracked } = this;
    if (!runningMean || !runningVar || !tracked || this.#pending.length === 0) return;
    // A foreign write (loadStateDict, a restore of the best weights) supersedes older statistics.
    const foreign = runningMean.mutatedAt !== this.#ownWrite ? runningMean.mutatedAt : 0;
    const lastReady = this.#pending.findLastIndex((s) => s.mean.isRealised && s.variance.isRealised);
    const ready = this.#pending.slice(0, lastReady + 1);
    this.#pending = options.dropUnrealised ? [] : this.#pending.slice(lastReady + 1);
    const rm = runningMean.storage!.data;
    const rv = runningVar.storage!.data;
    let folded = false;
    // Statistics before a ready one that never realised belong to graphs that were never run.
    for (const stats of ready) {
      if (!stats.mean.isRealised || !stats.variance.isRealised || stats.at < foreign) continue;
      const batches = tracked.storage!.data[0] + 1;
      tracked.storage!.data[0] = batches;
      const m = this.momentum ?? 1 / batches;
      const mu = stats.mean.storage!.data;
      const sigma2 = stats.variance.storage!.data;
      const unbiased = stats.count / (stats.count - 1);
      for (let c = 0; c < this.channels; c++) {
        rm[c] = (1 - m) * rm[c] + m * mu[c];
        rv[c] = (1 - m) * rv[c] + m * sigma2[c] * unbiased;
      }
      folded = true;
    }
    if (folded) {
      this.#ownWrite = engine.tick();
      for (const t of [runningMean, runningVar, tracked]) t.mutatedAt = this.#ownWrite;
    }
  }

  /** Switching to eval folds the ready statistics first and drops those that never realised. */
  override train(mode = true): this {
    if (!mode) this.foldRunningStats({ dropUnrealised: true });
    return super.train(mode);
  }
}
