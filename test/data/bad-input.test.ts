/**
 * A corpus of bad inputs to the loader, written into a temp folder by the tests: each must end
 * in one DataError naming the file, the row or line, the column where there is one, and what to
 * do; never in a value read silently wrong. The same cases through the CLI are in
 * test/cli/bad-input.test.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError, loadPanel, parsePanel } from '../../src/data/index.ts';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chronoscale-bad-input-'));
});
test.after(() => rm(dir, { recursive: true, force: true }));

/** Writes `contents` to `name` in the temp folder and loads it; returns the DataError. */
async function loadError(name: string, contents: string | Uint8Array): Promise<DataError> {
  const file = join(dir, name);
  await writeFile(file, contents);
  try {
    await loadPanel(file);
  } catch (error) {
    assert.instance(error, DataError, `not a DataError: ${(error as Error).stack}`);
    return error as DataError;
  }
  return assert.unreachable(`${name} loaded without error`) as never;
}

const daily = (values: readonly string[]) => `ds,y\n${values.map((v, i) => `2024-01-${String(i + 1).padStart(2, '0')},${v}`).join('\n')}\n`;

test('values beyond float32 are refused with file, row, column and the limit (not read as Infinity)', async () => {
  for (const value of ['1e39', '1e308', '-1e39']) {
    const error = await loadError('huge.csv', daily(['1', '2', value, '4']));
    assert.match(error.message, new RegExp(`huge\\.csv: column "y", data row 3 \\(line 4\\): "${value}" is beyond float32's range \\(±3\\.4028235e\\+38\\)`));
    assert.is(error.row, 3);
  }
  // The largest float32 itself is a value.
  const { panel } = parsePanel(daily(['1', '3.4028234e38', '3']));
  assert.ok(Number.isFinite(panel.series[0].values[1]));
  // JSON numbers too.
  assert.throws(
    () => parsePanel('[{"ds":"2024-01-01","y":1},{"ds":"2024-01-02","y":1e39}]', { format: 'json' }),
    /data row 2: 1e\+39 is beyond float32's range/,
  );
});

test('a row with too few or too many fields names the line and both counts', async () => {
  const few = await loadError('few.csv', 'ds,y,z\n2024-01-01,1,2\n2024-01-02,3\n2024-01-03,4,5\n');
  assert.match(few.message, /few\.csv: data row 2 \(line 3\): too few fields: 2 where the header has 3/);
  const many = await loadError('many.csv', 'ds,y\n2024-01-01,1\n2024-01-02,3\n2024-01-03,4,5\n');
  assert.match(many.message, /many\.csv: data row 3 \(line 4\): too many fields: 3 where the header has 2/);
  // Quoted delimiters and line breaks are one field; the line is where the record starts.
  const quoted = await loadError('quoted.tsv', 'ds\ty\tnote\n2024-01-01\t1\t"a\tb"\n2024-01-02\t2\t"two\nlines"\n2024-01-03\t3\n');
  assert.match(quoted.message, /quoted\.tsv: data row 3 \(line 5\): too few fields: 2 where the header has 3/);
});

test('a blank line inside the table is named (the reader would make it a row of missing values)', async () => {
  const error = await loadError('blank.csv', 'ds,y\n2024-01-01,1\n\n2024-01-02,2\n');
  assert.match(error.message, /blank\.csv: line 3: line 3 is blank; remove it/);
});

test('an empty file, a blank one and a header without rows each say so', async () => {
  assert.match((await loadError('empty.csv', '')).message, /^[^:]*empty\.csv: the file is empty; a table needs a header line and data rows$/);
  assert.match((await loadError('blank-only.csv', '\n  \n')).message, /the file is empty/);
  assert.match((await loadError('header.csv', 'ds,y\n')).message, /header\.csv: the table has a header \(ds, y\) but no data rows/);
  assert.match((await loadError('empty.json', '[]')).message, /empty\.json: the JSON array holds no rows/);
});

test('errors from helpers that see one series name the file too', async () => {
  const one = await loadError('one-row.csv', 'ds,y\n2024-01-01,1\n');
  assert.match(one.message, /^\S*one-row\.csv: cannot infer the frequency from fewer than 2 timestamps per series; pass frequency/);
  assert.is(one.remedy, 'frequency');
  const file = join(dir, 'off-grid.csv');
  await writeFile(file, 'ds,y\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n2024-01-01 02:00,3\n2024-01-01 03:30,4\n2024-01-01 04:00,5\n2024-01-01 05:00,6\n');
  try {
    await loadPanel(file, { regularize: true });
    assert.unreachable('regularized an off-grid timestamp');
  } catch (error) {
    assert.match((error as Error).message, /^\S*off-grid\.csv: series "off-grid": timestamp 2024-01-01T03:30:00\.000Z is not on the h grid/);
  }
});

test('binary input is refused as not a text table, without echoing its bytes', async () => {
  const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0xfe, 0x1b, 0x5b]);
  const zip = await loadError('data.csv', bytes);
  assert.match(zip.message, /data\.csv: not a text table \(found a NUL byte at byte 4\)/);
  assert.not.match(zip.message, /\x1b|\x00/);
  const latin1 = await loadError('latin1.csv', Uint8Array.from([...new TextEncoder().encode('ds,y\n2024-01-01,'), 0xe9, 0x0a]));
  assert.match(latin1.message, /latin1\.csv: not a text table \(found bytes that are not UTF-8 text\)/);
});

test('a cut gzip file is named as such', async () => {
  const whole = gzipSync(`ds,y\n${Array.from({ length: 500 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString()},${i}`).join('\n')}`);
  const error = await loadError('cut.csv.gz', whole.subarray(0, whole.length >> 1));
  assert.match(error.message, /cut\.csv\.gz: cannot decompress it as gzip \(unexpected end of file\); is the file complete\?/);
});

test('a directory is said to be a directory', async () => {
  await mkdir(join(dir, 'folder.csv'));
  try {
    await loadPanel(join(dir, 'folder.csv'));
    assert.unreachable('a directory loaded');
  } catch (error) {
    assert.match((error as Error).message, /folder\.csv: cannot read the file \(it is a directory, not a file\)/);
  }
});

test('errors that an option fixes carry it apart from the message, to be restated in other terms', () => {
  let error: DataError | undefined;
  try {
    parsePanel('ds,y\n2024-01-02,1\n2024-01-01,2\n', { source: 'unsorted.csv' });
  } catch (e) {
    error = e as DataError;
  }
  assert.is(error?.remedy, 'repair.sort');
  assert.match(error!.message, /; pass repair: \{ sort: true \} to sort them$/);
  const restated = error!.restate((remedy) => `--fix-${remedy}`);
  assert.is(restated.message, error!.message.replace('repair: { sort: true } to sort them', '--fix-repair.sort'));
  assert.is(restated.row, error!.row);
  assert.throws(
    () => parsePanel('when,y\n2024-01-01,1\n'),
    (e: DataError) => e.remedy === 'timeColumn' && /no time column among when, y; pass timeColumn$/.test(e.message),
  );
});

test.run();
