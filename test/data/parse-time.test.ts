import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError, parsePanel, parseTimes } from '../../src/data/index.ts';

const HOUR = 3_600_000;

/** The DataError thrown by `run`; fails the test if none is. */
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

test('ETT timestamps (YYYY-MM-DD HH:MM:SS, no zone) are read as UTC', () => {
  const { time, naive } = parseTimes(['2016-07-01 00:00:00', '2016-07-01 01:00:00', '2018-02-20 23:00:00'], { column: 'date' });
  assert.equal(Array.from(time), [Date.UTC(2016, 6, 1), Date.UTC(2016, 6, 1, 1), Date.UTC(2018, 1, 20, 23)]);
  assert.ok(naive);
});

test('Exchange timestamps (YYYY/M/D H:MM) are read as UTC', () => {
  const { time, format } = parseTimes(['1990/1/1 0:00', '1990/1/2 0:00', '2010/10/10 0:00', '2001/12/31 13:05'], { column: 'date' });
  assert.equal(Array.from(time), [Date.UTC(1990, 0, 1), Date.UTC(1990, 0, 2), Date.UTC(2010, 9, 10), Date.UTC(2001, 11, 31, 13, 5)]);
  assert.match(format, 'YYYY/M/D H:MM');
});

test('ISO 8601 with offsets gives instants and ignores the time zone option', () => {
  const cells = ['2024-03-10T01:30:00-05:00', '2024-03-10T03:30:00-04:00', '2024-03-10T08:30:00Z', '2024-03-10T09:30:00.250+0000'];
  const expected = [Date.UTC(2024, 2, 10, 6, 30), Date.UTC(2024, 2, 10, 7, 30), Date.UTC(2024, 2, 10, 8, 30), Date.UTC(2024, 2, 10, 9, 30, 0, 250)];
  for (const timeZone of ['UTC', 'Asia/Tokyo']) {
    const { time, naive } = parseTimes(cells, { column: 'ds', timeZone });
    assert.equal(Array.from(time), expected, timeZone);
    assert.not.ok(naive);
  }
});

test('date-only values are midnight UTC, or midnight in the zone given', () => {
  assert.equal(Array.from(parseTimes(['2024-01-31', '2024-02-01'], { column: 'ds' }).time), [Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 1)]);
  assert.equal(Array.from(parseTimes(['2024-01-31'], { column: 'ds', timeZone: 'Europe/Berlin' }).time), [Date.UTC(2024, 0, 30, 23)]);
});

test('epoch numbers are seconds or milliseconds by magnitude', () => {
  const ms = Date.UTC(2016, 6, 1);
  assert.equal(Array.from(parseTimes([ms, ms + HOUR], { column: 't' }).time), [ms, ms + HOUR]);
  assert.equal(Array.from(parseTimes([ms / 1000, ms / 1000 + 3600], { column: 't' }).time), [ms, ms + HOUR]);
  assert.equal(Array.from(parseTimes([String(ms / 1000)], { column: 't' }).time), [ms]);
});

test('naive times in America/New_York across the spring DST change are consecutive hours in UTC', () => {
  const csv = 'ds,y\n2024-03-10 00:00:00,1\n2024-03-10 01:00:00,2\n2024-03-10 03:00:00,3\n2024-03-10 04:00:00,4\n';
  const { panel, reports } = parsePanel(csv, { timeZone: 'America/New_York' });
  assert.equal(
    Array.from(panel.series[0].time),
    [5, 6, 7, 8].map((h) => Date.UTC(2024, 2, 10, h)),
  );
  assert.equal(panel.frequency, { kind: 'fixed', ms: HOUR });
  assert.equal(reports[0].gaps, []);
  assert.is(panel.timeZone, 'America/New_York');
});

test('a naive time skipped by DST is an error naming the row and column', () => {
  const error = dataError(() => parsePanel('ds,y\n2024-03-10 01:00:00,1\n2024-03-10 02:30:00,2\n', { timeZone: 'America/New_York' }));
  assert.is(error.row, 2);
  assert.is(error.column, 'ds');
  assert.match(error.message, 'does not exist in America/New_York');
});

test('naive times repeated when clocks fall back are reported as duplicates with the reason', () => {
  const csv = 'ds,y\n2024-11-03 00:00,1\n2024-11-03 01:00,2\n2024-11-03 01:00,3\n2024-11-03 02:00,4\n';
  const error = dataError(() => parsePanel(csv, { timeZone: 'America/New_York' }));
  assert.is(error.row, 3);
  assert.match(error.message, 'falls back from daylight saving time');
});

test('a later timestamp in another format names its data row, line, column and value', () => {
  const csv = 'date,v\n2016-07-01 00:00:00,1\n2016-07-01 01:00:00,2\n2016/07/01 02:00,3\n';
  const error = dataError(() => parsePanel(csv, { source: 'ETTh1.csv' }));
  assert.is(error.row, 3);
  assert.is(error.line, 4);
  assert.is(error.column, 'date');
  assert.match(error.message, 'ETTh1.csv: column "date", data row 3 (line 4): "2016/07/01 02:00" is not a valid timestamp');
  assert.match(error.message, 'YYYY-MM-DD HH:MM:SS');
});

test('impossible dates and empty timestamps are errors naming the row', () => {
  assert.is(dataError(() => parseTimes(['2016-02-28', '2016-02-30'], { column: 'd' })).row, 2);
  assert.is(dataError(() => parseTimes(['2016-07-01 00:00:00', '2016-07-01 24:00:00'], { column: 'd' })).row, 2);
  const empty = dataError(() => parseTimes(['2016-07-01', '', '2016-07-03'], { column: 'd' }));
  assert.is(empty.row, 2);
  assert.match(empty.message, 'empty');
});

test('an unrecognisable first timestamp suggests timeFormat', () => {
  const error = dataError(() => parseTimes(['01.07.2016 00:00'], { column: 'when' }));
  assert.is(error.row, 1);
  assert.match(error.message, 'timeFormat');
});

test('timeFormat (a date-fns pattern) replaces detection, in the zone given', () => {
  const { time, format } = parseTimes(['01.07.2016 00:00', '01.07.2016 01:30'], { column: 'when', timeFormat: 'dd.MM.yyyy HH:mm', timeZone: 'Europe/Berlin' });
  assert.equal(Array.from(time), [Date.UTC(2016, 5, 30, 22), Date.UTC(2016, 5, 30, 23, 30)]);
  assert.match(format, 'dd.MM.yyyy HH:mm');
  assert.is(dataError(() => parseTimes(['01.07.2016 00:00', 'July 1st'], { column: 'when', timeFormat: 'dd.MM.yyyy HH:mm' })).row, 2);
});

test('a distant sentinel date in a zone parses without tabulating the years between', () => {
  const { time } = parseTimes(['2024-01-01', '9999-12-31'], { column: 'valid_to', timeZone: 'Europe/Berlin' });
  assert.equal(Array.from(time), [Date.UTC(2023, 11, 31, 23), Date.UTC(9999, 11, 30, 23)]);
});

test('an unknown time zone is a RangeError naming it', () => {
  assert.throws(() => parsePanel('ds,y\n2024-01-01,1\n', { timeZone: 'Mars/Olympus' }), /Mars\/Olympus/);
});

test.run();
