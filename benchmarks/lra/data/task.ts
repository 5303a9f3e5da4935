/**
 * The uniform description every long-range (LRA-style) task exposes, whatever its source:
 * a generator (ListOps, Pathfinder), real data (IMDb, CIFAR-10 grey, MNIST) or a stand-in
 * (retrieval). A benchmark runner needs nothing else to train and evaluate a classifier.
 */

/** The task names `loadTask` accepts (one name per task everywhere: file, preset, report). */
export const taskNames = ['listops', 'text', 'retrieval', 'image', 'pathfinder', 'pathx', 'smnist', 'psmnist'] as const;
/** One of `taskNames`. */
export type TaskName = (typeof taskNames)[number];

/**
 * `paper`: the published sizes and lengths (GPU scale). `cpu`: a documented reduction small
 * enough for a small S4D to show learning within about 30 minutes of 2-core CPU training.
 */
export type Preset = 'cpu' | 'paper';

/** One classified sequence. */
export interface Example {
  /** Token ids (Int32Array) or normalised real inputs (Float32Array), one per time step. */
  tokens: Int32Array | Float32Array;
  label: number;
  /** Tokens before right padding, where the task pads (ListOps, text, retrieval). */
  length?: number;
}

/** Two documents and whether they match (retrieval), as LRA's `inputs1`/`inputs2`. */
export interface PairExample extends Example {
  tokens: Int32Array;
  tokens2: Int32Array;
  length2?: number;
}

/** The token ids of a discrete task. */
export interface Vocabulary {
  /** Number of ids; ids are 0..size-1. */
  size: number;
  /** Id that right-pads sequences shorter than `sequenceLength`, if the task pads. */
  pad?: number;
  /** Id appended after the last real token, if the task marks the end. */
  eos?: number;
  /** Names of the ids, where they are symbols rather than plain values (ListOps). */
  symbols?: readonly string[];
}

/**
 * A split: random access by index (for shuffled mini-batches) and iteration in order.
 * Examples are built on access, so a split never holds more than its compact source.
 */
export interface Split<E extends Example = Example> extends Iterable<E> {
  readonly size: number;
  get(index: number): E;
}

/** A task as a benchmark runner sees it. */
export interface Task<E extends Example = Example> {
  name: TaskName;
  preset: Preset;
  /** One paragraph: what the data are, where they come from, how they differ from LRA's. */
  description: string;
  classes: number;
  /** Length of every `tokens` array (per document for retrieval; the maximum when unpadded). */
  sequenceLength: number;
  /** Token ids, or `'real'` for normalised float inputs. */
  vocabulary: Vocabulary | 'real';
  splits: { train: Split<E>; validation: Split<E>; test: Split<E> };
  /** Published S4 test accuracy in % (reference/benchmarks.md §1.5, S4 updated v2/v3 row). */
  publishedS4: number;
  /** Accuracy in % of always guessing the most frequent class. */
  chance: number;
}

/** Options every task loader takes. */
export interface CommonOptions {
  /** Folder holding `imdb/`, `cifar10-gray/`, `mnist/` (default `../shared/data` beside the checkout). */
  dataDir?: string;
  /** Seed of the generator or of the shuffles and subsets (each task documents its default). */
  seed?: number;
  /** Folder of generated-set caches (default `build/lra-cache`); `false` turns caching off. */
  cacheDir?: string | false;
  /** Replace the preset's example counts. */
  sizes?: Partial<SplitSizes>;
}

/** Example counts of the three splits. */
export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
}

/** A split over `size` examples made by `get` on demand. */
export function lazySplit<E extends Example>(size: number, get: (index: number) => E): Split<E> {
  return {
    size,
    get(index: number): E {
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`split index ${index} outside 0..${size - 1}`);
      return get(index);
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < size; i++) yield get(i);
    },
  };
}

/** Runs `load` on first call only, so a task costs nothing until a split is read. */
export function once<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

/**
 * `ids` (a view of compact storage) as an Int32Array of `length` tokens: the ids, then `eos`
 * when given, then `pad` up to `length`. `length` undefined: no padding (the natural length).
 */
export function padTokens(ids: ArrayLike<number>, options: { eos?: number; pad: number; length?: number }): Int32Array {
  const natural = ids.length + (options.eos === undefined ? 0 : 1);
  const out = new Int32Array(options.length ?? natural);
  if (natural > out.length) throw new RangeError(`sequence of ${natural} tokens does not fit ${out.length}`);
  for (let i = 0; i < ids.length; i++) out[i] = ids[i];
  if (options.eos !== undefined) out[ids.length] = options.eos;
  if (options.pad !== 0) out.fill(options.pad, natural);
  return out;
}

/** Throws when asked for more examples than a split holds (overlapping splits would leak). */
export function checkSizes(task: string, sizes: SplitSizes, available: SplitSizes): void {
  for (const name of ['train', 'validation', 'test'] as const) {
    if (!Number.isInteger(sizes[name]) || sizes[name] < 0 || sizes[name] > available[name]) {
      throw new RangeError(`${task}: ${name} size ${sizes[name]} outside 0..${available[name]}`);
    }
  }
}
