import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calendarFeatureNames, calendarFeatures, fillMissing, fillPanel, parseFrequency, type Panel } from '../../src/data/index.ts';
import { assertClose } from '../helpers/close.ts';

const nan = NaN;
const show = (a: Float32Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : Math.round(v * 1e4) / 1e4));

test('each fill strategy fills a channel as documented and leaves the input alone', () => {
  const values = Float32Array.of(nan, 1, nan, nan, 4, nan);
  const cases: Record<string, (number | null)[]> = {
    none: [null, 1, null, null, 4, null],
    forward: [null, 1, 1, 1, 4, 4],
    backward: [1, 1, 4, 4, 4, null],
    linear: [1, 1, 2, 3, 4, 4],
    zero: [0, 1, 0, 0, 4, 0],
    mean: [2.5, 1, 2.5, 2.5, 4, 2.5],
  };
  for (const [strategy, expected] of Object.entries(cases)) {
    assert.equal(show(fillMissing(values, 1, strategy as never)), expected, strategy);
  }
  assert.equal(show(values), cases.none);
});

test('fill strategies apply per channel of row-major values', () => {
  // [T=3, C=2]: channel 0 = [1, NaN, 3], channel 1 = [NaN, 5, NaN]
  const values = Float32Array.of(1, nan, nan, 5, 3, nan);
  assert.equal(show(fillMissing(values, 2, ['linear', 'forward'])), [1, null, 2, 5, 3, 5]);
  assert.equal(show(fillMissing(Float32Array.of(nan, nan), 1, 'mean')), [null, null]);
  assert.throws(() => fillMissing(values, 2, ['zero']), /1 strategies for 2 channels/);
});

test('fillPanel keeps the mask saying what was observed', () => {
  const mask = Uint8Array.of(1, 0, 1);
  const panel: Panel = {
    series: [{ id: 'a', time: Float64Array.of(0, 1, 2), values: Float32Array.of(1, nan, 3), mask }],
    channels: ['y'],
    frequency: parseFrequency('h'),
    timeZone: 'UTC',
  };
  const filled = fillPanel(panel, 'linear');
  assert.equal(show(filled.series[0].values), [1, 2, 3]);
  assert.is(filled.series[0].mask, mask);
  assert.equal(Array.from(filled.series[0].mask), [1, 0, 1]);
});

test('calendar features follow TSLib per frequency', () => {
  const names = (alias: string) => calendarFeatureNames(parseFrequency(alias));
  assert.equal(names('h'), ['HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assert.equal(names('15min'), ['MinuteOfHour', 'HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assert.equal(names('s'), ['SecondOfMinute', 'MinuteOfHour', 'HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assert.equal(names('D'), ['DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assert.equal(names('B'), ['DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assert.equal(names('W'), ['DayOfMonth', 'WeekOfYear']);
  assert.equal(names('M'), ['MonthOfYear']);
  assert.equal(names('Q'), ['MonthOfYear']);
  assert.equal(names('Y'), []);
});

test('calendar features match hand-computed values', () => {
  // 2016-07-01 13:45 UTC is a Friday (weekday 4), day 183 of leap year 2016.
  const { values, names } = calendarFeatures([Date.UTC(2016, 6, 1, 13, 45)], { frequency: parseFrequency('15min') });
  assert.equal(names, ['MinuteOfHour', 'HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear']);
  assertClose(values, [45 / 59 - 0.5, 13 / 23 - 0.5, 4 / 6 - 0.5, 0 / 30 - 0.5, 182 / 365 - 0.5], 'features', { rtol: 1e-6, atol: 1e-7 });
  // ISO weeks: 2021-01-03 (Sunday) is week 53 of 2020, 2021-01-04 week 1.
  const weekly = calendarFeatures([Date.UTC(2021, 0, 3), Date.UTC(2021, 0, 4)], { frequency: parseFrequency('W') });
  assertClose(weekly.values, [2 / 30 - 0.5, 52 / 52 - 0.5, 3 / 30 - 0.5, 0 - 0.5], 'weekly', { rtol: 1e-6, atol: 1e-7 });
  const monthly = calendarFeatures([Date.UTC(2020, 11, 31), Date.UTC(2021, 0, 31)], { frequency: parseFrequency('M') });
  assertClose(monthly.values, [0.5, -0.5], 'monthly');
});

test('calendar features use the wall clock of the time zone', () => {
  // 2016-07-01 02:00 UTC is Thursday 2016-06-30 22:00 in New York (day 182).
  const { values } = calendarFeatures([Date.UTC(2016, 6, 1, 2)], { frequency: parseFrequency('h'), timeZone: 'America/New_York' });
  assertClose(values, [22 / 23 - 0.5, 3 / 6 - 0.5, 29 / 30 - 0.5, 181 / 365 - 0.5], 'New York', { rtol: 1e-6, atol: 1e-7 });
});

test('explicit feature names override the frequency (TSLib ETTm runs with freq h)', () => {
  const { values, names } = calendarFeatures([Date.UTC(2016, 6, 1, 0, 15)], { frequency: parseFrequency('15min'), features: ['HourOfDay', 'DayOfWeek'] });
  assert.equal(names, ['HourOfDay', 'DayOfWeek']);
  assertClose(values, [-0.5, 4 / 6 - 0.5], 'override');
  for (const v of calendarFeatures(
    Float64Array.from({ length: 500 }, (_, k) => Date.UTC(2020, 0, 1) + k * 86_400_000 * 1.37),
    { features: ['SecondOfMinute', 'MinuteOfHour', 'HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear', 'MonthOfYear', 'WeekOfYear'] },
  ).values) {
    assert.ok(v >= -0.5 && v <= 0.5, `${v} outside [-0.5, 0.5]`);
  }
});

test.run();
