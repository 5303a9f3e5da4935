/**
 * The grid of a series: the timestamps its frequency allows, numbered from its first timestamp.
 * Gap reports, regularisation and future timestamps all work on grid positions, so each
 * frequency kind only has to say how a timestamp maps to a position and back.
 *
 * Calendar grids keep the series' wall-clock time of day (in its zone) and, for months, its
 * anchor day: the most common day of month, clamped at shorter months (a month-end series
 * stays on Jan 31, Feb 29, Mar 31, …, which stepping from Feb 29 by date-fns would lose).
 */
import { match } from 'ts-pattern';
import { DataError } from './data-error.ts';
import { formatFrequency } from './frequency.ts';
import { mostCommon } from './most-common.ts';
import { DAY_MS, dayNumber, daysInMonth, timeOfDay, wallFields, wallOf, zoneClock, type ZoneClock } from './time-zone.ts';
import type { Frequency, Series } from './types.ts';

/** Positions on a frequency's grid, 0 at the series' first timestamp. */
export interface Grid {
  frequency: Frequency;
  timeZone: string;
  /** Position of a timestamp; NaN when it is not on the grid. */
  position(time: number): number;
  /** Timestamp at a position (any integer, negative or past the end). */
  timeAt(position: number): number;
}

/** Timestamp that clocks show `wall`; a wall time skipped by DST moves forward, as date-fns does. */
function instantOf(clock: ZoneClock, wall: number): number {
  const time = clock.fromWall(wall);
  return Number.isNaN(time) ? wall - clock.offset(wall - DAY_MS) : time;
}

/** Monday = 0 … Sunday = 6 of a day number (1970-01-01 was a Thursday). */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** Business-day number of a weekday's day number: consecutive across weekends. */
function businessNumber(day: number): number {
  const shifted = day + 3; // days since Monday 1969-12-29
  const weeks = Math.floor(shifted / 7);
  return weeks * 5 + Math.min(shifted - weeks * 7, 5);
}

function dayOfBusinessNumber(b: number): number {
  const weeks = Math.floor(b / 5);
  return weeks * 7 + (b - weeks * 5) - 3;
}

/**
 * The grid of `frequency` through the timestamps `time` (a series' times, epoch ms, at least one):
 * position 0 is time[0]; calendar grids take time[0]'s wall time of day and the most common day
 * of month in `timeZone`.
 */
export function gridOf(time: Float64Array, frequency: Frequency, timeZone = 'UTC'): Grid {
  if (time.length === 0) throw new RangeError('gridOf: a grid needs at least one timestamp');
  const t0 = time[0];
  const clock = zoneClock(timeZone);
  const wall0 = clock.toWall(t0);
  const tod = timeOfDay(wall0);
  const day0 = dayNumber(wall0);
  /** Calendar positions: a cheap guess from the wall date, confirmed by mapping back. */
  const confirmed = (t: number, guess: number, timeAt: (p: number) => number): number => (Number.isInteger(guess) && timeAt(guess) === t ? guess : NaN);

  const spanDays = (days: number): Pick<Grid, 'position' | 'timeAt'> => {
    const timeAt = (p: number) => instantOf(clock, (day0 + p * days) * DAY_MS + tod);
    return { timeAt, position: (t) => confirmed(t, (dayNumber(clock.toWall(t)) - day0) / days, timeAt) };
  };
  const spanMonths = (months: number): Pick<Grid, 'position' | 'timeAt'> => {
    const anchor = mostCommon(
      Array.from(time, (t) => wallFields(clock.toWall(t)).day),
      'larger',
    );
    const f0 = wallFields(wall0);
    const month0 = f0.year * 12 + f0.month - 1;
    const timeAt = (p: number) => {
      const index = month0 + p * months;
      const year = Math.floor(index / 12);
      const month = index - year * 12 + 1;
      return instantOf(clock, wallOf(year, month, Math.min(anchor, daysInMonth(year, month))) + tod);
    };
    const position = (t: number) => {
      const f = wallFields(clock.toWall(t));
      return confirmed(t, (f.year * 12 + f.month - 1 - month0) / months, timeAt);
    };
    return { timeAt, position };
  };

  const mapping = match(frequency)
    .with({ kind: 'fixed' }, ({ ms }) => ({
      timeAt: (p: number) => t0 + p * ms,
      position: (t: number) => {
        const p = (t - t0) / ms;
        return Number.isInteger(p) ? p : NaN;
      },
    }))
    .with({ kind: 'calendar', unit: 'day' }, ({ step }) => spanDays(step))
    .with({ kind: 'calendar', unit: 'week' }, ({ step }) => spanDays(7 * step))
    .with({ kind: 'calendar', unit: 'month' }, ({ step }) => spanMonths(step))
    .with({ kind: 'calendar', unit: 'quarter' }, ({ step }) => spanMonths(3 * step))
    .with({ kind: 'calendar', unit: 'year' }, ({ step }) => spanMonths(12 * step))
    .with({ kind: 'businessDay' }, () => {
      if (weekdayOf(day0) > 4) throw new DataError(`a business-day series cannot start on a weekend (${new Date(t0).toISOString()})`);
      const b0 = businessNumber(day0);
      const timeAt = (p: number) => instantOf(clock, dayOfBusinessNumber(b0 + p) * DAY_MS + tod);
      const position = (t: number) => {
        const day = dayNumber(clock.toWall(t));
        return weekdayOf(day) > 4 ? NaN : confirmed(t, businessNumber(day) - b0, timeAt);
      };
      return { timeAt, position };
    })
    .exhaustive();
  return { frequency, timeZone, ...mapping };
}

/** Missing grid steps between two consecutive observed timestamps. */
export interface Gap {
  /** The observed timestamp the gap follows (epoch ms). */
  after: number;
  /** How many grid timestamps are missing after it. */
  missingSteps: number;
}

/** How a series' timestamps sit on a frequency's grid. */
export interface FrequencyReport {
  frequency: Frequency;
  gaps: Gap[];
  /** True when some timestamps are off the grid (then `offGrid` lists them). */
  irregular: boolean;
  offGrid: number[];
  /** Total missing grid steps (sum of the gaps). */
  missingSteps: number;
}

/** Gaps and off-grid timestamps of sorted `time` on the grid of `frequency`. */
export function frequencyReport(time: Float64Array, frequency: Frequency, timeZone = 'UTC'): FrequencyReport {
  const gaps: Gap[] = [];
  const offGrid: number[] = [];
  let missingSteps = 0;
  if (time.length > 0) {
    const grid = gridOf(time, frequency, timeZone);
    let last = 0;
    for (let i = 1; i < time.length; i++) {
      const p = grid.position(time[i]);
      if (Number.isNaN(p)) {
        offGrid.push(time[i]);
        continue;
      }
      if (p > last + 1) {
        gaps.push({ after: grid.timeAt(last), missingSteps: p - last - 1 });
        missingSteps += p - last - 1;
      }
      last = p;
    }
  }
  return { frequency, gaps, irregular: offGrid.length > 0, offGrid, missingSteps };
}

/**
 * The series on its full grid from its first to its last timestamp: missing timestamps are
 * inserted as rows of NaN with mask 0. `width` is the number of channels. Throws a DataError when
 * a timestamp is off the grid (irregular data needs resampling, which this does not guess).
 */
export function regularize(series: Series, width: number, frequency: Frequency, timeZone = 'UTC'): { series: Series; inserted: number } {
  const n = series.time.length;
  if (n === 0) return { series, inserted: 0 };
  const grid = gridOf(series.time, frequency, timeZone);
  const positions = Array.from(series.time, (t) => grid.position(t));
  const bad = positions.findIndex((p) => Number.isNaN(p));
  if (bad >= 0) {
    throw new DataError(
      `timestamp ${new Date(series.time[bad]).toISOString()} is not on the ${formatFrequency(frequency)} grid through ${new Date(series.time[0]).toISOString()}; cannot regularize`,
      {
        series: series.id,
      },
    );
  }
  const length = positions[n - 1] + 1;
  if (length === n) return { series, inserted: 0 };
  const time = Float64Array.from({ length }, (_, p) => grid.timeAt(p));
  const values = new Float32Array(length * width).fill(NaN);
  const mask = new Uint8Array(length * width);
  for (let i = 0; i < n; i++) {
    values.set(series.values.subarray(i * width, (i + 1) * width), positions[i] * width);
    mask.set(series.mask.subarray(i * width, (i + 1) * width), positions[i] * width);
  }
  return { series: { id: series.id, time, values, mask }, inserted: length - n };
}

/**
 * The `horizon` timestamps after the end of a series (epoch ms), on the series' grid: calendar
 * steps keep its time of day and day-of-month anchor in `timeZone`.
 */
export function futureTimes(time: Float64Array, frequency: Frequency, horizon: number, timeZone = 'UTC'): Float64Array {
  const grid = gridOf(time, frequency, timeZone);
  const last = grid.position(time[time.length - 1]);
  if (Number.isNaN(last))
    throw new DataError(`the last timestamp ${new Date(time[time.length - 1]).toISOString()} is not on the series' ${formatFrequency(frequency)} grid`);
  return Float64Array.from({ length: horizon }, (_, k) => grid.timeAt(last + 1 + k));
}
