/**
 * Text (byte-level IMDb) and the retrieval stand-in (IMDb same-movie pairs) on the real files in
 * ../shared/data/imdb (absent in a fresh clone: each check then prints a `note:` and passes).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../../src/engine.ts';
import { byteVocabulary, loadImdb, textTask } from '../../benchmarks/lra/data/imdb.ts';
import { defaultDataDir } from '../../benchmarks/lra/data/paths.ts';
import { loadMovies, retrievalPairs, retrievalTask, sampleReviewPairs } from '../../benchmarks/lra/data/retrieval.ts';

const imdbDir = path.join(defaultDataDir, 'imdb');
const present = existsSync(path.join(imdbDir, 'imdb_train.jsonl.gz'));
const skip = (what: string) => console.log(`\nnote: skipped ${what}: ${imdbDir} not found`);

test('the pair sampler pairs same-movie reviews for label 1 and different movies for label 0, without repeats', () => {
  const movies = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'd', 'd', 'd'];
  const pairs = sampleReviewPairs(movies, Int32Array.from(movies.keys()), 12, new Random(1));
  assert.is(
    pairs.labels.reduce((n, l) => n + l, 0),
    6,
  );
  const keys = new Set<string>();
  for (let k = 0; k < 12; k++) {
    const [a, b] = [pairs.first[k], pairs.second[k]];
    assert.is.not(a, b);
    assert.is(movies[a] === movies[b], pairs.labels[k] === 1);
    assert.is.not(movies[a], 'c', 'a movie with one review has no same-movie pair, so never appears');
    keys.add([Math.min(a, b), Math.max(a, b)].join());
  }
  assert.is(keys.size, 12);
  assert.throws(() => sampleReviewPairs(movies, Int32Array.from(movies.keys()), 40, new Random(1)), /distinct pairs/);
});

test('IMDb has 25,000 train and 25,000 test reviews, half of each label, ids 0..12,499 per label', () => {
  if (!present) return skip('IMDb counts');
  for (const split of ['train', 'test'] as const) {
    const { texts, labels, ids } = loadImdb(split, imdbDir);
    assert.is(texts.length, 25_000);
    assert.is(
      labels.reduce((n, l) => n + l, 0),
      12_500,
    );
    for (let i = 0; i < 25_000; i++) assert.is(ids[i], i % 12_500, `record ${i}`);
  }
});

test('text examples are bytes + EOS, right-padded; the test split doubles as validation', () => {
  if (!present) return skip('text examples');
  const task = textTask('cpu');
  assert.is(task.splits.validation, task.splits.test);
  assert.is(task.splits.train.size, 8_000);
  let positives = 0;
  for (const e of task.splits.test) positives += e.label;
  assert.is(positives, 1_000);
  const e = task.splits.train.get(0);
  assert.is(e.tokens.length, 1024);
  const n = e.length!;
  assert.is(e.tokens[n - 1], byteVocabulary.eos);
  assert.ok(e.tokens.subarray(0, n - 1).every((b) => b >= 0 && b < 256));
  assert.ok(e.tokens.subarray(n).every((b) => b === byteVocabulary.pad));
  const text = Buffer.from(Uint8Array.from(e.tokens.subarray(0, n - 1))).toString('utf8');
  const { texts } = loadImdb('train', imdbDir);
  assert.ok(
    texts.some((t) => Buffer.from(t).toString('utf8').startsWith(text.slice(0, 200))),
    "the bytes are a review's text",
  );
  const paper = textTask('paper');
  assert.is(paper.splits.train.size, 25_000);
  assert.is(paper.splits.test.size, 25_000);
  assert.is(paper.sequenceLength, 4096);
});

/** Capitalised words (names, titles) of a review: same-movie reviews share many of them. */
function names(text: Uint8Array): Set<string> {
  const words =
    Buffer.from(text)
      .toString('utf8')
      .match(/\b[A-Z][a-z]{2,}\b/g) ?? [];
  return new Set(words.filter((w) => !common.has(w)));
}
const common = new Set(
  'The This That There They Then When What Which While With Why How His Her Its And But For Not All One Any Also After Before Even Just Well Yes Some'.split(
    ' ',
  ),
);

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.max(1, a.size + b.size - shared);
}

test('the URL files align with the reviews: record (label, id) is line id of urls_{pos,neg}', () => {
  if (!present) return skip('URL alignment');
  const { texts, labels } = loadImdb('train', imdbDir);
  const movies = loadMovies('train', imdbDir);
  const words = texts.map(names);
  const random = new Random(5);
  // (1) Across the two URL files: a negative and a positive review with the same URL share
  // names far more than a random pair. Any misalignment of either file (a shift, swapped
  // files) pairs unrelated reviews and the figure falls to the baseline.
  const positivesByMovie = new Map<string, number[]>();
  labels.forEach((l, i) => l === 1 && positivesByMovie.set(movies[i], [...(positivesByMovie.get(movies[i]) ?? []), i]));
  let cross = 0;
  let crossCount = 0;
  for (let i = 0; i < 12_500; i++) {
    for (const j of (positivesByMovie.get(movies[i]) ?? []).slice(0, 2)) {
      cross += jaccard(words[i], words[j]);
      crossCount++;
    }
  }
  let baseline = 0;
  for (let k = 0; k < 4000; k++) baseline += jaccard(words[random.integer(12_500)], words[12_500 + random.integer(12_500)]);
  baseline /= 4000;
  cross /= crossCount;
  // (2) Within a file, reviews of one movie are consecutive: neighbours across a URL change must
  // look unrelated (an off-by-one alignment would put same-movie neighbours there).
  let boundary = 0;
  let boundaryCount = 0;
  let inside = 0;
  let insideCount = 0;
  for (let i = 0; i + 1 < texts.length; i++) {
    if (labels[i] !== labels[i + 1]) continue;
    const j = jaccard(words[i], words[i + 1]);
    if (movies[i] === movies[i + 1]) (inside += j), insideCount++;
    else (boundary += j), boundaryCount++;
  }
  boundary /= boundaryCount;
  inside /= insideCount;
  console.log(
    `\nnote: URL alignment: name overlap of same-URL pairs across files ${cross.toFixed(4)} (${crossCount} pairs), random pairs ${baseline.toFixed(4)}; ` +
      `neighbours with the same URL ${inside.toFixed(4)}, across a URL change ${boundary.toFixed(4)}`,
  );
  assert.ok(cross > 8 * baseline, 'same-URL pairs across the files are about the same movie');
  assert.ok(inside > 8 * baseline, 'same-URL neighbours are about the same movie');
  assert.ok(boundary < 2 * baseline, 'neighbours across a URL change are unrelated');
});

test('retrieval pairs: label 1 exactly when both reviews share a movie; balanced; splits share no movie', () => {
  if (!present) return skip('retrieval pairs');
  const sizes = { train: 4000, validation: 1000, test: 1000 };
  const pairs = retrievalPairs(imdbDir, sizes, 0);
  const movies = { train: loadMovies('train', imdbDir), test: loadMovies('test', imdbDir) };
  const seen = { train: new Set<string>(), validation: new Set<string>(), test: new Set<string>() };
  for (const split of ['train', 'validation', 'test'] as const) {
    const m = movies[split === 'test' ? 'test' : 'train'];
    const { first, second, labels } = pairs[split];
    assert.is(
      labels.reduce((n, l) => n + l, 0),
      sizes[split] / 2,
    );
    for (let k = 0; k < labels.length; k++) {
      assert.is(m[first[k]] === m[second[k]], labels[k] === 1);
      seen[split].add(m[first[k]]).add(m[second[k]]);
    }
  }
  const disjoint = (a: Set<string>, b: Set<string>) => [...a].every((x) => !b.has(x));
  assert.ok(disjoint(seen.train, seen.validation));
  assert.ok(disjoint(seen.train, seen.test));
  assert.ok(disjoint(seen.validation, seen.test));
  const again = retrievalPairs(imdbDir, sizes, 0);
  assert.equal(again.test.first, pairs.test.first);
});

test('retrieval examples carry both documents as bytes + EOS', () => {
  if (!present) return skip('retrieval examples');
  const task = retrievalTask('cpu');
  assert.match(task.description, /^retrieval \(IMDb same-movie stand-in for AAN\)/);
  const e = task.splits.validation.get(0);
  assert.is(e.tokens.length, 1024);
  assert.is(e.tokens2.length, 1024);
  assert.is(e.tokens[e.length! - 1], byteVocabulary.eos);
  assert.is(e.tokens2[e.length2! - 1], byteVocabulary.eos);
  const paper = retrievalTask('paper');
  assert.equal([paper.splits.train.size, paper.splits.validation.size, paper.splits.test.size], [147_086, 18_090, 17_437]);
});

test.run();
