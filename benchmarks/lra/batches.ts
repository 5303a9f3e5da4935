/**
 * Mini-batches of a task's splits. The trainer is handed batches of example *indices* (cheap,
 * so an epoch is an array and progress knows its length); the loss function turns a batch into
 * tensors when it runs, so no more than one batch of inputs exists at a time, even at the paper
 * presets' sizes (96,000 ListOps sequences of 2,048 tokens would be 786 MB as float32).
 */
import { tensor, type Random, type Tensor } from '../../src/engine.ts';
import type { Example, PairExample, Split } from './data/index.ts';

/** Indices into a split, one mini-batch. */
export type IndexBatch = Int32Array;

/** A batch as the networks take it. */
export interface Batch {
  /** Tokens [B, L] (float ids) or reals [B, L, 1]; retrieval: both documents stacked, [2B, L]. */
  x: Tensor;
  /** Tokens before padding [B] (retrieval [2B]), where the task pads. */
  lengths?: Tensor;
  /** Class indices [B]. */
  labels: Tensor;
  /** The same labels, for counting correct answers without a readback. */
  labelValues: Int32Array;
}

/**
 * The training batches of one epoch: a seeded shuffle cut into full batches. The remainder
 * (fewer than `batchSize` examples) is dropped, as S4's training loader does, so every step has
 * the same shapes.
 */
export function epochBatches(size: number, batchSize: number, rng: Random): IndexBatch[] {
  const order = rng.permutation(size);
  const count = Math.floor(size / batchSize);
  return Array.from({ length: count }, (_, i) => order.subarray(i * batchSize, (i + 1) * batchSize));
}

/** Evaluation batches over the first `size` examples in order, the last one possibly short. */
export function orderedBatches(size: number, batchSize: number): IndexBatch[] {
  const out: IndexBatch[] = [];
  for (let start = 0; start < size; start += batchSize) {
    out.push(Int32Array.from({ length: Math.min(batchSize, size - start) }, (_, i) => start + i));
  }
  return out;
}

/**
 * The tensors of one batch. Real inputs become [B, L, 1]; token ids [B, L]. With `pairs`, the
 * second documents follow the first ones on the batch axis ([2B, L]), so one encoder pass
 * covers both (S4's retrieval decoder splits them the same way, `(z b) d -> z b d`).
 */
export function collate(split: Split<Example>, indices: IndexBatch, options: { pairs?: boolean } = {}): Batch {
  const examples = Array.from(indices, (i) => split.get(i));
  const documents = options.pairs ? [...examples, ...examples.map((e) => second(e))] : examples;
  const length = documents[0].tokens.length;
  const data = new Float32Array(documents.length * length);
  documents.forEach((doc, i) => {
    if (doc.tokens.length !== length) throw new RangeError(`collate: sequences of ${doc.tokens.length} and ${length} steps in one batch`);
    data.set(doc.tokens, i * length);
  });
  const real = documents[0].tokens instanceof Float32Array;
  const x = tensor(data, real ? [documents.length, length, 1] : [documents.length, length]);
  const lengths = documents.every((d) => d.length !== undefined)
    ? tensor(
        Float32Array.from(documents, (d) => d.length!),
        [documents.length],
      )
    : undefined;
  const labelValues = Int32Array.from(examples, (e) => e.label);
  return { x, lengths, labels: tensor(Float32Array.from(labelValues), [examples.length]), labelValues };
}

/** The second document of a retrieval pair, as a plain example. */
function second(example: Example): Example {
  const pair = example as PairExample;
  if (!pair.tokens2) throw new TypeError('collate: pairs requested but the example has no tokens2');
  return { tokens: pair.tokens2, label: pair.label, length: pair.length2 };
}
