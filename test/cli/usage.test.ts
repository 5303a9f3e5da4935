/**
 * The command line's contract with its user: `--help` on every command, and for bad
 * arguments a one-line message naming the problem, the command's synopsis, and exit status 2.
 * Most cases run in this process through `runCli` (what bin/chronoscale.js calls); a few run
 * the real executable to check what reaches the shell.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../cli/run-cli.ts';
import { chronoscale, dataDir, twoAtATime } from './spawn.ts';

const etth1 = path.join(dataDir, 'ETTh1.csv');
// A file that exists everywhere, for errors that must be found before the data are read.
const anyFile = 'package.json';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

test('every command prints its help with exit status 0', async () => {
  const cases = [
    {
      args: ['forecast', '--help'],
      expect: ['chronoscale forecast --data FILE --horizon H', '--level 80,90', '--layout long|wide', '--time-zone ZONE', '--max-steps N'],
    },
    { args: ['backtest', '-h'], expect: ['chronoscale backtest --data FILE --horizon H --windows N', '--refit', '--step S'] },
    {
      args: ['bench', '--help'],
      expect: ['chronoscale bench lstf', '--dataset NAME', 'national_illness', '--seq-len', '--json', '--split S', 'ratio:TRAIN,VAL,TEST', '--repair WHAT'],
    },
    { args: ['demo', '--help'], expect: ['chronoscale demo', 'births', '--quick'] },
    { args: ['help', 'backtest'], expect: ['chronoscale backtest --data FILE'] },
    { args: ['help'], expect: ['Commands:', 'forecast', 'backtest', 'bench lstf', 'demo'] },
  ];
  for (const { args, expect } of cases) {
    const ran = await cli(...args);
    assert.is(ran.code, 0, `${args.join(' ')}: ${ran.stderr}`);
    for (const text of expect) assert.ok(ran.stdout.includes(text), `${args.join(' ')} prints '${text}'`);
  }
});

test('bad arguments give status 2, a message naming the problem and the command synopsis', async () => {
  const cases = [
    { args: ['forecast', '--data', anyFile], message: 'chronoscale forecast: --horizon is required' },
    { args: ['forecast', '--data', anyFile, '--horizon', 'abc'], message: '--horizon abc is not a whole number ≥ 1' },
    { args: ['forecast', '--data', anyFile, '--horizon', '0'], message: '--horizon 0 is not a whole number ≥ 1' },
    { args: ['forecast', '--data', anyFile, '--horizon', '4', '--lookback=-3'], message: '--lookback -3 is not a whole number ≥ 1' },
    {
      args: ['forecast', '--data', anyFile, '--horizon', '4', '--lookback', '-3'],
      message: "--lookback needs a value (write a value that starts with '-' as --lookback=-1)",
    },
    {
      args: ['forecast', '--data', anyFile, '--horizon', '4', '--model', 'ridgeLinear,prophet'],
      message: '--model prophet is not one of naive, seasonalNaive, ridgeLinear, dlinear, s4, spaceTime',
    },
    { args: ['forecast', '--data', 'no/such/file.csv', '--horizon', '4'], message: '--data no/such/file.csv: no such file' },
    { args: ['forecast', '--horizon', '4'], message: '--data FILE is required' },
    { args: ['forecast', '--data', anyFile, '--horizon', '4', '--level', '80,120'], message: '--level 120 is not a number between 0 and 100' },
    { args: ['forecast', '--data', anyFile, '--horizon', '4', '--layout', 'tall'], message: '--layout tall is not one of long, wide' },
    { args: ['forecast', '--data', anyFile, '--horizon', '4', '--frequency', 'H'], message: '--frequency: unknown frequency "H" (did you mean "h"?)' },
    { args: ['forecast', '--data', anyFile, '--horizon', '4', '--time-zone', 'Mars/Olympus'], message: '--time-zone:' },
    { args: ['forecast', '--data', anyFile, '--horizon', '4', '--progress', 'loud'], message: '--progress loud is not one of auto, bar, lines, silent' },
    { args: ['forecast', '--wat'], message: "unknown option '--wat'" },
    { args: ['forecast', '--horizon'], message: '--horizon needs a value' },
    { args: ['forecast', 'sales.csv'], message: "unexpected argument 'sales.csv' (did you mean --data sales.csv?)" },
    { args: ['backtest', '--data', anyFile, '--horizon', '4'], message: 'chronoscale backtest: --windows is required' },
    { args: ['backtest', '--data', anyFile, '--horizon', '4', '--windows', '2.5'], message: '--windows 2.5 is not a whole number ≥ 1' },
    { args: ['bench'], message: 'name the benchmark: lstf' },
    { args: ['bench', 'lra'], message: "unknown benchmark 'lra'" },
    { args: ['bench', 'lstf', '--dataset', 'weather'], message: '--dataset weather is not one of ETTh1, ETTh2, ETTm1, exchange_rate, national_illness' },
    {
      args: ['forecast', '--data', anyFile, '--horizon', '4', '--model', 'linear'],
      message: '--model linear is not a model name; did you mean --model ridgeLinear?',
    },
    { args: ['bench', 'lstf', '--model', 'snaive'], message: '--model snaive is not a model name; did you mean --model seasonalNaive?' },
    { args: ['bench', 'lstf', '--model', 'timemoe'], message: '--model timemoe is not a model name; did you mean --model timeMoE?' },
    { args: ['bench', 'lstf', '--model', 'arima'], message: '--model arima is not one of naive, seasonalNaive, ridgeLinear, dlinear, s4, spaceTime, timeMoE' },
    { args: ['bench', 'lstf', '--model', 'timeMoE'], message: '--model timeMoE needs --weights' },
    { args: ['bench', 'lstf', '--horizon', '96,x'], message: '--horizon x is not a whole number ≥ 1' },
    { args: ['bench', 'lstf', '--data', '/no/such/folder'], message: 'ETTh1: /no/such/folder/ETTh1.csv not found' },
    { args: ['bench', 'lstf', '--data', '/no/such/file.csv'], message: '--data /no/such/file.csv: no such file' },
    { args: ['bench', 'lstf', '--split', 'ett'], message: '--split ett is not one of auto (default), ett-hour, ett-minute' },
    { args: ['bench', 'lstf', '--repair', 'yes'], message: '--repair yes is not one of sort, duplicates=first, duplicates=last, duplicates=mean' },
    { args: ['demo', '--threads', '0'], message: '--threads 0 must be a positive integer' },
    { args: ['frobnicate'], message: "unknown command 'frobnicate'" },
  ];
  for (const { args, message } of cases) {
    const ran = await cli(...args);
    assert.is(ran.code, 2, `${args.join(' ')} gives 2 (stderr: ${ran.stderr})`);
    assert.ok(ran.stderr.includes(message), `${args.join(' ')}: expected '${message}' in:\n${ran.stderr}`);
    assert.ok(/usage: chronoscale|chronoscale <command>/.test(ran.stderr), `${args.join(' ')} shows the synopsis`);
    assert.not.ok(/\n\s+at /.test(ran.stderr), `${args.join(' ')} prints no stack trace`);
  }
});

test('--level with point models only is refused, naming the models and where conformal intervals are', async () => {
  if (!existsSync(etth1)) {
    console.log(`note: skipped the --level check: ${etth1} not found`);
    return;
  }
  const ran = await cli('forecast', '--data', etth1, '--horizon', '4', '--level', '80,90', '--out', '/nonexistent-not-written');
  assert.is(ran.code, 2);
  assert.ok(ran.stderr.includes('--level needs probabilistic models; RidgeLinear, SeasonalNaive give point forecasts only'), ran.stderr);
  assert.ok(ran.stderr.includes('examples/backtest-quantiles.ts'));
});

test('the executable exits with the status and messages the shell sees', async () => {
  const runs = await twoAtATime(
    [['--help'], ['forecast', '--data', anyFile, '--horizon', 'x'], ['forecast', '--data', 'missing.csv', '--horizon', '4'], ['no-such-command']],
    (args) => chronoscale(...args),
  );
  assert.is(runs[0].code, 0);
  assert.ok(runs[0].stdout.includes('Commands:'));
  assert.is(runs[1].code, 2);
  assert.ok(
    runs[1].stderr.includes('chronoscale forecast: --horizon x is not a whole number ≥ 1\nusage: chronoscale forecast --data FILE --horizon H [options]'),
    runs[1].stderr,
  );
  assert.is(runs[2].code, 2);
  assert.ok(runs[2].stderr.includes('--data missing.csv: no such file'), runs[2].stderr);
  assert.is(runs[3].code, 2);
  assert.ok(runs[3].stderr.includes("unknown command 'no-such-command'"));
});

test('a data problem found while reading gives status 1 and the loader message, without a stack', async () => {
  if (!existsSync(etth1)) {
    console.log(`note: skipped the data-error check: ${etth1} not found`);
    return;
  }
  const ran = await cli('forecast', '--data', etth1, '--horizon', '4', '--target', 'nope');
  assert.is(ran.code, 1);
  assert.ok(ran.stderr.includes('column "nope" not found (columns: date, HUFL'), ran.stderr);
  assert.not.ok(/\n\s+at /.test(ran.stderr), ran.stderr);
});

test.run();
