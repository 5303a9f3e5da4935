/**
 * LRA Image: sequential CIFAR-10 in grey, 1,024 pixels a sequence, 10 classes. The copy in
 * `../shared/data/cifar10-gray` was built from JPEG quality-75 images (floor(0.2989 R +
 * 0.5870 G + 0.1140 B), as LRA's `rgb_to_grayscale`), so every name and report says
 * "JPEG-sourced": accuracy may differ (probably lower) from the lossless set's.
 *
 * Splits as LRA (`train[:90%]`, `train[90%:]`, `test`), except that the files are sorted by
 * class, so the train set is shuffled with a seed before the 45,000 / 5,000 cut (and the test
 * set's order is shuffled too, so a cpu-sized prefix holds every class).
 */
import path from 'node:path';
import { Random } from '../../../src/engine.ts';
import { defaultDataDir, readDataFile } from './paths.ts';
import { pixelSequence, pixelVocabulary, unitScale } from './pixels.ts';
import type { PixelEncoding } from './pixels.ts';
import { checkSizes, lazySplit, once } from './task.ts';
import type { CommonOptions, Example, Preset, SplitSizes, Task } from './task.ts';

const pixelsPerImage = 1024;

/** One CIFAR-10 grey split: N × 1024 grey levels (row-major) and N labels 0..9. */
export interface GreyImages {
  pixels: Uint8Array;
  labels: Uint8Array;
}

const loaded = new Map<string, GreyImages>();

/**
 * Reads `<split>_gray_u8.bin.gz` and `<split>_labels_u8.bin`, checking that they agree
 * (memoised per folder: every task and split built in one process shares one copy).
 */
export function loadCifarGray(split: 'train' | 'test', dir: string): GreyImages {
  const key = path.resolve(dir, split);
  const hit = loaded.get(key);
  if (hit) return hit;
  const pixels = readDataFile(path.join(dir, `${split}_gray_u8.bin.gz`), `CIFAR-10 grey (JPEG-sourced) ${split} images`);
  const labels = readDataFile(path.join(dir, `${split}_labels_u8.bin`), `CIFAR-10 grey ${split} labels`);
  if (pixels.length !== labels.length * pixelsPerImage) {
    throw new Error(`CIFAR-10 grey ${split}: ${pixels.length} bytes of pixels for ${labels.length} labels (expected ${pixelsPerImage} a label)`);
  }
  if (labels.some((l) => l > 9)) throw new Error(`CIFAR-10 grey ${split}: a label outside 0..9`);
  const images = { pixels: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length), labels: new Uint8Array(labels) };
  loaded.set(key, images);
  return images;
}

/** Example counts; cpu takes prefixes of the same shuffled paper splits. */
export const imagePresets: Readonly<Record<Preset, SplitSizes>> = {
  paper: { train: 45_000, validation: 5_000, test: 10_000 },
  cpu: { train: 10_000, validation: 1_000, test: 2_000 },
};

/** Options of the image task. */
export interface ImageOptions extends CommonOptions {
  /** `'real'` (default): x/255 as S4; `'tokens'`: grey levels 0..255 as LRA. */
  encoding?: PixelEncoding;
  /** Folder of the CIFAR files (default `<dataDir>/cifar10-gray`). */
  cifarDir?: string;
}

/** The sCIFAR-grey (JPEG-sourced) task of a preset. Default seed 0 (the shuffles). */
export function imageTask(preset: Preset, options: ImageOptions = {}): Task {
  const sizes = { ...imagePresets[preset], ...options.sizes };
  checkSizes('image', sizes, imagePresets.paper);
  const dir = options.cifarDir ?? path.join(options.dataDir ?? defaultDataDir, 'cifar10-gray');
  const seed = options.seed ?? 0;
  const encoding = options.encoding ?? 'real';
  const heldOut = imagePresets.paper.validation;
  const train = once(() => {
    const images = loadCifarGray('train', dir);
    return { images, order: new Random(seed).permutation(images.labels.length) };
  });
  const test = once(() => {
    const images = loadCifarGray('test', dir);
    return { images, order: new Random(seed + 1).permutation(images.labels.length) };
  });
  const split = (data: typeof train, start: (n: number) => number, size: number) =>
    lazySplit<Example>(size, (i) => {
      const { images, order } = data();
      const j = order[start(images.labels.length) + i];
      const image = images.pixels.subarray(j * pixelsPerImage, (j + 1) * pixelsPerImage);
      return { tokens: pixelSequence(image, encoding, unitScale), label: images.labels[j] };
    });
  return {
    name: 'image',
    preset,
    description:
      "sCIFAR-10 grey (JPEG-sourced, q75): CIFAR-10 as 1,024 grey levels row-major, from JPEG quality-75 copies, so not bit-identical to LRA's Image " +
      `input. Train shuffled (seed ${seed}) then cut 45,000 / 5,000; ${sizes.train} / ${sizes.validation} / ${sizes.test} used; ` +
      (encoding === 'real' ? 'inputs x/255.' : 'inputs as tokens 0..255.'),
    classes: 10,
    sequenceLength: pixelsPerImage,
    vocabulary: encoding === 'real' ? 'real' : pixelVocabulary,
    splits: {
      train: split(train, () => 0, sizes.train),
      // The validation images are the last 10 % of the shuffled train set, whatever the train size used.
      validation: split(train, (n) => n - heldOut, sizes.validation),
      test: split(test, () => 0, sizes.test),
    },
    publishedS4: 88.65,
    chance: 10,
  };
}
