/**
 * Bad input through the command line, as a new user meets it: each case is a file the test
 * writes into a temp folder, and each must end in a one-line error that names the file, row or
 * column and the flag that fixes it (never an API option name), or in a repair the user asked
 * for and that is reported; never in exit 0 with a wrong result. The loader's own corpus is
 * test/data/bad-input.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chronoscale, twoAtATime, type Ran } from './spawn.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
let dir = '';

/** An hourly daily cycle with a slow trend, `steps` long, leaving out the rows in `skip`. */
function hourlyCsv(steps: number, skip: (t: number) => boolean = () => false): string {
  const lines = ['ds,y'];
  for (let t = 0; t < steps; t++) {
    if (skip(t)) continue;
    lines.push(`${new Date(START + t * HOUR).toISOString().slice(0, 19).replace('T', ' ')},${(Math.sin((2 * Math.PI * t) / 24) + 0.001 * t).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

const file = (name: string) => path.join(dir, name);
const out = (name: string) => ['--out', file(`out-${name}`), '--progress', 'silent'];

/** A one-line error (the usage lines after it aside) without raw control bytes. */
function assertCleanError(ran: Ran, code: number, pattern: RegExp): void {
  assert.is(ran.code, code, `exit ${ran.code}\nstdout: ${ran.stdout}\nstderr: ${ran.stderr}`);
  assert.match(ran.stderr, pattern);
  assert.not.match(ran.stderr, /Cannot read properties|TypeError|\n\s+at /, 'a crash, not a message');
  // eslint-disable-next-line no-control-regex
  assert.not.match(ran.stderr, /[\x00-\x08\x0e-\x1f]/, 'raw bytes echoed to the terminal');
}

/** The MAE of `model` in a backtest's printed metric table. */
function mae(ran: Ran, model: string): number {
  const row = ran.stdout.split('\n').find((line) => line.startsWith(`${model} `));
  if (!row) throw new Error(`no ${model} row in:\n${ran.stdout}`);
  return Number(row.trim().split(/\s+/)[1]);
}

test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-cli-bad-'));
  const files: Record<string, string | Uint8Array> = {
    'full.csv': hourlyCsv(1000),
    // 50 hours missing in the middle: 50 is not a multiple of the 24-hour cycle, so stitching shifts its phase.
    'gap.csv': hourlyCsv(1000, (t) => t >= 600 && t < 650),
    'huge.csv': hourlyCsv(100).replace(/\n(2024-01-02 05:00:00),[^\n]*/, '\n$1,1e39'),
    'offgrid.csv': hourlyCsv(100).replace('2024-01-02 03:00:00', '2024-01-02 03:30:00'),
    'few.csv': 'ds,y,z\n2024-01-01,1,2\n2024-01-02,3\n2024-01-03,4,5\n',
    'empty.csv': '',
    'duplicate.csv': hourlyCsv(100).replace('\n2024-01-01 04:00:00', '\n2024-01-01 03:00:00,9\n2024-01-01 04:00:00'),
    'unsorted.csv': 'ds,y\n2024-01-01,1\n2024-01-03,3\n2024-01-02,2\n2024-01-04,4\n2024-01-05,5\n2024-01-06,6\n2024-01-07,7\n2024-01-08,8\n',
    'notime.csv': 'when,y\n2024-01-01,1\n2024-01-02,2\n',
    'binary.csv': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x1b, 0x5b, 0x32, 0x4a]),
    'taken.txt': 'not a folder\n',
  };
  for (const [name, contents] of Object.entries(files)) await writeFile(file(name), contents);
  await mkdir(file('folder'));
});
test.after(() => rm(dir, { recursive: true, force: true }));

test('a value beyond float32 stops the load naming row, column and the limit (naive and linear alike)', async () => {
  const [naive, linear] = await twoAtATime(['naive', 'ridgeLinear'], (model) =>
    chronoscale('forecast', '--data', file('huge.csv'), '--horizon', '6', '--model', model, ...out(`huge-${model}`)),
  );
  for (const ran of [naive, linear])
    assertCleanError(ran, 1, /huge\.csv: column "y", data row 30 \(line 31\): "1e39" is beyond float32's range \(±3\.4028235e\+38\)/);
  assert.not.ok(existsSync(file('out-huge-naive/forecast.csv')), 'no forecast written');
});

test('a huge --horizon, or one longer than the data, is refused before anything is allocated', async () => {
  const [huge, long] = await twoAtATime([['1000000000'], ['1000']], ([h]) =>
    chronoscale('forecast', '--data', file('full.csv'), '--horizon', h, ...out(`horizon-${h}`)),
  );
  assertCleanError(huge, 2, /--horizon 1000000000 is more than 1,000,000 steps/);
  assert.ok(huge.seconds < 20, `took ${huge.seconds} s`);
  assertCleanError(long, 2, /--horizon 1000 is not shorter than the 1,000 steps the series leaves to fit on; choose at most 999/);
  const lookback = await chronoscale(
    'backtest',
    '--data',
    file('full.csv'),
    '--horizon',
    '24',
    '--windows',
    '4',
    '--lookback',
    '950',
    '--model',
    'ridgeLinear',
    ...out('lookback'),
  );
  assertCleanError(
    lookback,
    2,
    /--lookback 950 and --horizon 24 need 974 steps of history, but --windows 4 of --horizon 24 before the end of the shortest series leaves 904 steps; choose --lookback at most 880/,
  );
});

test('a gap is reported and needs --fill; filled, the backtest error is that of the data without the gap; off-grid times are refused', async () => {
  const args = (name: string, ...extra: string[]) => [
    'backtest',
    '--data',
    file(name),
    '--horizon',
    '24',
    '--windows',
    '4',
    '--model',
    'ridgeLinear',
    ...extra,
    ...out(name + extra.join('')),
  ];
  const [refused, filled, full, offGrid] = await twoAtATime(
    [args('gap.csv'), args('gap.csv', '--fill', 'linear'), args('full.csv'), args('offgrid.csv')],
    (a) => chronoscale(...a),
  );
  assertCleanError(refused, 1, /gap\.csv: 50 timestamps missing from the h grid in 1 gap, the first of 50 steps after 2024-01-25 23:00; .*pass --fill linear/);
  assert.is(filled.code, 0, filled.stderr);
  assert.match(filled.stdout, /repaired\s+inserted 50 missing timestamps as missing values\nrepaired\s+filled 50 missing values \(linear\)/);
  assert.is(full.code, 0, full.stderr);
  // Stitched over (before this check) the MAE was 0.0123 against 5.6e-5 without the gap.
  assert.ok(
    mae(filled, 'RidgeLinear') < 2 * mae(full, 'RidgeLinear'),
    `MAE ${mae(filled, 'RidgeLinear')} with the gap filled, ${mae(full, 'RidgeLinear')} without it`,
  );
  // A timestamp off the grid is not a gap that a fill could mend.
  assertCleanError(offGrid, 1, /offgrid\.csv: 1 timestamp is off the h grid, the first 2024-01-02 03:30; resample the data/);
});

test('a row with too few fields names its line and both counts', async () => {
  assertCleanError(
    await chronoscale('forecast', '--data', file('few.csv'), '--horizon', '1', ...out('few')),
    1,
    /few\.csv: data row 2 \(line 3\): too few fields: 2 where the header has 3/,
  );
});

test('an empty file, a directory and a binary file each say what they are', async () => {
  const [empty, folder, binary] = await twoAtATime(['empty.csv', 'folder', 'binary.csv'], (name) =>
    chronoscale('forecast', '--data', file(name), '--horizon', '1', ...out(name)),
  );
  assertCleanError(empty, 1, /empty\.csv: the file is empty/);
  assertCleanError(folder, 2, /--data \S*folder is a directory; give a data file in it/);
  assertCleanError(binary, 1, /binary\.csv: not a text table \(found a NUL byte at byte 8\)/);
});

test('duplicated and unsorted timestamps name --repair, which repairs them and says what it did', async () => {
  const run = (name: string, ...extra: string[]) =>
    chronoscale('forecast', '--data', file(name), '--horizon', '2', '--model', 'naive', ...extra, ...out(name + extra.join('')));
  const [duplicate, unsorted] = await twoAtATime(['duplicate.csv', 'unsorted.csv'], (name) => run(name));
  assertCleanError(
    duplicate,
    1,
    /duplicate\.csv: column "ds", data row 5 \(line 6\): duplicated timestamp 2024-01-01T03:00:00Z, also in data row 4; pass --repair duplicates=first\|last\|mean to merge them/,
  );
  assertCleanError(unsorted, 1, /pass --repair sort to sort them/);
  assert.not.match(duplicate.stderr + unsorted.stderr, /repair: \{/);
  const [merged, sorted] = await twoAtATime(
    [
      ['duplicate.csv', 'duplicates=first'],
      ['unsorted.csv', 'sort'],
    ],
    ([name, how]) => run(name, '--repair', how),
  );
  assert.is(merged.code, 0, merged.stderr);
  assert.match(merged.stdout, /repaired\s+merged 1 duplicated timestamp \(first\)/);
  assert.is(sorted.code, 0, sorted.stderr);
  assert.match(sorted.stdout, /repaired\s+sorted 1 out-of-order row/);
});

test('a missing time column names --time-col, not the API option', async () => {
  const ran = await chronoscale('forecast', '--data', file('notime.csv'), '--horizon', '1', ...out('notime'));
  assertCleanError(ran, 1, /notime\.csv: no time column among when, y; pass --time-col COL/);
  assert.not.match(ran.stderr, /timeColumn/);
});

test('an existing file as --out is refused before any model is fitted', async () => {
  const ran = await chronoscale('forecast', '--data', file('full.csv'), '--horizon', '4', '--out', file('taken.txt'));
  assertCleanError(ran, 2, /--out \S*taken\.txt is an existing file; give a folder for the output files/);
  assert.not.match(ran.stdout, /fitted/);
});

test.run();
