/**
 * Inferring the frequency of series from their timestamps: the most common step, read as a
 * calendar step (months, quarters, years by date arithmetic, not milliseconds; days and weeks
 * by wall-clock dates, so a DST change does not turn a daily series into "24h with 23h steps";
 * business days when weekends are consistently absent) whenever the wall time of day is constant.
 */
import { DataError } from './data-error.ts';
import { frequencyReport, type FrequencyReport } from './grid.ts';
import { mostCommon } from './most-common.ts';
import { dayNumber, daysInMonth, timeOfDay, wallFields, zoneClock } from './time-zone.ts';
import type { Frequency } from './types.ts';

/** Steps shorter than this are fixed-length whatever the clock says (DST changes shift by ≤ 2 h). */
const SUB_DAILY = 20 * 3_600_000;

function* diffs(times: readonly Float64Array[], of: (time: Float64Array, i: number) => number): Generator<number> {
  for (const time of times) for (let i = 1; i < time.length; i++) yield of(time, i);
}

/**
 * The frequency of one or more series (sorted epoch-ms arrays), from the most common step.
 * Throws a DataError when no series has two timestamps.
 */
export function guessFrequency(times: readonly Float64Array[], timeZone = 'UTC'): Frequency {
  const usable = times.filter((t) => t.length >= 2);
  if (usable.length === 0) throw new DataError('cannot infer the frequency from fewer than 2 timestamps per series', {}, 'frequency');
  const step = mostCommon(
    diffs(usable, (t, i) => t[i] - t[i - 1]),
    'smaller',
  );
  if (!(step > 0)) throw new DataError('cannot infer the frequency: timestamps do not increase');
  if (step < SUB_DAILY) return { kind: 'fixed', ms: step };

  const clock = zoneClock(timeZone);
  const walls = usable.map((t) => Float64Array.from(t, (x) => clock.toWall(x)));
  const tod = timeOfDay(walls[0][0]);
  if (!walls.every((w) => w.every((x) => timeOfDay(x) === tod))) return { kind: 'fixed', ms: step };

  const dayStep = mostCommon(
    diffs(walls, (w, i) => dayNumber(w[i]) - dayNumber(w[i - 1])),
    'smaller',
  );
  const fields = walls.map((w) => Array.from(w, wallFields));
  if (dayStep >= 28) {
    const anchorDay = mostCommon(
      fields.flat().map((f) => f.day),
      'larger',
    );
    if (fields.every((fs) => fs.every((f) => f.day === Math.min(anchorDay, daysInMonth(f.year, f.month))))) {
      const months = mostCommon(
        diffs(
          fields.map((fs) => Float64Array.from(fs, (f) => f.year * 12 + f.month)),
          (m, i) => m[i] - m[i - 1],
        ),
        'smaller',
      );
      if (months % 12 === 0) return { kind: 'calendar', unit: 'year', step: months / 12 };
      if (months % 3 === 0) return { kind: 'calendar', unit: 'quarter', step: months / 3 };
      return { kind: 'calendar', unit: 'month', step: months };
    }
  }
  if (dayStep === 1 && isBusinessDaily(fields)) return { kind: 'businessDay' };
  return dayStep % 7 === 0 ? { kind: 'calendar', unit: 'week', step: dayStep / 7 } : { kind: 'calendar', unit: 'day', step: dayStep };
}

/** No Saturdays or Sundays, and at least one step that jumps a weekend (Friday → Monday). */
function isBusinessDaily(fields: ReturnType<typeof wallFields>[][]): boolean {
  let crossesWeekend = false;
  for (const fs of fields) {
    for (let i = 0; i < fs.length; i++) {
      if (fs[i].weekday > 4) return false;
      if (i > 0 && fs[i].weekday < fs[i - 1].weekday) crossesWeekend = true;
    }
  }
  return crossesWeekend;
}

/**
 * Infers the frequency of one series and reports its gaps (missing grid steps after an observed
 * timestamp) and whether some timestamps are off the grid (irregular).
 *
 * @example inferFrequency(time) // { frequency: { kind: 'fixed', ms: 3600000 }, gaps: [], irregular: false, … }
 */
export function inferFrequency(time: Float64Array, options: { timeZone?: string } = {}): FrequencyReport {
  const timeZone = options.timeZone ?? 'UTC';
  return frequencyReport(time, guessFrequency([time], timeZone), timeZone);
}
