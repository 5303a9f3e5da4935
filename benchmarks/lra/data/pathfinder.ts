/**
 * The Pathfinder and Path-X tasks: are the two markers connected by one dashed contour?
 * Images come from our generator (`pathfinder-generator.ts`, reference §1.4), not from LRA's
 * release; they are drawn on demand, 2^21 pixels' worth at a time (2,048 images of 32×32,
 * 128 of 128×128), and each such chunk is cached under `build/lra-cache`, so a preset costs
 * only the images it uses and a second run loads them from disk.
 *
 * Image i of a split is drawn by its own generator, seeded from (seed, split, i): any image
 * can be regenerated alone, and a smaller preset's split is a prefix of a larger one's.
 */
import { Random } from '../../../src/engine.ts';
import { cached } from './cache.ts';
import { contourLengths, generatePathfinder, pathfinder32, pathfinder64, pathx128 } from './pathfinder-generator.ts';
import type { PathfinderParams } from './pathfinder-generator.ts';
import { defaultCacheDir } from './paths.ts';
import { pixelSequence, pixelVocabulary, symmetricScale } from './pixels.ts';
import type { PixelEncoding } from './pixels.ts';
import { lazySplit } from './task.ts';
import type { CommonOptions, Example, Preset, Split, SplitSizes, Task } from './task.ts';

/** The Pathfinder data sets' difficulty levels (contour length in paddles). */
export type PathfinderDifficulty = keyof typeof contourLengths;

interface PathfinderPreset {
  params: PathfinderParams;
  difficulty: PathfinderDifficulty;
  sizes: SplitSizes;
}

/**
 * `paper`: LRA's 200k images split 160k / 20k / 20k, "hard" (14-paddle contours).
 * `cpu`: the easiest difficulty (6-paddle contours), so that a small model learns within
 * minutes; Path-X's cpu preset draws Pathfinder-32's scene at 64×64 (4,096 steps), since
 * 16,384-step sequences do not train on a CPU in half an hour.
 */
export const pathfinderPresets: Readonly<Record<'pathfinder' | 'pathx', Record<Preset, PathfinderPreset>>> = {
  pathfinder: {
    paper: { params: pathfinder32, difficulty: 'hard', sizes: { train: 160_000, validation: 20_000, test: 20_000 } },
    cpu: { params: pathfinder32, difficulty: 'baseline', sizes: { train: 20_000, validation: 2_000, test: 2_000 } },
  },
  pathx: {
    paper: { params: pathx128, difficulty: 'hard', sizes: { train: 160_000, validation: 20_000, test: 20_000 } },
    cpu: { params: pathfinder64, difficulty: 'baseline', sizes: { train: 8_000, validation: 1_000, test: 1_000 } },
  },
};

/** Options of the Pathfinder and Path-X tasks. */
export interface PathfinderOptions extends CommonOptions {
  /** `'real'` (default): (x/255 − 0.5)/0.5 as S4; `'tokens'`: grey levels 0..255 as LRA. */
  encoding?: PixelEncoding;
  /** Contour length: baseline 6, intermediate 9, hard 14 paddles. */
  difficulty?: PathfinderDifficulty;
  /** Replace generator parameters (e.g. `pathx128` for the cpu Path-X preset). */
  params?: Partial<PathfinderParams>;
}

const splitIds = { train: 0, validation: 1, test: 2 } as const;

/** A well-mixed 32-bit seed of image `index` of split `split` (murmur3's finaliser per word). */
export function imageSeed(seed: number, split: number, index: number): number {
  let h = 0x9747b28c;
  for (const word of [seed, split, index]) {
    h = Math.imul(h ^ (word >>> 0), 0xcc9e2d51);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Images `start .. start + count` of a split: pixels back to back, and labels. */
export function generatePathfinderImages(
  params: PathfinderParams,
  seed: number,
  split: number,
  start: number,
  count: number,
): { pixels: Uint8Array; labels: Uint8Array } {
  const area = params.size * params.size;
  const pixels = new Uint8Array(count * area);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const image = generatePathfinder(params, new Random(imageSeed(seed, split, start + i)));
    pixels.set(image.pixels, i * area);
    labels[i] = image.label;
  }
  return { pixels, labels };
}

/** The Pathfinder-32 (`'pathfinder'`) or Path-X (`'pathx'`) task of a preset. Default seed 0. */
export function pathfinderTask(name: 'pathfinder' | 'pathx', preset: Preset, options: PathfinderOptions = {}): Task {
  const base = pathfinderPresets[name][preset];
  const difficulty = options.difficulty ?? base.difficulty;
  const params: PathfinderParams = { ...base.params, contourLength: contourLengths[difficulty], ...options.params };
  const sizes = { ...base.sizes, ...options.sizes };
  const seed = options.seed ?? 0;
  const encoding = options.encoding ?? 'real';
  const cacheDir = options.cacheDir ?? defaultCacheDir;
  const area = params.size * params.size;
  const chunkSize = Math.max(1, Math.floor(2 ** 21 / area));

  const split = (which: keyof SplitSizes): Split<Example> => {
    const id = splitIds[which];
    // The two most recent chunks: enough for in-order reading, bounded for shuffled reading.
    const recent = new Map<number, { pixels: Uint8Array; labels: Uint8Array }>();
    const chunk = (c: number) => {
      let hit = recent.get(c);
      if (!hit) {
        hit = cached(
          {
            dir: cacheDir,
            name: `pathfinder${params.size}-${difficulty}-${which}-${c}`,
            key: { task: 'pathfinder', format: 1, params, seed, split: id, chunk: c, chunkSize },
          },
          () => generatePathfinderImages(params, seed, id, c * chunkSize, chunkSize),
        );
        recent.set(c, hit);
        if (recent.size > 2) recent.delete(recent.keys().next().value!);
      }
      return hit;
    };
    return lazySplit(sizes[which], (i) => {
      const { pixels, labels } = chunk(Math.floor(i / chunkSize));
      const j = i % chunkSize;
      return { tokens: pixelSequence(pixels.subarray(j * area, (j + 1) * area), encoding, symmetricScale), label: labels[j] };
    });
  };
  const isStandIn = name === 'pathx' && params.size !== 128;
  return {
    name,
    preset,
    description:
      `${isStandIn ? `Path-X stand-in: Pathfinder at ${params.size}×${params.size} (not Path-X's 128×128)` : name === 'pathx' ? 'Path-X (Pathfinder-128)' : `Pathfinder-${params.size}`}, ` +
      `${difficulty} (${params.contourLength}-paddle contours), drawn by our reimplementation of the Linsley et al. generator (reference §1.4), ` +
      `not LRA's released images; seed ${seed}; ${sizes.train} / ${sizes.validation} / ${sizes.test} images; ` +
      (encoding === 'real' ? 'inputs (x/255 − 0.5)/0.5.' : 'inputs as tokens 0..255.'),
    classes: 2,
    sequenceLength: area,
    vocabulary: encoding === 'real' ? 'real' : pixelVocabulary,
    splits: { train: split('train'), validation: split('validation'), test: split('test') },
    publishedS4: name === 'pathx' ? 96.35 : 94.2,
    chance: 50,
  };
}
