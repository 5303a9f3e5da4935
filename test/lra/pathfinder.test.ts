/**
 * Pathfinder / Path-X generator (reference/benchmarks.md §1.4): the marker rule, contour
 * lengths and separation, brightness, determinism, and that the label cannot be read from
 * global pixel statistics.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Random } from '../../src/engine.ts';
import { generatePathfinder, pathfinder32, pathx128 } from '../../benchmarks/lra/data/pathfinder-generator.ts';
import type { PathfinderImage } from '../../benchmarks/lra/data/pathfinder-generator.ts';
import { segmentDistance } from '../../benchmarks/lra/data/pathfinder-raster.ts';
import { generatePathfinderImages, pathfinderTask } from '../../benchmarks/lra/data/pathfinder.ts';

const samples: PathfinderImage[] = [];
const random = new Random(2024);
const started = performance.now();
for (let i = 0; i < 2000; i++) samples.push(generatePathfinder(pathfinder32, random));
const rate32 = 2000 / ((performance.now() - started) / 1000);

test('markers sit on the origin tip of one target and the terminal tip of the same (label 1) or the other (label 0)', () => {
  for (const s of samples.slice(0, 300)) {
    const origin = s.snakes[s.markedSnake][0];
    assert.equal(s.markers[0], [origin.ax, origin.ay]);
    const endSnake = s.snakes[s.label === 1 ? s.markedSnake : 1 - s.markedSnake];
    const end = endSnake[endSnake.length - 1];
    assert.equal(s.markers[1], [end.bx, end.by]);
  }
});

test('target snakes have contourLength paddles, distractors distractorLength, and contours keep apart', () => {
  for (const s of samples.slice(0, 200)) {
    assert.is(s.snakes[0].length, 14);
    assert.is(s.snakes[1].length, 14);
    for (const d of s.snakes.slice(2)) assert.is(d.length, 4);
    assert.is(s.snakes.length - 2 + s.skippedDistractors, 5);
    // Paddles of different snakes never come closer than the stroke width.
    for (let a = 0; a < s.snakes.length; a++) {
      for (let b = a + 1; b < s.snakes.length; b++) {
        for (const p of s.snakes[a]) {
          for (const q of s.snakes[b]) {
            const gap = Math.min(
              segmentDistance(p, q.ax, q.ay),
              segmentDistance(p, q.bx, q.by),
              segmentDistance(q, p.ax, p.ay),
              segmentDistance(q, p.bx, p.by),
            );
            assert.ok(gap > pathfinder32.thickness, `snakes ${a} and ${b} ${gap.toFixed(2)} apart`);
          }
        }
      }
    }
  }
});

test('the second target starts seedDistance from the first, and the first 2·seedDistance from the border', () => {
  for (const s of samples.slice(0, 200)) {
    const [a, b] = [s.snakes[0][0], s.snakes[1][0]];
    assert.ok(Math.abs(Math.hypot(a.ax - b.ax, a.ay - b.ay) - 7) < 1e-9);
    for (const v of [a.ax, a.ay]) assert.ok(v >= 14 && v <= 17);
  }
});

test('images span 0..255 with a black background, and labels and marked snakes are fair coins', () => {
  let ones = 0;
  let marked = 0;
  for (const s of samples) {
    assert.is(Math.max(...s.pixels), 255);
    assert.ok(s.pixels.filter((v) => v === 0).length > s.pixels.length / 2, 'mostly background');
    ones += s.label;
    marked += s.markedSnake;
  }
  assert.ok(Math.abs(ones / samples.length - 0.5) < 0.04, `label 1 share ${ones / samples.length}`);
  assert.ok(Math.abs(marked / samples.length - 0.5) < 0.04);
});

test('the label is not readable from global pixel statistics (2,000 images)', () => {
  const stats = [0, 1].map((label) => {
    const group = samples.filter((s) => s.label === label);
    const mean = group.reduce((n, s) => n + s.pixels.reduce((a, v) => a + v, 0) / s.pixels.length, 0) / group.length;
    const bright = group.reduce((n, s) => n + s.pixels.filter((v) => v > 200).length, 0) / group.length;
    const ink = group.reduce((n, s) => n + s.pixels.filter((v) => v > 0).length, 0) / group.length;
    return { mean, bright, ink };
  });
  console.log(
    `\nnote: Pathfinder-32 hard, ${samples.length} images at ${rate32.toFixed(0)} images/s; mean grey by label ${stats[0].mean.toFixed(2)} / ${stats[1].mean.toFixed(2)}, ` +
      `pixels > 200 ${stats[0].bright.toFixed(1)} / ${stats[1].bright.toFixed(1)}, inked pixels ${stats[0].ink.toFixed(1)} / ${stats[1].ink.toFixed(1)}`,
  );
  assert.ok(Math.abs(stats[0].mean - stats[1].mean) < 0.5, 'mean intensity');
  assert.ok(Math.abs(stats[0].bright - stats[1].bright) < 1, 'bright pixel count');
  assert.ok(Math.abs(stats[0].ink - stats[1].ink) / stats[0].ink < 0.02, 'inked pixel count');
});

test('an image depends only on (seed, split, index): regenerating one alone gives the same pixels', () => {
  const batch = generatePathfinderImages(pathfinder32, 5, 0, 10, 3);
  const alone = generatePathfinderImages(pathfinder32, 5, 0, 11, 1);
  assert.equal(alone.pixels, batch.pixels.subarray(1024, 2048));
  assert.is(alone.labels[0], batch.labels[1]);
  assert.not.equal(generatePathfinderImages(pathfinder32, 5, 1, 11, 1).pixels, alone.pixels);
});

test('Path-X images are 128×128 with two 14-paddle targets', () => {
  const image = generatePathfinder(pathx128, new Random(1));
  assert.is(image.pixels.length, 128 * 128);
  assert.is(image.snakes[0].length, 14);
  assert.is(Math.max(...image.pixels), 255);
});

test('the task draws images on demand in cached chunks and normalises as S4', () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'lra-pathfinder-'));
  try {
    const sizes = { train: 30, validation: 10, test: 10 };
    const task = pathfinderTask('pathfinder', 'cpu', { cacheDir, sizes });
    assert.is(task.sequenceLength, 1024);
    assert.is(task.vocabulary, 'real');
    assert.is(readdirSync(cacheDir).length, 0);
    const example = task.splits.train.get(29);
    assert.ok(example.tokens instanceof Float32Array);
    assert.is(Math.min(...example.tokens), -1);
    assert.is(Math.max(...example.tokens), 1);
    assert.is(readdirSync(cacheDir).length, 1);
    const tokens = pathfinderTask('pathfinder', 'cpu', { cacheDir, sizes, encoding: 'tokens' }).splits.train.get(29);
    assert.ok(tokens.tokens instanceof Int32Array);
    assert.ok(
      tokens.tokens.every((v, i) => Math.abs(example.tokens[i] - (v / 127.5 - 1)) < 1e-6),
      'real = (token/255 - 0.5)/0.5',
    );
    assert.is(tokens.label, example.label);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test.run();
