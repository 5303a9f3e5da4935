/**
 * Retrieval (IMDb same-movie stand-in for AAN). LRA's Retrieval task asks whether two ACL
 * Anthology papers are linked by a citation; that text is not redistributable (reference §1.3).
 * This "AAN-like, not AAN" stand-in (§1.3 Option A) asks whether two IMDb reviews are about the
 * same movie: two byte-level documents, label 1 for the same movie. Figures on it are not
 * comparable to published Retrieval (AAN) figures.
 *
 * Movie of a review: aclImdb's `urls_{pos,neg}.txt` line i is the IMDb page of review file
 * `i_<rating>.txt` in `pos/` or `neg/`; the jsonl `id` is that i (see `loadMovies`; the test
 * suite checks the alignment on the texts themselves).
 *
 * Pairs come from within one split, so no review or movie of the test pairs is seen in training:
 * train and validation pairs from the IMDb train reviews with the movies split 90/10 (seeded),
 * test pairs from the IMDb test reviews minus the one movie the two files share (tt0406816).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../../../src/engine.ts';
import { byteVocabulary, loadImdb } from './imdb.ts';
import { defaultDataDir } from './paths.ts';
import { lazySplit, once, padTokens } from './task.ts';
import type { CommonOptions, PairExample, Preset, Split, SplitSizes, Task } from './task.ts';

/** Movie id (`tt…`) of each review of a split, aligned with `loadImdb(split)`'s records. */
export function loadMovies(split: 'train' | 'test', dir: string): string[] {
  const urls = (['neg', 'pos'] as const).map((polarity) => {
    const file = path.resolve(dir, `${split}_urls_${polarity}.txt`);
    if (!existsSync(file)) throw new Error(`retrieval: ${file} not found (the IMDb movie URL files; see ../shared/data/README.md)`);
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((url, line) => {
        const id = /\/title\/(tt\d+)\//.exec(url)?.[1];
        if (!id) throw new Error(`${file}: line ${line + 1} holds no IMDb title URL`);
        return id;
      });
  });
  const { labels, ids } = loadImdb(split, dir);
  return Array.from(labels, (label, i) => {
    const movie = urls[label][ids[i]];
    if (movie === undefined) throw new Error(`retrieval: review id ${ids[i]} has no line in ${split}_urls_${label ? 'pos' : 'neg'}.txt`);
    return movie;
  });
}

/** Pairs of review indices and their labels. */
export interface ReviewPairs {
  /** Pair k is (first[k], second[k]). */
  first: Int32Array;
  second: Int32Array;
  labels: Uint8Array;
}

/**
 * `count` distinct unordered pairs of the `reviews` (indices into `movies`), half of them
 * same-movie (the odd one not), in a seeded random order.
 *
 * Both documents of every pair, in either class, are drawn with probability proportional to
 * (reviews of its movie − 1): exactly the marginal of a uniformly drawn same-movie pair. So no
 * single document tells the class (a model cannot win by spotting "movie with many reviews");
 * only comparing the two can. A same-movie partner is uniform among the movie's other reviews;
 * a different-movie partner is redrawn until its movie differs.
 */
export function sampleReviewPairs(movies: readonly string[], reviews: ArrayLike<number>, count: number, random: Random): ReviewPairs {
  const byMovie = new Map<string, number[]>();
  for (let k = 0; k < reviews.length; k++) {
    const r = reviews[k];
    const list = byMovie.get(movies[r]);
    if (list) list.push(r);
    else byMovie.set(movies[r], [r]);
  }
  const cumulative = new Float64Array(reviews.length);
  let total = 0;
  for (let k = 0; k < reviews.length; k++) cumulative[k] = total += byMovie.get(movies[reviews[k]])!.length - 1;
  const draw = (): number => {
    const u = random.uniform() * total;
    let lo = 0;
    let hi = reviews.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return reviews[lo];
  };
  const positives = Math.floor(count / 2);
  const labels = new Uint8Array(count);
  labels.fill(1, 0, positives);
  const order = random.permutation(count);
  const first = new Int32Array(count);
  const second = new Int32Array(count);
  const seen = new Set<number>();
  const stride = movies.length;
  let misses = 0;
  for (let k = 0; k < count; k++) {
    const label = labels[order[k]];
    for (;;) {
      const a = draw();
      let b: number;
      if (label === 1) {
        const others = byMovie.get(movies[a])!;
        b = others[random.integer(others.length - 1)];
        if (b === a) b = others[others.length - 1]; // uniform over the movie's reviews other than a
      } else {
        do b = draw();
        while (movies[b] === movies[a]);
      }
      const key = Math.min(a, b) * stride + Math.max(a, b);
      if (!seen.has(key)) {
        seen.add(key);
        first[k] = a;
        second[k] = b;
        break;
      }
      if (++misses > 20 * count + 1000) throw new RangeError(`retrieval: cannot draw ${count} distinct pairs from ${reviews.length} reviews`);
    }
  }
  return { first, second, labels: Uint8Array.from(order, (j) => labels[j]) };
}

/**
 * `paper`: AAN's pair counts [paper, recalled] and LRA's 4,000 bytes per document, + EOS,
 * padded to 4,096. `cpu`: 1,023 bytes + EOS = 1,024 per document, 4k / 1k / 1k pairs.
 */
export const retrievalPresets: Readonly<Record<Preset, SplitSizes & { maxBytes: number; sequenceLength: number }>> = {
  paper: { maxBytes: 4000, sequenceLength: 4096, train: 147_086, validation: 18_090, test: 17_437 },
  cpu: { maxBytes: 1023, sequenceLength: 1024, train: 4_000, validation: 1_000, test: 1_000 },
};

/** Share of the IMDb train movies whose reviews make the validation pairs. */
const validationMovies = 0.1;

/** Options of the retrieval stand-in. */
export interface RetrievalOptions extends CommonOptions {
  /** Folder of the IMDb files (default `<dataDir>/imdb`). */
  imdbDir?: string;
  /** Right-pad both documents to `sequenceLength` (default true). */
  padded?: boolean;
}

/** The pair sets of the three splits (deterministic in `seed`). */
export function retrievalPairs(dir: string, sizes: SplitSizes, seed: number): Record<keyof SplitSizes, ReviewPairs> {
  const trainMovies = loadMovies('train', dir);
  const testMovies = loadMovies('test', dir);
  const random = new Random(seed);
  const distinct = [...new Set(trainMovies)].sort();
  const held = new Set(Array.from(random.permutation(distinct.length).subarray(0, Math.round(validationMovies * distinct.length)), (j) => distinct[j]));
  const indices = (movies: string[], keep: (m: string) => boolean) => Int32Array.from(movies.keys()).filter((i) => keep(movies[i]));
  const seenInTrain = new Set(trainMovies);
  return {
    train: sampleReviewPairs(
      trainMovies,
      indices(trainMovies, (m) => !held.has(m)),
      sizes.train,
      random,
    ),
    validation: sampleReviewPairs(
      trainMovies,
      indices(trainMovies, (m) => held.has(m)),
      sizes.validation,
      random,
    ),
    test: sampleReviewPairs(
      testMovies,
      indices(testMovies, (m) => !seenInTrain.has(m)),
      sizes.test,
      random,
    ),
  };
}

/** The retrieval stand-in task of a preset. Default seed 0 (movie split and pairs). */
export function retrievalTask(preset: Preset, options: RetrievalOptions = {}): Task<PairExample> {
  const { sequenceLength, maxBytes, ...presetSizes } = retrievalPresets[preset];
  const sizes = { ...presetSizes, ...options.sizes };
  const dir = options.imdbDir ?? path.join(options.dataDir ?? defaultDataDir, 'imdb');
  const seed = options.seed ?? 0;
  const padded = options.padded ?? true;
  const pairs = once(() => retrievalPairs(dir, sizes, seed));
  const encode = (bytes: Uint8Array) => padTokens(bytes.subarray(0, maxBytes), { ...byteVocabulary, length: padded ? sequenceLength : undefined });
  const split = (name: keyof SplitSizes): Split<PairExample> =>
    lazySplit(sizes[name], (k) => {
      const set = pairs()[name];
      const { texts } = loadImdb(name === 'test' ? 'test' : 'train', dir);
      const a = texts[set.first[k]];
      const b = texts[set.second[k]];
      return {
        tokens: encode(a),
        tokens2: encode(b),
        label: set.labels[k],
        length: Math.min(a.length, maxBytes) + 1,
        length2: Math.min(b.length, maxBytes) + 1,
      };
    });
  return {
    name: 'retrieval',
    preset,
    description:
      `retrieval (IMDb same-movie stand-in for AAN): two IMDb reviews as UTF-8 bytes (${maxBytes} + EOS each), label 1 when both are about ` +
      'the same movie (aclImdb URL files). AAN-like, not AAN: not comparable to published Retrieval figures. Train/validation pairs from the IMDb train ' +
      'reviews, movies split 90/10; test pairs from the IMDb test reviews; labels balanced.',
    classes: 2,
    sequenceLength,
    vocabulary: byteVocabulary,
    splits: { train: split('train'), validation: split('validation'), test: split('test') },
    publishedS4: 90.9,
    chance: 50,
  };
}
