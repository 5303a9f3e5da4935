/**
 * sCIFAR-grey (JPEG-sourced) and sMNIST / psMNIST: IDX parsing, counts against
 * ../shared/data/README.md, splits and encodings. Data checks print a `note:` and pass when
 * ../shared/data is absent (a fresh clone).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { imageTask, loadCifarGray } from '../../benchmarks/lra/data/cifar.ts';
import { loadMnist, mnistPermutation, mnistTask, parseIdx } from '../../benchmarks/lra/data/mnist.ts';
import { defaultDataDir } from '../../benchmarks/lra/data/paths.ts';

const cifarDir = path.join(defaultDataDir, 'cifar10-gray');
const mnistDir = path.join(defaultDataDir, 'mnist');
const skip = (what: string, dir: string) => console.log(`\nnote: skipped ${what}: ${dir} not found`);

test('parseIdx reads the header (type 0x08, rank, big-endian sizes) and rejects malformed files', () => {
  const file = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
  const idx = parseIdx(file);
  assert.equal(idx.dims, [2, 3]);
  assert.equal([...idx.data], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 0])), /magic/);
  assert.throws(() => parseIdx(Uint8Array.from([0, 0, 13, 1, 0, 0, 0, 1, 0, 0, 0, 0])), /unsigned byte/);
  assert.throws(() => parseIdx(file.subarray(0, 17)), /header says 6 values/);
});

test('the psMNIST permutation is fixed and a permutation of the 784 pixels', () => {
  const p = mnistPermutation();
  assert.equal(p, mnistPermutation());
  assert.equal(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 784 }, (_, i) => i),
  );
  assert.ok(p.some((v, i) => v !== i));
});

test('a missing data folder is an error that names the path', () => {
  const task = imageTask('cpu', { dataDir: '/nonexistent/lra-data' });
  assert.throws(() => task.splits.train.get(0), /\/nonexistent\/lra-data\/cifar10-gray\/train_gray_u8\.bin\.gz not found/);
  assert.throws(
    () => mnistTask('cpu', false, { mnistDir: '/nonexistent/mnist' }).splits.test.get(0),
    /\/nonexistent\/mnist\/t10k-images-idx3-ubyte\.gz not found/,
  );
});

test('CIFAR-10 grey has 50,000 / 10,000 images of 1,024 pixels, 5,000 / 1,000 per class', () => {
  if (!existsSync(cifarDir)) return skip('CIFAR-10 grey counts', cifarDir);
  for (const [split, n] of [
    ['train', 50_000],
    ['test', 10_000],
  ] as const) {
    const { pixels, labels } = loadCifarGray(split, cifarDir);
    assert.is(labels.length, n);
    assert.is(pixels.length, n * 1024);
    const perClass = new Array<number>(10).fill(0);
    for (const l of labels) perClass[l]++;
    assert.equal(perClass, new Array(10).fill(n / 10));
  }
});

test('the image task shuffles before the 45,000 / 5,000 cut, so every split holds every class', () => {
  if (!existsSync(cifarDir)) return skip('image splits', cifarDir);
  const paper = imageTask('paper');
  assert.equal([paper.splits.train.size, paper.splits.validation.size, paper.splits.test.size], [45_000, 5_000, 10_000]);
  const cpu = imageTask('cpu');
  for (const split of [cpu.splits.train, cpu.splits.validation, cpu.splits.test]) {
    const perClass = new Array<number>(10).fill(0);
    for (let i = 0; i < 500; i++) perClass[split.get(i).label]++;
    assert.ok(
      perClass.every((c) => c > 20),
      `classes ${perClass}`,
    );
  }
  // Validation is the tail of the same shuffle as train: no image in both.
  const key = (t: Int32Array | Float32Array) => Buffer.from(t.buffer).toString('base64');
  const train = new Set(Array.from({ length: 2000 }, (_, i) => key(paper.splits.train.get(i).tokens)));
  for (let i = 0; i < 500; i++) assert.not.ok(train.has(key(paper.splits.validation.get(i).tokens)));
  const real = cpu.splits.test.get(7);
  const tokens = imageTask('cpu', { encoding: 'tokens' }).splits.test.get(7);
  assert.ok(real.tokens instanceof Float32Array && tokens.tokens instanceof Int32Array);
  assert.ok(tokens.tokens.every((v, i) => Math.abs(real.tokens[i] - v / 255) < 1e-7));
  assert.match(cpu.description, /JPEG-sourced/);
});

test('MNIST has 60,000 / 10,000 images of 28×28, and sMNIST holds out 6,000 for validation', () => {
  if (!existsSync(mnistDir)) return skip('MNIST counts', mnistDir);
  assert.is(loadMnist('train', mnistDir).labels.length, 60_000);
  assert.is(loadMnist('test', mnistDir).labels.length, 10_000);
  const paper = mnistTask('paper', false);
  assert.equal([paper.splits.train.size, paper.splits.validation.size, paper.splits.test.size], [54_000, 6_000, 10_000]);
  const e = paper.splits.test.get(0);
  assert.is(e.tokens.length, 784);
  assert.ok(e.tokens.every((v) => v >= 0 && v <= 1));
});

test('psMNIST reads the same images as sMNIST through the fixed permutation', () => {
  if (!existsSync(mnistDir)) return skip('psMNIST', mnistDir);
  const plain = mnistTask('cpu', false).splits.validation.get(5);
  const permuted = mnistTask('cpu', true).splits.validation.get(5);
  const p = mnistPermutation();
  assert.is(permuted.label, plain.label);
  assert.ok(permuted.tokens.every((v, t) => v === plain.tokens[p[t]]));
});

test.run();
