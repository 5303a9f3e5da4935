import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError, parseNumericColumn, parsePanel } from '../../src/data/index.ts';

const DAY = 86_400_000;
const JAN1 = Date.UTC(2024, 0, 1);

function dataError(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    assert.instance(error, DataError);
    return error as DataError;
  }
  assert.unreachable('no DataError');
  throw new Error('unreachable');
}

const values = (a: Float32Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));

test('empty cells, NaN, NA and null are missing (mask 0), never zero', () => {
  const parsed = parseNumericColumn(['1', '', '  ', 'NaN', 'NA', null, undefined, '0', ' 2.5 ', 3, '-1e-3'], { column: 'y' });
  assert.equal(values(parsed), [1, null, null, null, null, null, null, 0, 2.5, 3, Math.fround(-1e-3)]);
  const { panel } = parsePanel('ds,y\n2024-01-01,1\n2024-01-02,\n2024-01-03,NaN\n2024-01-04,0\n');
  assert.equal(Array.from(panel.series[0].mask), [1, 0, 0, 1]);
  assert.equal(values(panel.series[0].values), [1, null, null, 0]);
});

test('a non-numeric target value is an error naming the data row, line and column', () => {
  const csv = 'date,HUFL,OT\n2016-07-01 00:00:00,1,2\n2016-07-01 01:00:00,3,4\n2016-07-01 02:00:00,5,n/a?\n';
  const error = dataError(() => parsePanel(csv, { source: 'ETTh1.csv' }));
  assert.is(error.row, 3);
  assert.is(error.line, 4);
  assert.is(error.column, 'OT');
  assert.match(error.message, 'ETTh1.csv: column "OT", data row 3 (line 4): "n/a?" is not a finite number');
});

test('JSON sources name the row without a line', () => {
  const error = dataError(() =>
    parsePanel(
      JSON.stringify([
        { ds: '2024-01-01', y: 1 },
        { ds: '2024-01-02', y: 'high' },
      ]),
      { format: 'json' },
    ),
  );
  assert.is(error.row, 2);
  assert.is(error.line, undefined);
  assert.match(error.message, 'column "y", data row 2: "high"');
});

test('unsorted timestamps are an error naming the row and the later timestamp it precedes', () => {
  const csv = 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-03,3\nA,2024-01-02,2\n';
  const error = dataError(() => parsePanel(csv));
  assert.is(error.row, 3);
  assert.is(error.series, 'A');
  assert.is(error.column, 'ds');
  assert.match(error.message, 'earlier than 2024-01-03T00:00:00Z in data row 2');
  assert.match(error.message, 'repair: { sort: true }');
});

test('sorting on request is stable per series and reported', () => {
  const csv = 'unique_id,ds,y\nA,2024-01-04,4\nA,2024-01-01,1\nB,2024-01-02,20\nA,2024-01-03,3\nB,2024-01-01,10\nA,2024-01-02,2\n';
  const { panel, repairs } = parsePanel(csv, { repair: { sort: true } });
  assert.equal(values(panel.series[0].values), [1, 2, 3, 4]);
  assert.equal(
    Array.from(panel.series[0].time),
    [0, 1, 2, 3].map((k) => JAN1 + k * DAY),
  );
  assert.equal(values(panel.series[1].values), [10, 20]);
  assert.equal(
    repairs.map((r) => r.message),
    ['series "A": sorted 3 out-of-order rows', 'series "B": sorted 1 out-of-order row'],
  );
  assert.equal(
    repairs.map((r) => [r.kind, r.count]),
    [
      ['sort', 3],
      ['sort', 1],
    ],
  );
});

test('duplicated timestamps are an error naming both rows', () => {
  const csv = 'date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-02,3\n';
  const error = dataError(() => parsePanel(csv));
  assert.is(error.row, 3);
  assert.match(error.message, 'duplicated timestamp 2024-01-02T00:00:00Z, also in data row 2');
  assert.match(error.message, "duplicates: 'first' | 'last' | 'mean'");
});

test('duplicates merge by first, last or mean on request, and the merge is reported', () => {
  const csv = 'date,a,b\n2024-01-01,1,1\n2024-01-02,2,\n2024-01-02,4,8\n2024-01-02,6,\n2024-01-03,5,5\n2024-01-03,7,7\n';
  const expected: Record<string, (number | null)[]> = {
    first: [1, 1, 2, null, 5, 5],
    last: [1, 1, 6, null, 7, 7],
    mean: [1, 1, 4, 8, 6, 6],
  };
  for (const how of ['first', 'last', 'mean'] as const) {
    const { panel, repairs } = parsePanel(csv, { repair: { duplicates: how } });
    assert.equal(values(panel.series[0].values), expected[how], how);
    assert.equal(
      Array.from(panel.series[0].time),
      [0, 1, 2].map((k) => JAN1 + k * DAY),
      how,
    );
    assert.equal(
      repairs.map((r) => r.message),
      [`merged 2 duplicated timestamps (${how})`],
      how,
    );
  }
});

test('sorting brings duplicates together before they merge', () => {
  const csv = 'date,v\n2024-01-02,2\n2024-01-01,1\n2024-01-02,4\n';
  const { panel, repairs } = parsePanel(csv, { repair: { sort: true, duplicates: 'mean' } });
  assert.equal(values(panel.series[0].values), [1, 3]);
  assert.equal(
    repairs.map((r) => r.kind),
    ['sort', 'duplicates'],
  );
});

test('an empty series id is an error naming the row', () => {
  const error = dataError(() => parsePanel('unique_id,ds,y\nA,2024-01-01,1\n,2024-01-02,2\n'));
  assert.is(error.row, 2);
  assert.is(error.column, 'unique_id');
});

test.run();
