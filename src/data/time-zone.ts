/**
 * Time-zone arithmetic on epoch milliseconds: UTC offsets, wall-clock ↔ instant conversion, and
 * the local calendar fields of an instant.
 *
 * Offsets come from @date-fns/tz's `tzOffset`, which asks `Intl` and costs about 50 µs a call on
 * our machines: 3.6 s for ETTm1's 70k rows. So each zone's offsets are tabulated lazily in
 * chunks of 52 weeks (one call a week plus a binary search per transition, about 3 ms a chunk)
 * and looked up by binary search; only chunks that hold a timestamp are built, so a stray
 * `9999-12-31` costs one chunk, not 8,000 years.
 */
import { tzOffset } from '@date-fns/tz';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets are sampled this far apart; zones never change offset twice within a week. */
const SAMPLE_STEP = 7 * DAY;
const CHUNK = 52 * SAMPLE_STEP;

/** The offsets of one zone within one chunk: segment starts (ascending) and their offsets (ms). */
interface OffsetChunk {
  starts: number[];
  offsets: number[];
}

/** zone → chunk index → offsets. */
const chunks = new Map<string, Map<number, OffsetChunk>>();

const utcNames = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z']);

/** True for the zone names that mean UTC; they take the fast paths. */
export function isUtc(timeZone: string): boolean {
  return utcNames.has(timeZone);
}

/** Throws a RangeError naming the zone when `Intl` does not know it. */
export function checkTimeZone(timeZone: string): void {
  if (isUtc(timeZone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}" (use an IANA name such as "Europe/Berlin" or "UTC")`);
  }
}

function rawOffsetMs(timeZone: string, time: number): number {
  return tzOffset(timeZone, new Date(time)) * MINUTE;
}

/** Samples chunk `index` of a zone weekly and pins each change to its minute by bisection. */
function buildChunk(timeZone: string, index: number): OffsetChunk {
  const lo = index * CHUNK;
  let offset = rawOffsetMs(timeZone, lo);
  const chunk: OffsetChunk = { starts: [lo], offsets: [offset] };
  for (let t = lo; t < lo + CHUNK; t += SAMPLE_STEP) {
    const next = t + SAMPLE_STEP;
    const nextOffset = rawOffsetMs(timeZone, next);
    if (nextOffset === offset) continue;
    // The change lies in (t, next]; offsets change on whole minutes, so search minutes.
    let a = Math.floor(t / MINUTE);
    let b = Math.ceil(next / MINUTE);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (rawOffsetMs(timeZone, mid * MINUTE) === offset) a = mid;
      else b = mid;
    }
    // A change at the very end belongs to the next chunk, which starts with it.
    if (b * MINUTE < lo + CHUNK) {
      chunk.starts.push(b * MINUTE);
      chunk.offsets.push(nextOffset);
    }
    offset = nextOffset;
  }
  return chunk;
}

function offsetAt(timeZone: string, time: number): number {
  let zone = chunks.get(timeZone);
  if (!zone) chunks.set(timeZone, (zone = new Map()));
  const index = Math.floor(time / CHUNK);
  let chunk = zone.get(index);
  if (!chunk) zone.set(index, (chunk = buildChunk(timeZone, index)));
  const { starts, offsets } = chunk;
  let a = 0;
  let b = starts.length - 1;
  while (a < b) {
    const mid = (a + b + 1) >> 1;
    if (starts[mid] <= time) a = mid;
    else b = mid - 1;
  }
  return offsets[a];
}

/** Converts between instants and the wall clock of one zone. */
export interface ZoneClock {
  /** UTC offset in ms at an instant (local = utc + offset). */
  offset(time: number): number;
  /** The wall-clock time of an instant, as epoch ms of the same fields in UTC. */
  toWall(time: number): number;
  /**
   * The instant at which the zone's clocks show `wall` (wall-clock fields encoded as UTC ms).
   * Ambiguous wall times (clocks falling back) give the earlier instant; wall times that do not
   * exist (clocks springing forward) give NaN.
   */
  fromWall(wall: number): number;
}

/** A ZoneClock for `timeZone` (throws a RangeError for an unknown zone). */
export function zoneClock(timeZone: string): ZoneClock {
  checkTimeZone(timeZone);
  if (isUtc(timeZone)) return { offset: () => 0, toWall: (t) => t, fromWall: (w) => w };
  const offset = (time: number): number => offsetAt(timeZone, time);
  return {
    offset,
    toWall: (time) => time + offset(time),
    fromWall(wall) {
      // The offset in force a day either side covers both sides of any transition near `wall`.
      const before = offset(wall - DAY);
      const after = offset(wall + DAY);
      let best = NaN;
      for (const candidate of before === after ? [before] : [before, after]) {
        const time = wall - candidate;
        if (offset(time) === candidate && !(time >= best)) best = time;
      }
      return best;
    },
  };
}

/** Calendar fields of a wall-clock time (as produced by `ZoneClock.toWall`). */
export interface WallFields {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Monday = 0 … Sunday = 6 (pandas' `dayofweek`). */
  weekday: number;
  /** 1..366 */
  dayOfYear: number;
}

/** Splits a wall-clock ms value into calendar fields. */
export function wallFields(wall: number): WallFields {
  const d = new Date(wall);
  const year = d.getUTCFullYear();
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: (d.getUTCDay() + 6) % 7,
    dayOfYear: Math.floor((wall - Date.UTC(year, 0, 1)) / DAY) + 1,
  };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (month 1..12), leap years included (proleptic Gregorian, as Date). */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Wall-clock ms of the given fields (month 1..12); no range checks. */
export function wallOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** Whole local days since 1970-01-01 of a wall-clock ms value (floor, so negative days work). */
export function dayNumber(wall: number): number {
  return Math.floor(wall / DAY);
}

/** ms since local midnight of a wall-clock ms value. */
export function timeOfDay(wall: number): number {
  return wall - Math.floor(wall / DAY) * DAY;
}

export { DAY as DAY_MS, MINUTE as MINUTE_MS };
