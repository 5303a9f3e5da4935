import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { table as columnTable, toArrowIPC } from 'arquero';
import { float32, timestamp, utf8 } from '@uwdata/flechette';
import { DataError, loadPanel, parsePanel, tableToPanel } from '../../src/data/index.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2016, 6, 1);

const WIDE_CSV = `date,HUFL,OT
2016-07-01 00:00:00,5.827,30.531
2016-07-01 01:00:00,5.693,27.787
2016-07-01 02:00:00,,27.787
2016-07-01 03:00:00,5.09,25.044
`;

const LONG_CSV = `unique_id,ds,y,price
A,2024-01-01,1,10
A,2024-01-02,2,11
B,2024-01-01,5,20
A,2024-01-03,3,12
B,2024-01-02,6,NA
`;

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chronoscale-load-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const values = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? null : Math.round(v * 1000) / 1000));

test('a wide CSV string becomes one series with a channel per column', () => {
  const { panel, reports, timeFormat } = parsePanel(WIDE_CSV);
  assert.equal(panel.channels, ['HUFL', 'OT']);
  assert.is(panel.series.length, 1);
  assert.is(panel.series[0].id, 'series');
  assert.equal(
    Array.from(panel.series[0].time),
    [0, 1, 2, 3].map((k) => T0 + k * HOUR),
  );
  assert.equal(values(panel.series[0].values), [5.827, 30.531, 5.693, 27.787, null, 27.787, 5.09, 25.044]);
  assert.equal(Array.from(panel.series[0].mask), [1, 1, 1, 1, 0, 1, 1, 1]);
  assert.equal(panel.frequency, { kind: 'fixed', ms: HOUR });
  assert.is(panel.timeZone, 'UTC');
  assert.equal(reports[0].gaps, []);
  assert.match(timeFormat, 'YYYY-MM-DD HH:MM:SS');
});

test('a long CSV string becomes one series per id in order of first appearance, with covariates apart', () => {
  const { panel, covariates } = parsePanel(LONG_CSV, { covariateColumns: ['price'] });
  assert.equal(
    panel.series.map((s) => s.id),
    ['A', 'B'],
  );
  assert.equal(panel.channels, ['y']);
  assert.equal(values(panel.series[0].values), [1, 2, 3]);
  assert.equal(values(panel.series[1].values), [5, 6]);
  assert.equal(panel.frequency, { kind: 'calendar', unit: 'day', step: 1 });
  assert.ok(covariates);
  assert.equal(covariates!.channels, ['price']);
  assert.is(covariates!.series[1].time, panel.series[1].time, 'covariates share the series time array');
  assert.equal(values(covariates!.series[0].values), [10, 11, 12]);
  assert.equal(values(covariates!.series[1].values), [20, null]);
  assert.equal(Array.from(covariates!.series[1].mask), [1, 0]);
});

test('several target columns make a multivariate long series', () => {
  const csv = 'id,t,a,b\nx,2024-01-01,1,2\nx,2024-01-02,3,4\n';
  const { panel } = parsePanel(csv, { idColumn: 'id', timeColumn: 't', targetColumns: ['a', 'b'] });
  assert.equal(panel.channels, ['a', 'b']);
  assert.equal(values(panel.series[0].values), [1, 2, 3, 4]);
});

test('a TSV string loads with format tsv', () => {
  const tsv = WIDE_CSV.replaceAll(',', '\t');
  const { panel } = parsePanel(tsv, { format: 'tsv' });
  assert.equal(panel.channels, ['HUFL', 'OT']);
  assert.is(panel.series[0].time.length, 4);
});

test('JSON rows and JSON columns load alike', () => {
  const rows = JSON.stringify([
    { unique_id: 'A', ds: '2024-01-01T00:00:00Z', y: 1 },
    { unique_id: 'A', ds: '2024-01-01T01:00:00Z', y: null },
    { unique_id: 'A', ds: '2024-01-01T02:00:00Z', y: 3 },
  ]);
  const columns = JSON.stringify({ unique_id: ['A', 'A', 'A'], ds: ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z'], y: [1, null, 3] });
  for (const text of [rows, columns]) {
    const { panel } = parsePanel(text, { format: 'json' });
    assert.equal(values(panel.series[0].values), [1, null, 3]);
    assert.equal(Array.from(panel.series[0].mask), [1, 0, 1]);
    assert.is(panel.series[0].time[0], Date.UTC(2024, 0, 1));
  }
});

test('NDJSON lines load with format ndjson', () => {
  const text = '{"ds":"2024-01-01","y":1}\n{"ds":"2024-01-02","y":2}\n';
  const { panel } = parsePanel(text, { format: 'ndjson' });
  assert.equal(values(panel.series[0].values), [1, 2]);
  assert.equal(panel.frequency, { kind: 'calendar', unit: 'day', step: 1 });
});

test('Arrow IPC bytes written with flechette types round-trip exactly', () => {
  const time = [0, 1, 2].map((k) => new Date(T0 + k * HOUR));
  const table = columnTable({ date: time, HUFL: [5.827, 5.693, null], OT: [30.531, 27.787, 27.787], note: ['a', 'b', 'c'] });
  const bytes = toArrowIPC(table, { types: { date: timestamp(), HUFL: float32(), OT: float32(), note: utf8() } });
  const { panel } = parsePanel(bytes, { channels: ['HUFL', 'OT'] });
  assert.equal(
    Array.from(panel.series[0].time),
    time.map((d) => d.getTime()),
  );
  assert.equal(Array.from(panel.series[0].values.subarray(0, 4)), [Math.fround(5.827), Math.fround(30.531), Math.fround(5.693), Math.fround(27.787)]);
  assert.equal(Array.from(panel.series[0].mask), [1, 1, 1, 1, 0, 1]);
});

test('files load by extension: CSV, gzip CSV, TSV, JSON and Arrow, with the file name as series id', async () => {
  const files: [string, string | Uint8Array][] = [
    ['wide.csv', WIDE_CSV],
    ['wide.csv.gz', gzipSync(WIDE_CSV)],
    ['wide.tsv', WIDE_CSV.replaceAll(',', '\t')],
    ['wide.json', JSON.stringify(parsePanelRows())],
    [
      'wide.arrow',
      toArrowIPC(
        columnTable({ date: [0, 1, 2, 3].map((k) => new Date(T0 + k * HOUR)), HUFL: [5.827, 5.693, null, 5.09], OT: [30.531, 27.787, 27.787, 25.044] }),
        {
          types: { HUFL: float32(), OT: float32() },
          format: 'file',
        },
      ),
    ],
  ];
  for (const [name, content] of files) {
    const path = join(dir, name);
    await writeFile(path, content);
    const { panel } = await loadPanel(path);
    assert.is(panel.series[0].id, 'wide', name);
    assert.equal(panel.channels, ['HUFL', 'OT'], name);
    assert.equal(
      Array.from(panel.series[0].time),
      [0, 1, 2, 3].map((k) => T0 + k * HOUR),
      name,
    );
    assert.equal(values(panel.series[0].values), [5.827, 30.531, 5.693, 27.787, null, 27.787, 5.09, 25.044], name);
  }
});

function parsePanelRows() {
  return [0, 1, 2, 3].map((k) => ({
    date: `2016-07-01 0${k}:00:00`,
    HUFL: [5.827, 5.693, null, 5.09][k],
    OT: [30.531, 27.787, 27.787, 25.044][k],
  }));
}

test('a gzip file without a .gz extension is recognised by its bytes', async () => {
  const path = join(dir, 'packed.csv');
  await writeFile(path, gzipSync(WIDE_CSV));
  const { panel } = await loadPanel(path);
  assert.is(panel.series[0].time.length, 4);
});

test('an arquero table converts directly, Date and number columns as they are', () => {
  const table = columnTable({ unique_id: ['s', 's'], ds: [new Date(T0), new Date(T0 + HOUR)], y: [1.5, 2.5] });
  const { panel } = tableToPanel(table);
  assert.equal(values(panel.series[0].values), [1.5, 2.5]);
  assert.is(panel.series[0].time[1], T0 + HOUR);
});

test('a missing column is a DataError listing the columns that exist', () => {
  try {
    parsePanel(LONG_CSV, { targetColumns: 'value' });
    assert.unreachable('loaded without the target column');
  } catch (error) {
    assert.instance(error, DataError);
    assert.match((error as Error).message, 'column "value" not found');
    assert.match((error as Error).message, 'unique_id, ds, y, price');
  }
});

test('a file that does not exist is a DataError naming the path', async () => {
  const path = join(dir, 'absent.csv');
  try {
    await loadPanel(path);
    assert.unreachable('loaded a missing file');
  } catch (error) {
    assert.instance(error, DataError);
    assert.match((error as Error).message, path);
  }
});

test('a given frequency is kept and gaps are reported against it', () => {
  const csv = 'date,v\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n2024-01-01 04:00,3\n';
  const { panel, reports } = parsePanel(csv, { frequency: 'h' });
  assert.equal(panel.frequency, { kind: 'fixed', ms: HOUR });
  assert.equal(reports[0].gaps, [{ after: Date.UTC(2024, 0, 1, 1), missingSteps: 2 }]);
});

test('regularize inserts missing rows as NaN with mask 0 and reports it', () => {
  const csv = 'unique_id,ds,y,x\nA,2024-01-01 00:00,1,7\nA,2024-01-01 01:00,2,8\nA,2024-01-01 04:00,3,9\n';
  const { panel, covariates, repairs, reports } = parsePanel(csv, { frequency: 'h', regularize: true, covariateColumns: ['x'] });
  assert.equal(values(panel.series[0].values), [1, 2, null, null, 3]);
  assert.equal(Array.from(panel.series[0].mask), [1, 1, 0, 0, 1]);
  assert.equal(values(covariates!.series[0].values), [7, 8, null, null, 9]);
  assert.is(covariates!.series[0].time, panel.series[0].time);
  assert.equal(
    repairs.map((r) => r.message),
    ['series "A": inserted 2 missing timestamps as missing values'],
  );
  assert.equal(reports[0].gaps, []);
});

test.run();
