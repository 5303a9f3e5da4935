/**
 * The long-horizon runner: its reference table is consistent with the data sets it names; a
 * real run (naive on ETTh1 at H=96, through `npm run bench:lstf`'s entry point) reproduces the
 * reference figures computed on the same copy, 1.294 / 0.713 over 2,785 windows; and any other
 * file (files this test writes) runs under the 7:1:2 split, without reference figures, into a
 * record named after it, with duplicated timestamps an error unless `--repair` is given. The
 * ETTh1 runs need ../shared/data; without it they print a `note:` and pass.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstfDatasets } from '../../cli/lstf/datasets.ts';
import { referenceRows } from '../../cli/lstf/reference.ts';
import { runCli } from '../../cli/run-cli.ts';
import { dataDir, root, runNode } from './spawn.ts';

/** `chronoscale bench lstf ...argv` in this process, output captured. */
async function bench(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['bench', 'lstf', ...argv], { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/**
 * A wide CSV of 600 rows every 15 minutes, two smooth channels; `duplicate` repeats data row
 * 300 after itself, as the Weather file repeats one timestamp.
 */
function quarterHourCsv(options: { duplicate?: boolean } = {}): string {
  const lines = ['date,a,b'];
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < 600; i++) {
    const date = new Date(t0 + i * 900_000).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(`${date},${Math.sin(i / 10).toFixed(4)},${(Math.cos(i / 7) + i / 600).toFixed(4)}`);
  }
  if (options.duplicate) lines.splice(301, 0, lines[300]);
  return `${lines.join('\n')}\n`;
}

/** A scratch folder with the results folder inside, removed after `body`. */
async function inScratch(body: (dir: string, results: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-lstf-'));
  try {
    await body(dir, path.join(dir, 'results'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// 600 rows at 7:1:2: test rows [600 − 120 − 48, 600), so 168 − 48 − 24 + 1 = 97 windows.
const small = ['--model', 'ridgeLinear', '--lookback', '48', '--horizon', '24', '--json'];

test('every reference row names a known data set, its horizons, and a source', () => {
  for (const row of referenceRows) {
    const dataset = lstfDatasets[row.dataset];
    assert.ok(dataset, row.dataset);
    assert.equal(Object.keys(row.figures).map(Number), [...dataset.horizons], `${row.dataset} ${row.kind} covers the data set's horizons`);
    for (const [mse, mae] of Object.values(row.figures)) assert.ok(mse > 0 && mae > 0 && mae < 3 && mse < 10);
    assert.ok(/^benchmarks\.md §(2|4\.1)/.test(row.source), `${row.dataset} ${row.kind} says where it comes from`);
  }
  for (const dataset of Object.values(lstfDatasets)) {
    assert.ok(
      referenceRows.some((r) => r.dataset === dataset.name && r.kind === 'naive'),
      `${dataset.name} has a naive reference`,
    );
  }
});

test('naive on ETTh1 at H=96 matches the reference 1.294 / 0.713 and writes its JSON and Markdown', async () => {
  if (!existsSync(path.join(dataDir, 'ETTh1.csv'))) {
    console.log(`note: skipped the ETTh1 benchmark run: ${path.join(dataDir, 'ETTh1.csv')} not found`);
    return;
  }
  const results = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-lstf-'));
  try {
    const ran = await runNode([
      '--import',
      'tsx',
      'benchmarks/lstf/run.ts',
      '--dataset',
      'ETTh1',
      '--model',
      'naive',
      '--horizon',
      '96',
      '--json',
      '--results',
      results,
    ]);
    assert.is(ran.code, 0, ran.stderr);
    const run = JSON.parse(ran.stdout);
    assert.is(run.dataset, 'ETTh1');
    assert.is(run.model, 'Naive');
    assert.is(run.split.label, 'ett-hour');
    assert.is(run.referenceNote, null);
    assert.match(ran.stderr, /split ett-hour \(12\/4\/4 months of 30 days in hourly rows, ETT's borders\): chosen as the file is ETTh1 by its name/);
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
    const ran = await runNode([
      '--import',
      'tsx',
      'benchmarks/lstf/run.ts',
      '--model',
      'dlinear',
      '--horizon',
      '96',
      '--max-steps',
      '3',
      '--progress',
      'silent',
      '--json',
      '--results',
      results,
    ]);
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

test('another 15-minute file runs 7:1:2 into its own record, with no reference figures', async () => {
  await inScratch(async (dir, results) => {
    const file = path.join(dir, 'other.csv');
    await writeFile(file, quarterHourCsv());
    const ran = await bench('--data', file, ...small, '--results', results);
    assert.is(ran.code, 0, ran.stderr);
    const run = JSON.parse(ran.stdout);
    assert.equal([run.dataset, run.split.label, run.referenceLabels, run.rows[0].testWindows], ['other', 'ratio 0.7/0.1/0.2', [], 97]);
    assert.equal(run.rows[0].references, []);
    assert.is(run.rows[0].counterpart, null);
    assert.match(ran.stderr, /split ratio 0\.7\/0\.1\/0\.2 \(.*\): chosen as other is none of the reference data sets/);
    assert.match(ran.stderr, /No reference figures: other is none of the reference data sets/);
    assert.not.match(ran.stderr, /naive|snaive|DLinear|PatchTST|Δ vs reference/);
    assert.equal(await readdir(results), ['other-ridgeLinear-H24-L48.json', 'other-ridgeLinear-H24-L48.md']);
  });
});

test('a 15-minute file named ETTh1.csv is not ETTh1: no ETT borders, no ETTh1 figures, no ETTh1 record', async () => {
  await inScratch(async (dir, results) => {
    await mkdir(path.join(dir, 'data'));
    await writeFile(path.join(dir, 'data', 'ETTh1.csv'), quarterHourCsv());
    // Through the folder and --dataset, as the reference copy would be read.
    const ran = await bench('--data', path.join(dir, 'data'), '--dataset', 'ETTh1', ...small, '--results', results);
    assert.is(ran.code, 0, ran.stderr);
    const run = JSON.parse(ran.stdout);
    assert.equal([run.split.label, run.referenceLabels], ['ratio 0.7/0.1/0.2', []]);
    assert.match(run.referenceNote, /named ETTh1 but its rows are 15-minute where ETTh1's are hourly/);
    assert.equal(await readdir(results), ['ETTh1-ridgeLinear-15min-H24-L48-ratio-0.7-0.1-0.2.json', 'ETTh1-ridgeLinear-15min-H24-L48-ratio-0.7-0.1-0.2.md']);
  });
});

test('an ETT split on data of another step, or a file under another data set name, is a usage error', async () => {
  await inScratch(async (dir, results) => {
    const file = path.join(dir, 'other.csv');
    await writeFile(file, quarterHourCsv());
    const hourly = await bench('--data', file, '--split', 'ett-hour', '--results', results);
    assert.is(hourly.code, 2);
    assert.match(hourly.stderr, /--split ett-hour counts hourly rows, but the rows of .*other\.csv are 15-minute: pass --split ett-minute or --split ratio/);
    const named = await bench('--data', file, '--dataset', 'ETTh1', '--results', results);
    assert.is(named.code, 2);
    assert.match(named.stderr, /--dataset ETTh1 and --data .*other\.csv disagree: the file is named other/);
    assert.not.ok(existsSync(results), 'nothing written');
  });
});

test('duplicated timestamps stop the run with the row and the flag to pass; --repair merges them and says so', async () => {
  await inScratch(async (dir, results) => {
    const file = path.join(dir, 'dup.csv');
    await writeFile(file, quarterHourCsv({ duplicate: true }));
    const refused = await bench('--data', file, ...small, '--results', results);
    assert.is(refused.code, 1);
    assert.match(
      refused.stderr,
      /dup\.csv: column "date", data row 301 \(line 302\): duplicated timestamp 2020-01-04T02:45:00Z, also in data row 300; pass --repair duplicates=first\|last\|mean to merge them/,
    );
    const repaired = await bench('--data', file, ...small, '--repair', 'duplicates=mean', '--results', results);
    assert.is(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stderr, /repaired .*dup\.csv: merged 1 duplicated timestamp \(mean\)/);
    // Merged, the file is the 600 rows of other.csv: the same 97 test windows.
    assert.is(JSON.parse(repaired.stdout).rows[0].testWindows, 97);
  });
});

test('ETTh1 under a split of its own choosing shows no ETTh1 figures and keeps out of ETTh1-naive', async () => {
  if (!existsSync(path.join(dataDir, 'ETTh1.csv'))) {
    console.log(`note: skipped the ETTh1 ratio-split run: ${path.join(dataDir, 'ETTh1.csv')} not found`);
    return;
  }
  await inScratch(async (_, results) => {
    const ran = await bench('--model', 'naive', '--horizon', '96', '--split', 'ratio', '--json', '--results', results);
    assert.is(ran.code, 0, ran.stderr);
    const run = JSON.parse(ran.stdout);
    assert.equal([run.split.label, run.split.reason, run.referenceLabels], ['ratio 0.7/0.1/0.2', 'asked for with --split', []]);
    assert.is(run.referenceNote, "ETTh1's figures are for its ett-hour split, not ratio 0.7/0.1/0.2");
    // 17,420 rows: test [17420 − 3484 − 336, 17420) → 3,820 − 336 − 96 + 1 windows.
    assert.is(run.rows[0].testWindows, 3389);
    assert.equal(await readdir(results), ['ETTh1-naive-H96-ratio-0.7-0.1-0.2.json', 'ETTh1-naive-H96-ratio-0.7-0.1-0.2.md']);
  });
});

test('cli/ imports nothing from benchmarks/ (benchmarks use the CLI, not the reverse)', async () => {
  const files = (await readdir(path.join(root, 'cli'), { recursive: true })).filter((f) => f.endsWith('.ts'));
  assert.ok(files.includes(path.join('lstf', 'runner.ts')), 'the runner lives in cli/lstf');
  for (const file of files) {
    const text = await readFile(path.join(root, 'cli', file), 'utf8');
    assert.not.match(text, /from '(\.\.\/)+benchmarks\//, `cli/${file} imports from benchmarks/`);
  }
});

test.run();
