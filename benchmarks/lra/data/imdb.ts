/**
 * LRA Text: byte-level IMDb sentiment classification (Maas et al. 2011), from the copy in
 * `../shared/data/imdb/imdb_{train,test}.jsonl.gz` (one `{ id, rating, label, orig_split, text }`
 * object a line, 25,000 + 25,000, negatives then positives, `id` the review's file number in
 * aclImdb's `neg/` or `pos/` folder). Inputs are the UTF-8 bytes of the review, truncated, plus
 * EOS (as S4 appends one). As in LRA and S4, the test set doubles as the validation set.
 */
import path from 'node:path';
import { Random } from '../../../src/engine.ts';
import { defaultDataDir, readDataFile } from './paths.ts';
import { lazySplit, once, padTokens } from './task.ts';
import type { CommonOptions, Example, Preset, Split, Task } from './task.ts';

/** Reviews of one IMDb split in file order. */
export interface ImdbSplit {
  /** UTF-8 bytes of each review's text (untruncated). */
  texts: Uint8Array[];
  /** 0 negative, 1 positive. */
  labels: Uint8Array;
  /** The review's number within its label (aclImdb file `<id>_<rating>.txt`): the URL-file line. */
  ids: Int32Array;
}

/** Bytes are ids 0..255; 256 pads, 257 ends the text. */
export const byteVocabulary = { size: 258, pad: 256, eos: 257 } as const;

/** `../shared/data/imdb` unless the caller names another folder. */
export const defaultImdbDir = path.join(defaultDataDir, 'imdb');

const loaded = new Map<string, ImdbSplit>();

/**
 * Reads `imdb_<split>.jsonl.gz` from `dir` (memoised per file: text and retrieval share it).
 * Checks each record's shape, so a different layout fails here with the line that broke it.
 */
export function loadImdb(split: 'train' | 'test', dir: string = defaultImdbDir): ImdbSplit {
  const file = path.resolve(dir, `imdb_${split}.jsonl.gz`);
  const hit = loaded.get(file);
  if (hit) return hit;
  const lines = readDataFile(file, `IMDb ${split} set`)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const texts: Uint8Array[] = [];
  const labels = new Uint8Array(lines.length);
  const ids = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const record = JSON.parse(line) as { id?: unknown; label?: unknown; text?: unknown };
    if (typeof record.text !== 'string' || (record.label !== 0 && record.label !== 1) || !Number.isInteger(record.id)) {
      throw new Error(`${file}: line ${i + 1} is not { id, label: 0 | 1, text }`);
    }
    texts.push(Buffer.from(record.text, 'utf8'));
    labels[i] = record.label;
    ids[i] = record.id as number;
  });
  const result = { texts, labels, ids };
  loaded.set(file, result);
  return result;
}

/** Sequence lengths (bytes + EOS) and example counts of the presets. */
export const textPresets = {
  /** S4's l_max 4096; all 25k train reviews; the 25k test reviews (= validation). */
  paper: { sequenceLength: 4096, train: 25_000, test: 25_000 },
  /** LRA's public config truncates at 1000 bytes; 1024 here, 8k train, 2k test (= validation). */
  cpu: { sequenceLength: 1024, train: 8_000, test: 2_000 },
} as const;

/** Options of the text task (`sizes.validation` is ignored: validation is the test split). */
export interface TextOptions extends CommonOptions {
  /** Folder of the IMDb files (default `<dataDir>/imdb`). */
  imdbDir?: string;
  /** Right-pad every sequence to `sequenceLength` (default true). */
  padded?: boolean;
}

/**
 * `count` indices of `labels`, half of each class (the odd one negative), in a seeded shuffled
 * order: so a subset keeps the 50/50 balance and no split is ordered by label.
 */
export function balancedOrder(labels: Uint8Array, count: number, random: Random): Int32Array {
  const byClass = [0, 1].map((c) => {
    const members = [...labels.keys()].filter((i) => labels[i] === c);
    return Array.from(random.permutation(members.length), (j) => members[j]);
  });
  const positives = Math.floor(count / 2);
  const chosen = [...byClass[0].slice(0, count - positives), ...byClass[1].slice(0, positives)];
  if (chosen.length < count) throw new RangeError(`asked for ${count} reviews, the split has ${labels.length}`);
  const order = random.permutation(count);
  return Int32Array.from(order, (j) => chosen[j]);
}

/** The Text task of a preset. Default seed 0 (the subset and order of the reviews). */
export function textTask(preset: Preset, options: TextOptions = {}): Task {
  const sizes = { ...textPresets[preset], ...options.sizes };
  const { sequenceLength } = textPresets[preset];
  const dir = options.imdbDir ?? path.join(options.dataDir ?? defaultDataDir, 'imdb');
  const seed = options.seed ?? 0;
  const padded = options.padded ?? true;
  const split = (name: 'train' | 'test', count: number, stream: number): Split<Example> => {
    const data = once(() => {
      const imdb = loadImdb(name, dir);
      return { imdb, order: balancedOrder(imdb.labels, count, new Random(seed + stream)) };
    });
    return lazySplit(count, (i) => {
      const { imdb, order } = data();
      const j = order[i];
      const bytes = imdb.texts[j].subarray(0, sequenceLength - 1);
      return { tokens: padTokens(bytes, { ...byteVocabulary, length: padded ? sequenceLength : undefined }), label: imdb.labels[j], length: bytes.length + 1 };
    });
  };
  const test = split('test', sizes.test, 1);
  return {
    name: 'text',
    preset,
    description:
      `Text: IMDb reviews (Maas et al. 2011) as UTF-8 bytes, truncated to ${sequenceLength - 1} + EOS, right-padded; ` +
      `${sizes.train} train / ${sizes.test} test reviews, class-balanced, seeded order; the test set doubles as validation, as in LRA and S4.`,
    classes: 2,
    sequenceLength,
    vocabulary: byteVocabulary,
    splits: { train: split('train', sizes.train, 0), validation: test, test },
    publishedS4: 86.82,
    chance: 50,
  };
}
