/**
 * Accuracy: of the trainer's periodic validation passes (read from the logits its loss already
 * computed) and of a final pass over the test split.
 */
import { noGrad, type Tensor } from '../../src/engine.ts';
import { collate, orderedBatches } from './batches.ts';
import type { Example, Split } from './data/index.ts';
import type { LraNetwork } from './network.ts';

/** Index of the largest logit of each row of `logits` [B, K], compared with the labels. */
export function countCorrect(logits: Float32Array, classes: number, labels: Int32Array): number {
  let correct = 0;
  for (let b = 0; b < labels.length; b++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[b * classes + k] > logits[b * classes + best]) best = k;
    if (best === labels[b]) correct++;
  }
  return correct;
}

/**
 * Counts correct answers of the trainer's validation passes. The trainer computes only the mean
 * validation loss, and its events are synchronous, so an extra pass (or an await) to get
 * accuracy would cost a second forward over the split. Instead the loss function marks each
 * validation batch's logits `keep()`; the trainer's own realisation of the loss then leaves their
 * values in place, and `take()`, called from the 'evaluation' event, reads them.
 */
export class ValidationTally {
  private pending: { logits: Tensor; labels: Int32Array }[] = [];

  /** Records a validation batch's logits (marked to be kept) and labels. */
  track(logits: Tensor, labels: Int32Array): void {
    this.pending.push({ logits: logits.keep(), labels });
  }

  /** Accuracy in % over the batches tracked since the last call, or null if none was realised. */
  take(): number | null {
    let correct = 0;
    let total = 0;
    for (const { logits, labels } of this.pending) {
      if (!logits.storage) return this.clear();
      correct += countCorrect(logits.storage.data, logits.shape[1], labels);
      total += labels.length;
    }
    this.clear();
    return total === 0 ? null : (100 * correct) / total;
  }

  private clear(): null {
    this.pending = [];
    return null;
  }
}

/** Accuracy in % of `network` (in eval mode, without gradients) over the first `size` examples of `split`. */
export async function accuracy(
  network: LraNetwork,
  split: Split<Example>,
  options: { batchSize: number; pairs: boolean; size?: number },
): Promise<{ accuracy: number; examples: number; seconds: number }> {
  const started = performance.now();
  const size = Math.min(options.size ?? split.size, split.size);
  const wasTraining = network.training;
  network.eval();
  let correct = 0;
  try {
    for (const indices of orderedBatches(size, options.batchSize)) {
      const batch = collate(split, indices, { pairs: options.pairs });
      const logits = noGrad(() => network.logits(batch)); // [B, K]
      correct += countCorrect(await logits.data(), logits.shape[1], batch.labelValues);
    }
  } finally {
    network.train(wasTraining);
  }
  return { accuracy: size === 0 ? NaN : (100 * correct) / size, examples: size, seconds: (performance.now() - started) / 1000 };
}
