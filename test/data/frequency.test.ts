import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError, addSteps, formatFrequency, futureTimes, inferFrequency, parseFrequency, regularize, type Frequency } from '../../src/data/index.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

const times = (...values: number[]) => Float64Array.from(values);
const iso = (t: number) => new Date(t).toISOString();

test('aliases parse to frequencies and format back unchanged', () => {
  const cases: [string, Frequency][] = [
    ['15min', { kind: 'fixed', ms: 15 * MINUTE }],
    ['h', { kind: 'fixed', ms: HOUR }],
    ['2h', { kind: 'fixed', ms: 2 * HOUR }],
    ['s', { kind: 'fixed', ms: 1000 }],
    ['D', { kind: 'calendar', unit: 'day', step: 1 }],
    ['W', { kind: 'calendar', unit: 'week', step: 1 }],
    ['M', { kind: 'calendar', unit: 'month', step: 1 }],
    ['3M', { kind: 'calendar', unit: 'month', step: 3 }],
    ['Q', { kind: 'calendar', unit: 'quarter', step: 1 }],
    ['Y', { kind: 'calendar', unit: 'year', step: 1 }],
    ['B', { kind: 'businessDay' }],
  ];
  for (const [alias, frequency] of cases) {
    assert.equal(parseFrequency(alias), frequency, alias);
    assert.is(formatFrequency(frequency), alias, alias);
  }
  assert.is(formatFrequency({ kind: 'fixed', ms: 90 * MINUTE }), '90min');
  assert.is(formatFrequency({ kind: 'fixed', ms: 24 * HOUR }), '24h');
  assert.is(formatFrequency(parseFrequency('60min')), 'h');
});

test('pandas spellings are rejected with a hint', () => {
  assert.throws(() => parseFrequency('H'), /did you mean "h"/);
  assert.throws(() => parseFrequency('15T'), /did you mean "15min"/);
  assert.throws(() => parseFrequency('ME'), /did you mean "M"/);
  assert.throws(() => parseFrequency('2B'), /business days take no multiple/);
  assert.throws(() => parseFrequency('fortnightly'), /unknown frequency/);
});

const hourly = (n: number, t0 = Date.UTC(2016, 6, 1)) => Float64Array.from({ length: n }, (_, k) => t0 + k * HOUR);

test('hourly and 15-minute series are inferred with no gaps', () => {
  assert.equal(inferFrequency(hourly(48)), { frequency: { kind: 'fixed', ms: HOUR }, gaps: [], irregular: false, offGrid: [], missingSteps: 0 });
  const quarter = Float64Array.from({ length: 200 }, (_, k) => Date.UTC(2016, 6, 1) + k * 15 * MINUTE);
  assert.equal(inferFrequency(quarter).frequency, { kind: 'fixed', ms: 15 * MINUTE });
});

test('gaps are reported after the last observed timestamp with the missing step count', () => {
  const t = hourly(10);
  const gappy = Float64Array.from([...t.slice(0, 3), ...t.slice(5, 9)]);
  const report = inferFrequency(gappy);
  assert.equal(report.frequency, { kind: 'fixed', ms: HOUR });
  assert.equal(report.gaps, [{ after: t[2], missingSteps: 2 }]);
  assert.is(report.missingSteps, 2);
  assert.not.ok(report.irregular);
});

test('daily series in a DST zone are calendar days, not 24 h steps', () => {
  // Local midnights in New York from 2024-03-08 to 2024-03-12 (a 23-hour day on the 10th).
  const t = times(...[8, 9, 10, 11, 12].map((d) => Date.UTC(2024, 2, d, d <= 10 ? 5 : 4)));
  const report = inferFrequency(t, { timeZone: 'America/New_York' });
  assert.equal(report.frequency, { kind: 'calendar', unit: 'day', step: 1 });
  assert.equal(report.gaps, []);
  assert.equal(inferFrequency(times(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 8), Date.UTC(2024, 0, 15))).frequency, { kind: 'calendar', unit: 'week', step: 1 });
});

test('weekdays only are business days, and a missing weekday is a one-step gap', () => {
  // 2024-01-01 is a Monday; skip the weekend and Wednesday 2024-01-10.
  const days = [1, 2, 3, 4, 5, 8, 9, 11, 12, 15];
  const report = inferFrequency(times(...days.map((d) => Date.UTC(2024, 0, d))));
  assert.equal(report.frequency, { kind: 'businessDay' });
  assert.equal(report.gaps, [{ after: Date.UTC(2024, 0, 9), missingSteps: 1 }]);
});

test('month-end series are monthly, clamping at short months, and quarters and years are found', () => {
  const monthEnds = times(
    ...[
      [0, 31],
      [1, 29],
      [2, 31],
      [3, 30],
      [4, 31],
      [5, 30],
    ].map(([m, d]) => Date.UTC(2024, m, d)),
  );
  assert.equal(inferFrequency(monthEnds), {
    frequency: { kind: 'calendar', unit: 'month', step: 1 },
    gaps: [],
    irregular: false,
    offGrid: [],
    missingSteps: 0,
  });
  const gappy = times(monthEnds[0], monthEnds[1], monthEnds[4], monthEnds[5]);
  assert.equal(inferFrequency(gappy).gaps, [{ after: monthEnds[1], missingSteps: 2 }]);
  const quarters = times(Date.UTC(2023, 0, 1), Date.UTC(2023, 3, 1), Date.UTC(2023, 6, 1), Date.UTC(2023, 9, 1));
  assert.equal(inferFrequency(quarters).frequency, { kind: 'calendar', unit: 'quarter', step: 1 });
  const years = times(Date.UTC(2020, 1, 29), Date.UTC(2021, 1, 28), Date.UTC(2022, 1, 28), Date.UTC(2024, 1, 29));
  const yearly = inferFrequency(years);
  assert.equal(yearly.frequency, { kind: 'calendar', unit: 'year', step: 1 });
  assert.equal(yearly.gaps, [{ after: Date.UTC(2022, 1, 28), missingSteps: 1 }]);
});

test('irregular timestamps are flagged with the ones off the grid', () => {
  const t = hourly(6);
  const odd = times(t[0], t[1], t[2], t[2] + 17 * MINUTE, t[3], t[4], t[5]);
  const report = inferFrequency(odd);
  assert.ok(report.irregular);
  assert.equal(report.offGrid, [t[2] + 17 * MINUTE]);
  assert.throws(
    () => inferFrequency(times(1)),
    (e: unknown) => e instanceof DataError && /fewer than 2/.test((e as Error).message),
  );
});

test('regularize fills the grid with missing rows, keeping month-end anchors', () => {
  const monthEnds = times(Date.UTC(2024, 0, 31), Date.UTC(2024, 3, 30));
  const series = { id: 's', time: monthEnds, values: Float32Array.of(1, 4), mask: Uint8Array.of(1, 1) };
  const { series: full, inserted } = regularize(series, 1, parseFrequency('M'));
  assert.is(inserted, 2);
  assert.equal(
    Array.from(full.time).map(iso),
    ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'].map((d) => `${d}T00:00:00.000Z`),
  );
  assert.equal(
    Array.from(full.values, (v) => (Number.isNaN(v) ? null : v)),
    [1, null, null, 4],
  );
  assert.equal(Array.from(full.mask), [1, 0, 0, 1]);
  const odd = { ...series, time: times(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 30)) };
  assert.throws(
    () => regularize(odd, 1, parseFrequency('h')),
    (e: unknown) => e instanceof DataError && /not on the h grid/.test((e as Error).message),
  );
});

test('addSteps keeps the wall-clock time across DST for days and uses fixed hours for h', () => {
  const before = Date.UTC(2024, 2, 9, 17); // 12:00 in New York, EST
  assert.is(iso(addSteps(before, parseFrequency('D'), 1, 'America/New_York')), '2024-03-10T16:00:00.000Z'); // 12:00 EDT, 23 h later
  assert.is(addSteps(before, parseFrequency('h'), 24, 'America/New_York') - before, 24 * HOUR);
  assert.is(iso(addSteps(before, parseFrequency('D'), -1, 'America/New_York')), '2024-03-08T17:00:00.000Z');
  assert.is(iso(addSteps(Date.UTC(2024, 10, 2, 16), parseFrequency('W'), 1, 'America/New_York')), '2024-11-09T17:00:00.000Z');
});

test('addSteps clamps at month ends and skips weekends for business days', () => {
  assert.is(iso(addSteps(Date.UTC(2024, 0, 31), parseFrequency('M'), 1)), '2024-02-29T00:00:00.000Z');
  assert.is(iso(addSteps(Date.UTC(2024, 0, 31), parseFrequency('M'), 2)), '2024-03-31T00:00:00.000Z');
  assert.is(iso(addSteps(Date.UTC(2023, 10, 30), parseFrequency('Q'), 1)), '2024-02-29T00:00:00.000Z');
  assert.is(iso(addSteps(Date.UTC(2024, 1, 29), parseFrequency('Y'), 1)), '2025-02-28T00:00:00.000Z');
  assert.is(iso(addSteps(Date.UTC(2024, 0, 5, 9), parseFrequency('B'), 1)), '2024-01-08T09:00:00.000Z'); // Friday → Monday
  assert.is(iso(addSteps(Date.UTC(2024, 0, 5), parseFrequency('B'), 6)), '2024-01-15T00:00:00.000Z');
  // Local month ends in Berlin: 2024-03-31 00:00 CET is before the DST change that night.
  assert.is(iso(addSteps(Date.UTC(2024, 0, 30, 23), parseFrequency('M'), 2, 'Europe/Berlin')), '2024-03-30T23:00:00.000Z');
});

test('futureTimes continue a series on its grid, keeping the month-end anchor', () => {
  const monthEnds = times(Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 29));
  assert.equal(Array.from(futureTimes(monthEnds, parseFrequency('M'), 2)).map(iso), ['2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z']);
  const friday = times(Date.UTC(2024, 0, 4), Date.UTC(2024, 0, 5));
  assert.equal(Array.from(futureTimes(friday, parseFrequency('B'), 2)).map(iso), ['2024-01-08T00:00:00.000Z', '2024-01-09T00:00:00.000Z']);
  const ny = times(Date.UTC(2024, 2, 9, 5));
  assert.equal(Array.from(futureTimes(ny, parseFrequency('D'), 2, 'America/New_York')).map(iso), ['2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z']);
  assert.equal(Array.from(futureTimes(hourly(3), parseFrequency('h'), 1)), [Date.UTC(2016, 6, 1, 3)]);
});

test.run();
