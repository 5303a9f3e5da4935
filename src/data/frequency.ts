/**
 * Frequencies: our own stable aliases (pandas renamed `H→h`, `T→min`, `M→ME` in 2.2 and broke
 * gluonts; these will not change), and stepping a timestamp by whole periods.
 *
 * Aliases: `ms`, `s`, `min`, `h` (fixed lengths), `D`, `W`, `M`, `Q`, `Y` (calendar, in a time
 * zone), `B` (business days, Monday to Friday); an integer prefix multiplies (`15min`, `2h`,
 * `3M`), except for `B`.
 */
import { tz } from '@date-fns/tz';
import { addBusinessDays, addDays, addMonths, addQuarters, addWeeks, addYears } from 'date-fns';
import { match } from 'ts-pattern';
import type { Frequency } from './types.ts';

type CalendarUnit = Extract<Frequency, { kind: 'calendar' }>['unit'];

const FIXED_UNITS: [alias: string, ms: number][] = [
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

const CALENDAR_ALIASES: Record<string, CalendarUnit> = { D: 'day', W: 'week', M: 'month', Q: 'quarter', Y: 'year' };
const CALENDAR_NAMES: Record<CalendarUnit, string> = { day: 'D', week: 'W', month: 'M', quarter: 'Q', year: 'Y' };

/** pandas (old and new) spellings users will try, and ours. */
const PANDAS_HINTS: Record<string, string> = {
  H: 'h',
  T: 'min',
  S: 's',
  L: 'ms',
  d: 'D',
  w: 'W',
  ME: 'M',
  MS: 'M',
  QE: 'Q',
  QS: 'Q',
  YE: 'Y',
  YS: 'Y',
  A: 'Y',
  AS: 'Y',
  BD: 'B',
  m: 'min (minutes) or M (months)',
  y: 'Y',
  q: 'Q',
};

/** Our aliases, for error messages. */
export const FREQUENCY_ALIASES = ['ms', 's', 'min', 'h', 'D', 'W', 'M', 'Q', 'Y', 'B'] as const;

/**
 * Parses an alias (`'15min'`, `'h'`, `'D'`, `'W'`, `'M'`, `'Q'`, `'Y'`, `'B'`, `'2h'`) to a
 * Frequency. Case matters (`M` months, `min` minutes). Throws a RangeError listing the aliases,
 * with a hint for pandas spellings.
 */
export function parseFrequency(alias: string): Frequency {
  const m = /^\s*(\d*)\s*([A-Za-z]+)\s*$/.exec(alias);
  const count = m && m[1] !== '' ? Number(m[1]) : 1;
  const unit = m?.[2] ?? '';
  if (m && count >= 1 && Number.isSafeInteger(count)) {
    const fixed = FIXED_UNITS.find(([name]) => name === unit);
    if (fixed) return { kind: 'fixed', ms: count * fixed[1] };
    if (unit in CALENDAR_ALIASES) return { kind: 'calendar', unit: CALENDAR_ALIASES[unit], step: count };
    if (unit === 'B') {
      if (count !== 1) throw new RangeError(`frequency "${alias}": business days take no multiple (use "B")`);
      return { kind: 'businessDay' };
    }
  }
  const hint = m && m[2] in PANDAS_HINTS ? ` (did you mean "${m[1]}${PANDAS_HINTS[m[2]]}"?)` : '';
  throw new RangeError(`unknown frequency "${alias}"${hint}: use an optional multiple and one of ${FREQUENCY_ALIASES.join(', ')}, e.g. "15min", "h", "D", "M"`);
}

/** The alias of a frequency: the inverse of parseFrequency (fixed steps in the largest exact unit). */
export function formatFrequency(frequency: Frequency): string {
  return match(frequency)
    .with({ kind: 'fixed' }, ({ ms }) => {
      const [name, size] = FIXED_UNITS.find(([, size]) => ms % size === 0) ?? ['ms', 1];
      return ms === size ? name : `${ms / size}${name}`;
    })
    .with({ kind: 'calendar' }, ({ unit, step }) => `${step === 1 ? '' : step}${CALENDAR_NAMES[unit]}`)
    .with({ kind: 'businessDay' }, () => 'B')
    .exhaustive();
}

/** Accepts an alias or a Frequency object and checks the object's fields. */
export function toFrequency(frequency: Frequency | string): Frequency {
  if (typeof frequency === 'string') return parseFrequency(frequency);
  const valid = match(frequency)
    .with({ kind: 'fixed' }, ({ ms }) => Number.isSafeInteger(ms) && ms > 0)
    .with({ kind: 'calendar' }, ({ unit, step }) => unit in CALENDAR_NAMES && Number.isSafeInteger(step) && step > 0)
    .with({ kind: 'businessDay' }, () => true)
    .exhaustive();
  if (!valid) throw new RangeError(`invalid frequency ${JSON.stringify(frequency)}`);
  return frequency;
}

/** True when two frequencies are the same step. */
export function sameFrequency(a: Frequency, b: Frequency): boolean {
  return formatFrequency(a) === formatFrequency(b);
}

/**
 * The timestamp `n` periods after `time` (before, for negative n), epoch ms.
 *
 * Fixed steps are arithmetic (`time + n·ms`); calendar steps keep the wall-clock time in
 * `timeZone` (a day across a DST change is 23 or 25 hours) and clamp at month ends
 * (`Jan 31 + 1M = Feb 29`), via date-fns with `{ in: tz(zone) }`; business days skip Saturdays and
 * Sundays. Clamping loses the day: stepping a month-end series one period at a time drifts
 * (Feb 29 + 1M = Mar 29), so for the timestamps after a series use `futureTimes`, which keeps the
 * series' day of month.
 */
export function addSteps(time: number, frequency: Frequency, n: number, timeZone = 'UTC'): number {
  if (n === 0) return time;
  const context = { in: tz(timeZone) };
  return match(frequency)
    .with({ kind: 'fixed' }, ({ ms }) => time + n * ms)
    .with({ kind: 'calendar', unit: 'day' }, ({ step }) => addDays(time, n * step, context).getTime())
    .with({ kind: 'calendar', unit: 'week' }, ({ step }) => addWeeks(time, n * step, context).getTime())
    .with({ kind: 'calendar', unit: 'month' }, ({ step }) => addMonths(time, n * step, context).getTime())
    .with({ kind: 'calendar', unit: 'quarter' }, ({ step }) => addQuarters(time, n * step, context).getTime())
    .with({ kind: 'calendar', unit: 'year' }, ({ step }) => addYears(time, n * step, context).getTime())
    .with({ kind: 'businessDay' }, () => addBusinessDays(time, n, context).getTime())
    .exhaustive();
}
