/**
 * Calendar features of timestamps: the Time-Series-Library `timeF` encoding
 * (`utils/timefeatures.py`, from gluonts), each feature scaled to [−0.5, 0.5], chosen by the
 * frequency, and computed on the wall clock of the panel's time zone (TSLib's timestamps are
 * naive, so its features are those of the file's wall clock: the same as ours in UTC).
 */
import { match } from 'ts-pattern';
import { DAY_MS, wallFields, zoneClock } from './time-zone.ts';
import type { Frequency } from './types.ts';

/** Feature names, spelled as TSLib's classes so the correspondence is plain. */
export type CalendarFeature = 'SecondOfMinute' | 'MinuteOfHour' | 'HourOfDay' | 'DayOfWeek' | 'DayOfMonth' | 'DayOfYear' | 'MonthOfYear' | 'WeekOfYear';

type Fields = ReturnType<typeof wallFields> & { isoWeek: number };

/** Each feature exactly as TSLib computes it (pandas fields; dayofweek has Monday = 0). */
const ENCODE: Record<CalendarFeature, (f: Fields) => number> = {
  SecondOfMinute: (f) => f.second / 59 - 0.5,
  MinuteOfHour: (f) => f.minute / 59 - 0.5,
  HourOfDay: (f) => f.hour / 23 - 0.5,
  DayOfWeek: (f) => f.weekday / 6 - 0.5,
  DayOfMonth: (f) => (f.day - 1) / 30 - 0.5,
  DayOfYear: (f) => (f.dayOfYear - 1) / 365 - 0.5,
  MonthOfYear: (f) => (f.month - 1) / 11 - 0.5,
  WeekOfYear: (f) => (f.isoWeek - 1) / 52 - 0.5,
};

const SUB_DAILY_FEATURES: CalendarFeature[] = ['HourOfDay', 'DayOfWeek', 'DayOfMonth', 'DayOfYear'];

/**
 * The features TSLib's `time_features_from_frequency_str` picks for a frequency: seconds →
 * [SecondOfMinute, MinuteOfHour, HourOfDay, DayOfWeek, DayOfMonth, DayOfYear], minutes → from
 * MinuteOfHour on, hours → from HourOfDay on, days and business days → [DayOfWeek, DayOfMonth,
 * DayOfYear], weeks → [DayOfMonth, WeekOfYear], months and quarters → [MonthOfYear], years → [].
 * A fixed step takes the largest unit that divides it (`15min` → minutes, `24h` → hours).
 */
export function calendarFeatureNames(frequency: Frequency): CalendarFeature[] {
  return match(frequency)
    .with({ kind: 'fixed' }, ({ ms }): CalendarFeature[] => {
      if (ms % 3_600_000 === 0) return SUB_DAILY_FEATURES;
      if (ms % 60_000 === 0) return ['MinuteOfHour', ...SUB_DAILY_FEATURES];
      return ['SecondOfMinute', 'MinuteOfHour', ...SUB_DAILY_FEATURES];
    })
    .with({ kind: 'calendar', unit: 'day' }, { kind: 'businessDay' }, (): CalendarFeature[] => ['DayOfWeek', 'DayOfMonth', 'DayOfYear'])
    .with({ kind: 'calendar', unit: 'week' }, (): CalendarFeature[] => ['DayOfMonth', 'WeekOfYear'])
    .with({ kind: 'calendar', unit: 'month' }, { kind: 'calendar', unit: 'quarter' }, (): CalendarFeature[] => ['MonthOfYear'])
    .with({ kind: 'calendar', unit: 'year' }, (): CalendarFeature[] => [])
    .exhaustive();
}

/** ISO 8601 week number (1..53) of a wall-clock date, as pandas' `isocalendar().week`. */
function isoWeek(wall: number, weekday: number): number {
  const thursday = Math.floor(wall / DAY_MS) + 3 - weekday;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
  return Math.floor((thursday - jan1) / 7) + 1;
}

export interface CalendarOptions {
  /** Picks the features (calendarFeatureNames); ignored when `features` is given. */
  frequency?: Frequency;
  /**
   * The features, in order. Use it to reproduce runs whose `--freq` differs from the data's:
   * TSLib's ETTm scripts keep the default `freq='h'`, i.e. no MinuteOfHour.
   */
  features?: readonly CalendarFeature[];
  /** Zone whose wall clock the features describe; 'UTC' by default. */
  timeZone?: string;
}

/**
 * Calendar features of timestamps (epoch ms): values [T, F] row-major, float32, each in
 * [−0.5, 0.5], and their names (F). E.g. HourOfDay = hour/23 − 0.5, DayOfWeek = weekday/6 − 0.5
 * (Monday = 0), DayOfMonth = (day − 1)/30 − 0.5, DayOfYear = (doy − 1)/365 − 0.5.
 */
export function calendarFeatures(time: ArrayLike<number>, options: CalendarOptions): { values: Float32Array; names: CalendarFeature[] } {
  const names = options.features ? [...options.features] : options.frequency ? calendarFeatureNames(options.frequency) : undefined;
  if (!names) throw new RangeError('calendarFeatures: pass frequency or features');
  const unknown = names.find((name) => !(name in ENCODE));
  if (unknown !== undefined) throw new RangeError(`calendarFeatures: unknown feature "${unknown}" (known: ${Object.keys(ENCODE).join(', ')})`);
  const n = time.length;
  const f = names.length;
  const values = new Float32Array(n * f);
  if (n === 0 || f === 0) return { values, names };
  const clock = zoneClock(options.timeZone ?? 'UTC');
  const encoders = names.map((name) => ENCODE[name]);
  const needsWeek = names.includes('WeekOfYear');
  for (let i = 0; i < n; i++) {
    const wall = clock.toWall(time[i]);
    const fields = wallFields(wall) as Fields;
    if (needsWeek) fields.isoWeek = isoWeek(wall, fields.weekday);
    for (let k = 0; k < f; k++) values[i * f + k] = encoders[k](fields);
  }
  return { values, names };
}
