/**
 * The long-horizon runner: its reference table is consistent with the data sets it names, and
 * a real run (naive on ETTh1 at H=96, through `npm run bench:lstf`'s entry point) reproduces the
 * reference figures computed on the same copy, 1.294 / 0.713 over 2,785 windows. The run needs
 * ../shared/data; without it the test prints a `note:` and passes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstfDatasets } from '../../cli/lstf/datasets.ts';
import { referenceRows } from '../../cli/lstf/reference.ts';
import { dataDir, runNode } from './spawn.ts';

test('every reference row names a known data set, its horizons, and a source', () => {
  for (const row of referenceRows) {
    const dataset = lstfDatasets[row.dataset];
    assert.ok(dataset, row.dataset);
    assert.equal(Object.keys(row.figures).map(Number), [...dataset.horizons], `${row.dataset} ${row.kind} covers the data set's horizons`);
    for (const [mse, mae] of Object.values(row.figures)) assert.ok(mse > 0 && mae > 0 && mae < 3 && mse < 10);
    assert.ok(row.source.startsWith('benchmarks.md §2.'), `${row.dataset} ${row.kind} says where it comes from`);
  }
  for (const dataset of Object.values(lstfDatasets)) {
    assert.ok(referenceRows.some((r) => r.dataset === dataset.name && r.kind === 'naive'), `${dataset.name} has a naive reference`);
  }
});

test('naive on ETTh1 at H=96 matches the reference 1.294 / 0.713 and writes its JSON and Markdown', async () => {
  if (!existsSync(path.join(dataDir, 'ETTh1.csv'))) {
    console.log(`note: skipped the ETTh1 benchmark run: ${path.join(dataDir, 'ETTh1.csv')} not found`);
    return;
  }
  const results = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-lstf-'));
  try {
    const ran = await runNode(['--import', 'tsx', 'benchmarks/lstf/run.ts', '--dataset', 'ETTh1', '--model', 'naive', '--horizon', '96', '--json', '--results', results]);
    assert.is(ran.code, 0, ran.stderr);
    const run = JSON.parse(ran.stdout);
    assert.is(run.dataset, 'ETTh1');
    assert.is(run.model, 'Naive');
    const [row] = run.rows;
    assert.is(row.horizon, 96);
    assert.is(row.testWindows, 2785);
    assert.ok(Math.abs(row.mse - 1.294) < 0.001, `MSE ${row.mse}`);
    assert.ok(Math.abs(row.mae - 0.713) < 0.001, `MAE ${row.mae}`);
    assert.equal(row.counterpart.label, 'naive');
    assert.is(row.training, null, 'a rule-based model has no training record');
    // With --json the table goes to stderr, with the verdict.
    assert.match(ran.stderr, /\|\s+96 \|\s+2785 \|\s+1\.294 \/ 0\.713 \|/);
    assert.ok(ran.stderr.includes('Matches the reference naive within ±0.005 at H=96.'), ran.stderr);
    const saved = JSON.parse(await readFile(path.join(results, 'ETTh1-naive-H96.json'), 'utf8'));
    assert.is(saved.rows[0].mse, row.mse);
    assert.is(saved.file, path.join('..', 'shared', 'data', 'forecasting', 'ETTh1.csv'), 'paths in records are relative to the repository');
    const markdown = await readFile(path.join(results, 'ETTh1-naive-H96.md'), 'utf8');
    assert.ok(markdown.startsWith('# ETTh1 · Naive: long-horizon runs') && /\|\s+96 \|/.test(markdown), markdown);
  } finally {
    await rm(results, { recursive: true, force: true });
  }
});

test('a model trained by gradient steps reports its steps and its time per epoch', async () => {
  if (!existsSync(path.join(dataDir, 'ETTh1.csv'))) {
    console.log(`note: skipped the ETTh1 DLinear timing run: ${path.join(dataDir, 'ETTh1.csv')} not found`);
    return;
  }
  const results = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-lstf-'));
  try {
    const ran = await runNode(['--import', 'tsx', 'benchmarks/lstf/run.ts', '--model', 'dlinear', '--horizon', '96', '--max-steps', '3', '--progress', 'silent', '--json', '--results', results]);
    assert.is(ran.code, 0, ran.stderr);
    const { training } = JSON.parse(ran.stdout).rows[0];
    // ETTh1's training split (12 months, 8,640 hours) holds 8,640 − 336 − 96 + 1 = 8,209 windows: 257 batches of 32.
    assert.is(training.steps, 3);
    assert.is(training.stepsPerEpoch, 257);
    assert.is(training.stoppedBy, 'maxSteps');
    assert.ok(Math.abs(training.secondsPerEpoch - (training.seconds / 3) * 257) < 1e-9 && training.secondsPerEpoch > 0, JSON.stringify(training));
    assert.match(ran.stderr, /steps \(\/epoch\) \| s \/ epoch/);
    assert.match(ran.stderr, /\|\s+3 \(257\) \|/);
  } finally {
    await rm(results, { recursive: true, force: true });
  }
});

test.run();
