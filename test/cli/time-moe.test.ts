/**
 * `--model timeMoE` in the CLI on the tiny real checkpoint: `forecast` and `backtest` with
 * `--weights` work; without it (or with `--weights` and no pretrained model) a clear usage error;
 * `bench lstf` runs the official zero-shot protocol end to end (the context by horizon, no
 * per-window normalisation, the published TimeMoE-50M figures only for ETTh1 under its split).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstfDatasets } from '../../cli/lstf/datasets.ts';
import { referenceLabel, referencesFor } from '../../cli/lstf/reference.ts';
import { verdict } from '../../cli/lstf/report.ts';
import { runLstf } from '../../cli/lstf/runner.ts';
import { chooseSplit } from '../../cli/lstf/split-choice.ts';
import { seriesCapabilities, type Panel, type SeriesForecaster } from '../../src/index.ts';
import { runCli } from '../../cli/run-cli.ts';
import { root } from './spawn.ts';

const weights = path.join(root, 'test/fixtures/time-moe-tiny');
let dir = '';

/** `chronoscale ...argv` in this process, output captured. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** 400 rows every 15 minutes, two smooth channels. */
function csv(): string {
  const lines = ['date,a,b'];
  for (let i = 0; i < 400; i++) {
    const date = new Date(Date.UTC(2020, 0, 1) + i * 900_000).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(`${date},${Math.sin(i / 10).toFixed(4)},${(Math.cos(i / 7) + i / 400).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-time-moe-cli-'));
  await writeFile(path.join(dir, 'small.csv'), csv());
});
test.after(() => rm(dir, { recursive: true, force: true }));

test('forecast --model timeMoE --weights DIR writes a TimeMoE column beside another model', async () => {
  const out = path.join(dir, 'forecast');
  const ran = await cli('forecast', '--data', path.join(dir, 'small.csv'), '--horizon', '6', '--model', 'timeMoE,naive', '--weights', weights, '--out', out);
  assert.is(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /models {4}TimeMoE, Naive; horizon 6, .*weights .*time-moe-tiny/);
  const rows = (await readFile(path.join(out, 'forecast.csv'), 'utf8')).trim().split('\n');
  assert.is(rows[0], 'unique_id,ds,channel,TimeMoE,Naive');
  assert.is(rows.length, 1 + 6 * 2);
  assert.ok(rows.slice(1).every((row) => Number.isFinite(Number(row.split(',')[3]))));
});

test('backtest --model timeMoE scores the zero-shot model', async () => {
  const ran = await cli(
    'backtest',
    '--data',
    path.join(dir, 'small.csv'),
    '--horizon',
    '4',
    '--windows',
    '2',
    '--model',
    'timeMoE',
    '--weights',
    weights,
    '--out',
    path.join(dir, 'bt'),
  );
  assert.is(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /TimeMoE/);
});

test('--model timeMoE without --weights, or --weights without it, is a usage error saying what to pass', async () => {
  const missing = await cli('forecast', '--data', path.join(dir, 'small.csv'), '--horizon', '6', '--model', 'timeMoE');
  assert.is(missing.code, 2);
  assert.match(
    missing.stderr,
    /--model timeMoE needs --weights: a checkpoint folder \(config\.json \+ model\.safetensors.*\) or a Hub id such as Maple728\/TimeMoE-50M/,
  );
  const stray = await cli('forecast', '--data', path.join(dir, 'small.csv'), '--horizon', '6', '--model', 'naive', '--weights', weights);
  assert.is(stray.code, 2);
  assert.match(stray.stderr, /--weights is only read by timeMoE/);
  const bench = await cli('bench', 'lstf', '--data', path.join(dir, 'small.csv'), '--model', 'timeMoE');
  assert.is(bench.code, 2);
  assert.match(bench.stderr, /--model timeMoE needs --weights/);
});

test('bench lstf --model timeMoE --weights runs the official zero-shot protocol end to end', async () => {
  const results = path.join(dir, 'results');
  const ran = await cli(
    'bench',
    'lstf',
    '--data',
    path.join(dir, 'small.csv'),
    '--model',
    'timeMoE',
    '--weights',
    weights,
    '--horizon',
    '8,24',
    '--json',
    '--results',
    results,
  );
  assert.is(ran.code, 0, ran.stderr);
  const run = JSON.parse(ran.stdout);
  assert.equal([run.model, run.weights], ['TimeMoE', weights], 'the record names the checkpoint');
  // The official context by horizon (else 4·H): 32 at H=8, 96 at H=24; 400 rows at 7:1:2 leave 80 test rows + the context.
  assert.equal(
    run.rows.map((row: { horizon: number; lookback: number; testWindows: number }) => [row.horizon, row.lookback, row.testWindows]),
    [
      [8, 32, 73],
      [24, 96, 57],
    ],
  );
  assert.ok(run.rows.every((row: { mse: number; mae: number; training: unknown }) => row.mse > 0 && Number.isFinite(row.mae) && row.training === null));
  assert.match(ran.stderr, /lookback 32 at H=8, 96 at H=24/);
  assert.match(ran.stderr, /note: Time-MoE's run_eval protocol: each channel a univariate series/);
  assert.equal(run.referenceLabels, [], 'no published figures for other data');
  assert.match(await readFile(path.join(results, 'small-timeMoE-H8_24.md'), 'utf8'), /# small · TimeMoE/);
});

test('the published TimeMoE-50M figures belong to ETTh1 only, labelled as the run_eval run they are', () => {
  const row = referencesFor('ETTh1').find((r) => r.kind === 'TimeMoE-50M');
  assert.ok(row, 'ETTh1 has the TimeMoE-50M row');
  assert.is(referenceLabel(row!), 'TimeMoE-50M (run_eval)');
  assert.equal(row!.figures[96], [0.3574, 0.3817]);
  assert.equal(row!.contexts, { 96: 512, 192: 1024, 336: 2048, 720: 3072 });
  const mean = (i: 0 | 1) => Object.values(row!.figures).reduce((sum, pair) => sum + pair[i], 0) / 4;
  assert.equal([mean(0).toFixed(3), mean(1).toFixed(3)], ['0.401', '0.424'], 'the published averages');
  assert.match(row!.source, /third-party run of the official run_eval/);
  for (const other of ['ETTh2', 'ETTm1', 'exchange_rate', 'national_illness'] as const) {
    assert.not.ok(
      referencesFor(other).some((r) => r.kind === 'TimeMoE-50M'),
      other,
    );
  }
});

/** A stand-in named TimeMoE that forecasts zeros: what the runner pairs with the references depends on the name and the context only. */
function zeros(lookback: number, horizon: number): SeriesForecaster {
  return {
    name: 'TimeMoE',
    family: 'timeMoE',
    capabilities: seriesCapabilities({ context: lookback }),
    lookback,
    horizon,
    config: { lookback, horizon },
    fit: async () => {},
    forecast: async (windows, options) => ({
      horizon: options.horizon,
      point: new Float32Array(windows.count * options.horizon * windows.channels),
      quantiles: new Map(),
    }),
    predict: async () => [],
    state: () => new Map(),
    loadState: () => {},
  };
}

test('on ETTh1 the TimeMoE-50M row is the counterpart only at the official context, with its own note on differences', async () => {
  const rows = 14_400;
  const time = Float64Array.from({ length: rows }, (_, t) => Date.UTC(2016, 6, 1) + t * 3_600_000);
  const values = Float32Array.from({ length: rows }, (_, t) => Math.sin(t / 5));
  const panel: Panel = {
    series: [{ id: 'ETTh1', time, values, mask: new Uint8Array(rows).fill(1) }],
    channels: ['OT'],
    frequency: { kind: 'fixed', ms: 3_600_000 },
    timeZone: 'UTC',
  };
  const split = chooseSplit({
    requested: undefined,
    file: 'ETTh1.csv',
    dataset: lstfDatasets.ETTh1,
    identity: 'a test panel',
    frequency: panel.frequency,
    rows,
  });
  const run = async (lookback: number) =>
    runLstf({
      dataset: lstfDatasets.ETTh1,
      panel,
      file: path.join(dir, 'ETTh1.csv'),
      split,
      references: referencesFor('ETTh1'),
      horizons: [96],
      createModel: (horizon) => zeros(lookback, horizon),
      backend: 'test',
    });
  const official = await run(512);
  assert.is(official.rows[0].counterpart?.label, 'TimeMoE-50M (run_eval)');
  assert.is(official.rows[0].counterpart?.mse, 0.3574);
  assert.match(
    verdict(official),
    /^Against the published TimeMoE-50M \(run_eval\): H=96 .* \(float32 here against bfloat16 there, and the one test window run_eval skips make a few thousandths normal\)\.$/,
  );
  const other = await run(336);
  assert.is(other.rows[0].counterpart, null, 'another context is not compared');
  assert.ok(other.referenceLabels.includes('TimeMoE-50M (run_eval)'), 'but the published figures still stand beside it');
});

test.run();
