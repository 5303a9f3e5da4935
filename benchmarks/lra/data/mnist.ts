/**
 * sMNIST and psMNIST: MNIST digits read pixel by pixel (784 steps, row-major), and the same
 * with a fixed random permutation of the 784 positions, which destroys locality and makes the
 * dependencies long-range (Le et al. 2015). Not part of LRA; S4 reports both.
 *
 * Data: `../shared/data/mnist` in IDX format. The test set (10k) and all labels are exact; the
 * train images are `train-images-idx3-ubyte.APPROX.gz`, rebuilt from a lossy copy (97.2 % of
 * pixels exact, mean absolute error 0.03 grey levels), so train-set figures are near-exact.
 * 10 % of train is held out for validation by a seeded permutation (LRA-style 54k / 6k).
 */
import path from 'node:path';
import { Random } from '../../../src/engine.ts';
import { defaultDataDir, readDataFile } from './paths.ts';
import { pixelSequence, pixelVocabulary, unitScale } from './pixels.ts';
import type { PixelEncoding } from './pixels.ts';
import { checkSizes, lazySplit, once } from './task.ts';
import type { CommonOptions, Example, Preset, SplitSizes, Task } from './task.ts';

/** An IDX array: its dimensions and its unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an IDX file (LeCun's format): two zero bytes, type code 0x08 (unsigned byte),
 * the number of dimensions, each dimension as a big-endian uint32, then the data row-major.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${name}: not an IDX file (bad magic)`);
  if (bytes[2] !== 0x08) throw new Error(`${name}: IDX type 0x${bytes[2].toString(16)} is not unsigned byte (0x08)`);
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (rank === 0 || bytes.length < 4 + 4 * rank) throw new Error(`${name}: truncated IDX header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length !== start + size) throw new Error(`${name}: header says ${size} values, file holds ${bytes.length - start}`);
  return { dims, data: bytes.subarray(start) };
}

/** One MNIST split: N × 784 grey levels and N labels. */
export interface MnistImages {
  pixels: Uint8Array;
  labels: Uint8Array;
}

const files = {
  train: { images: 'train-images-idx3-ubyte.APPROX.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

const loaded = new Map<string, MnistImages>();

/** Reads and cross-checks the IDX image and label files of a split (memoised per folder). */
export function loadMnist(split: 'train' | 'test', dir: string): MnistImages {
  const key = path.resolve(dir, split);
  const hit = loaded.get(key);
  if (hit) return hit;
  const images = parseIdx(readDataFile(path.join(dir, files[split].images), `MNIST ${split} images`), files[split].images);
  const labels = parseIdx(readDataFile(path.join(dir, files[split].labels), `MNIST ${split} labels`), files[split].labels);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28)
    throw new Error(`MNIST ${split}: images are ${images.dims.join('×')}, not N×28×28`);
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) throw new Error(`MNIST ${split}: ${labels.dims[0]} labels for ${images.dims[0]} images`);
  if (labels.data.some((l) => l > 9)) throw new Error(`MNIST ${split}: a label outside 0..9`);
  const result = { pixels: images.data, labels: labels.data };
  loaded.set(key, result);
  return result;
}

/** Seed of psMNIST's pixel permutation: `new Random(permutationSeed).permutation(784)`. */
export const permutationSeed = 42;

/** The fixed psMNIST permutation: step t reads pixel `permutation[t]`. */
export function mnistPermutation(): Int32Array {
  return new Random(permutationSeed).permutation(784);
}

/** Example counts; cpu takes prefixes of the same shuffled paper splits. */
export const mnistPresets: Readonly<Record<Preset, SplitSizes>> = {
  paper: { train: 54_000, validation: 6_000, test: 10_000 },
  cpu: { train: 10_000, validation: 1_000, test: 2_000 },
};

/** Options of the sMNIST / psMNIST tasks. */
export interface MnistOptions extends CommonOptions {
  /** `'real'` (default): x/255; `'tokens'`: grey levels 0..255. */
  encoding?: PixelEncoding;
  /** Folder of the IDX files (default `<dataDir>/mnist`). */
  mnistDir?: string;
}

/** sMNIST (`permuted: false`) or psMNIST (`true`). Default seed 0 (validation hold-out and order). */
export function mnistTask(preset: Preset, permuted: boolean, options: MnistOptions = {}): Task {
  const sizes = { ...mnistPresets[preset], ...options.sizes };
  checkSizes(permuted ? 'psmnist' : 'smnist', sizes, mnistPresets.paper);
  const dir = options.mnistDir ?? path.join(options.dataDir ?? defaultDataDir, 'mnist');
  const seed = options.seed ?? 0;
  const encoding = options.encoding ?? 'real';
  const permutation = permuted ? mnistPermutation() : undefined;
  const heldOut = mnistPresets.paper.validation;
  const train = once(() => {
    const images = loadMnist('train', dir);
    return { images, order: new Random(seed).permutation(images.labels.length) };
  });
  const test = once(() => {
    const images = loadMnist('test', dir);
    return { images, order: new Random(seed + 1).permutation(images.labels.length) };
  });
  const split = (data: typeof train, start: (n: number) => number, size: number) =>
    lazySplit<Example>(size, (i) => {
      const { images, order } = data();
      const j = order[start(images.labels.length) + i];
      return { tokens: pixelSequence(images.pixels.subarray(j * 784, (j + 1) * 784), encoding, unitScale, permutation), label: images.labels[j] };
    });
  return {
    name: permuted ? 'psmnist' : 'smnist',
    preset,
    description:
      `${permuted ? 'psMNIST' : 'sMNIST'}: MNIST digits as 784 pixels row-major${permuted ? `, permuted by a fixed seeded permutation (seed ${permutationSeed})` : ''}; ` +
      `train images near-exact (rebuilt from a lossy copy), test exact; 10 % of train held out for validation (seed ${seed}); ` +
      `${sizes.train} / ${sizes.validation} / ${sizes.test} used; ${encoding === 'real' ? 'inputs x/255' : 'inputs as tokens 0..255'}.`,
    classes: 10,
    sequenceLength: 784,
    vocabulary: encoding === 'real' ? 'real' : pixelVocabulary,
    splits: {
      train: split(train, () => 0, sizes.train),
      validation: split(train, (n) => n - heldOut, sizes.validation),
      test: split(test, () => 0, sizes.test),
    },
    publishedS4: permuted ? 98.7 : 99.63,
    chance: 11.35,
  };
}
