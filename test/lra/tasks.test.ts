/**
 * `loadTask`: every task at both presets has the uniform description, the published S4 figure
 * of reference/benchmarks.md §1.5 and its documented sizes, and costs nothing until read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTask, taskNames } from '../../benchmarks/lra/data/index.ts';
import type { Preset, TaskName } from '../../benchmarks/lra/data/index.ts';

const expected: Record<TaskName, { classes: number; publishedS4: number; chance: number; length: Record<Preset, number>; sizes: Record<Preset, number[]> }> = {
  listops: {
    classes: 10,
    publishedS4: 59.6,
    chance: 17,
    length: { paper: 2048, cpu: 256 },
    sizes: { paper: [96_000, 2_000, 2_000], cpu: [20_000, 1_000, 1_000] },
  },
  text: {
    classes: 2,
    publishedS4: 86.82,
    chance: 50,
    length: { paper: 4096, cpu: 1024 },
    sizes: { paper: [25_000, 25_000, 25_000], cpu: [8_000, 2_000, 2_000] },
  },
  retrieval: {
    classes: 2,
    publishedS4: 90.9,
    chance: 50,
    length: { paper: 4096, cpu: 1024 },
    sizes: { paper: [147_086, 18_090, 17_437], cpu: [4_000, 1_000, 1_000] },
  },
  image: {
    classes: 10,
    publishedS4: 88.65,
    chance: 10,
    length: { paper: 1024, cpu: 1024 },
    sizes: { paper: [45_000, 5_000, 10_000], cpu: [10_000, 1_000, 2_000] },
  },
  pathfinder: {
    classes: 2,
    publishedS4: 94.2,
    chance: 50,
    length: { paper: 1024, cpu: 1024 },
    sizes: { paper: [160_000, 20_000, 20_000], cpu: [20_000, 2_000, 2_000] },
  },
  pathx: {
    classes: 2,
    publishedS4: 96.35,
    chance: 50,
    length: { paper: 16_384, cpu: 4096 },
    sizes: { paper: [160_000, 20_000, 20_000], cpu: [8_000, 1_000, 1_000] },
  },
  smnist: {
    classes: 10,
    publishedS4: 99.63,
    chance: 11.35,
    length: { paper: 784, cpu: 784 },
    sizes: { paper: [54_000, 6_000, 10_000], cpu: [10_000, 1_000, 2_000] },
  },
  psmnist: {
    classes: 10,
    publishedS4: 98.7,
    chance: 11.35,
    length: { paper: 784, cpu: 784 },
    sizes: { paper: [54_000, 6_000, 10_000], cpu: [10_000, 1_000, 2_000] },
  },
};

test('every task at both presets has its published S4 figure, chance level, length and sizes', () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'lra-tasks-'));
  try {
    for (const name of taskNames) {
      for (const preset of ['cpu', 'paper'] as const) {
        const task = loadTask(name, preset, { cacheDir, dataDir: '/nonexistent' });
        const want = expected[name];
        assert.is(task.name, name);
        assert.is(task.preset, preset);
        assert.is(task.classes, want.classes);
        assert.is(task.publishedS4, want.publishedS4);
        assert.ok(Math.abs(task.chance - want.chance) < 1.5, `${name} chance ${task.chance}`);
        assert.is(task.sequenceLength, want.length[preset], `${name} ${preset} length`);
        assert.equal([task.splits.train.size, task.splits.validation.size, task.splits.test.size], want.sizes[preset], `${name} ${preset} sizes`);
        assert.ok(task.description.length > 40);
      }
    }
    // Describing sixteen tasks read and generated nothing (the data folder does not even exist).
    assert.is(readdirSync(cacheDir).length, 0);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('the retrieval stand-in is never called AAN, and JPEG-sourced CIFAR says so', () => {
  assert.match(loadTask('retrieval', 'cpu').description, /IMDb same-movie stand-in for AAN.*not AAN/);
  assert.match(loadTask('image', 'paper').description, /JPEG-sourced/);
  assert.match(loadTask('pathx', 'cpu').description, /stand-in/);
});

test('splits iterate in index order and reject indices outside them', () => {
  const task = loadTask('smnist', 'cpu', { sizes: { train: 3, validation: 1, test: 1 }, mnistDir: '/nonexistent' });
  assert.throws(() => task.splits.train.get(3), /outside 0\.\.2/);
  assert.throws(() => task.splits.train.get(-1), RangeError);
});

test('unknown names, presets and oversized splits are clear errors', () => {
  assert.throws(() => loadTask('aan' as TaskName, 'cpu'), /unknown task "aan"/);
  assert.throws(() => loadTask('image', 'gpu' as Preset), /preset must be/);
  assert.throws(() => loadTask('image', 'cpu', { sizes: { train: 46_000 } }), /train size 46000 outside 0\.\.45000/);
});

test.run();
