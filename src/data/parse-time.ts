/**
 * Timestamp parsing for the time column, always explicit: arquero's autoType reads date-times
 * without an offset in the machine's local zone (and leaves ETT's `2016-07-01 00:00:00` as a
 * string), so loaders never let it touch dates.
 *
 * The format is detected from the first non-empty values (or given as a date-fns pattern) and
 * every later value must parse in that format; a value that does not is an error naming its
 * row. Naive timestamps (no offset) are wall-clock times in `timeZone`, UTC unless given.
 */
import { tz } from '@date-fns/tz';
import { parse as parseWithPattern } from 'date-fns';
import { DataError } from './data-error.ts';
import { checkTimeZone, daysInMonth, wallOf, zoneClock } from './time-zone.ts';

/** Where the cells come from, for error messages; rows are numbered from 1. */
export interface TimeParseOptions {
  /** Name of the time column (for messages). */
  column: string;
  /** IANA zone of naive timestamps; 'UTC' by default. Timestamps with an offset ignore it. */
  timeZone?: string;
  /**
   * A date-fns pattern (`'dd.MM.yyyy HH:mm'`, `'T'` for epoch ms, `'t'` for epoch seconds) that
   * replaces detection.
   */
  timeFormat?: string;
  source?: string;
  /** Line of data row 1 minus 1 in a delimited text file (1 with a header line); absent otherwise. */
  lineOffset?: number;
}

export interface ParsedTimes {
  /** Epoch ms UTC, one per cell, in cell order (not sorted here). */
  time: Float64Array;
  /** What was detected or given, e.g. `YYYY-MM-DD HH:MM:SS (naive, UTC)`. */
  format: string;
  /** True when the values carry no offset and were read as wall-clock times in the zone. */
  naive: boolean;
}

/** One recognisable timestamp layout. `read` gives NaN for a cell it does not match. */
interface TimeLayout {
  name: string;
  /** 'wall': `read` gives wall-clock ms to convert in the zone; 'instant': epoch ms. */
  kind: 'wall' | 'instant';
  read(cell: unknown): number;
}

const DETECT_SAMPLE = 5;

/** Wall-clock ms of validated fields, or NaN when a field is out of range (Feb 30, 25:00). */
function fields(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return NaN;
  return y >= 100 ? Date.UTC(y, mo - 1, d, h, mi, s, ms) : wallOf(y, mo, d, h, mi, s, ms);
}

const fraction = (digits: string | undefined): number => (digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0);

function offsetMinutes(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return minutes > 59 || hours > 23 ? NaN : sign * (hours * 60 + minutes);
}

function regexLayout(name: string, kind: 'wall' | 'instant', pattern: RegExp, build: (m: RegExpExecArray) => number): TimeLayout {
  return {
    name,
    kind,
    read(cell) {
      if (typeof cell !== 'string') return NaN;
      const m = pattern.exec(cell.trim());
      return m ? build(m) : NaN;
    },
  };
}

const num = Number;
const isoDateTime = '(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?';

/** Candidate layouts, tried in this order on the first values. */
const LAYOUTS: TimeLayout[] = [
  regexLayout(
    'ISO 8601 date-time with offset',
    'instant',
    new RegExp(`^${isoDateTime} ?(Z|z|[+-]\\d{2}(?::?\\d{2})?)$`),
    (m) => fields(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6] ?? 0), fraction(m[7])) - offsetMinutes(m[8]) * 60_000,
  ),
  regexLayout('YYYY-MM-DD HH:MM:SS', 'wall', new RegExp(`^${isoDateTime}$`), (m) =>
    fields(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6] ?? 0), fraction(m[7])),
  ),
  regexLayout('YYYY-MM-DD', 'wall', /^(\d{4})-(\d{1,2})-(\d{1,2})$/, (m) => fields(num(m[1]), num(m[2]), num(m[3]))),
  regexLayout('YYYY/M/D H:MM', 'wall', /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/, (m) =>
    fields(num(m[1]), num(m[2]), num(m[3]), num(m[4] ?? 0), num(m[5] ?? 0), num(m[6] ?? 0)),
  ),
];

/** Date objects (Arrow timestamp/date columns, tables built by the caller) are instants. */
const DATE_LAYOUT: TimeLayout = {
  name: 'Date values',
  kind: 'instant',
  read: (cell) => (cell instanceof Date ? cell.getTime() : NaN),
};

/**
 * Epoch numbers (JS numbers, bigints, or strings of 9+ digits, so that `20160701` is not read as
 * seconds). Seconds or milliseconds by the magnitude of the first value: below 1e11 (which as ms
 * is 1973-03-03) it is seconds.
 */
function epochLayout(first: number): TimeLayout {
  const scale = Math.abs(first) < 1e11 ? 1000 : 1;
  return {
    name: scale === 1000 ? 'epoch seconds' : 'epoch milliseconds',
    kind: 'instant',
    read(cell) {
      const value = epochValue(cell);
      return Number.isFinite(value) ? Math.round(value * scale) : NaN;
    },
  };
}

function epochValue(cell: unknown): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  if (typeof cell === 'string' && /^-?\d{9,}(\.\d+)?$/.test(cell.trim())) return Number(cell);
  return NaN;
}

function patternLayout(pattern: string, timeZone: string): TimeLayout {
  const context = { in: tz(timeZone) };
  const reference = new Date(0);
  return {
    name: `date-fns pattern "${pattern}"`,
    kind: 'instant',
    read(cell) {
      if (cell instanceof Date) return cell.getTime();
      if (cell === null || cell === undefined) return NaN;
      return parseWithPattern(String(cell).trim(), pattern, reference, context).getTime();
    },
  };
}

const isEmpty = (cell: unknown): boolean =>
  cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '') || (typeof cell === 'number' && Number.isNaN(cell));

const show = (cell: unknown): string => (cell instanceof Date ? cell.toISOString() : typeof cell === 'string' ? `"${cell}"` : String(cell));

/** Picks the layout that reads all of the first non-empty cells, or throws naming the first. */
function detect(cells: ArrayLike<unknown>, options: TimeParseOptions): TimeLayout {
  const sample: { cell: unknown; row: number }[] = [];
  for (let i = 0; i < cells.length && sample.length < DETECT_SAMPLE; i++) {
    if (!isEmpty(cells[i])) sample.push({ cell: cells[i], row: i + 1 });
  }
  if (sample.length === 0) throw new DataError('the time column has no values', { source: options.source, column: options.column });
  const first = sample[0];
  const candidates = [DATE_LAYOUT, ...LAYOUTS];
  const epoch = epochValue(first.cell);
  if (Number.isFinite(epoch)) candidates.push(epochLayout(epoch));
  for (const layout of candidates) {
    if (sample.every(({ cell }) => Number.isFinite(layout.read(cell)))) return layout;
  }
  // No layout reads all of them: keep the one that reads the first value, and let parseTimes
  // name the row that breaks it.
  const layout = candidates.find((l) => Number.isFinite(l.read(first.cell)));
  if (layout) return layout;
  const known = [...LAYOUTS.map((l) => l.name), 'epoch seconds/milliseconds', 'Date values'].join(', ');
  throw new DataError(`cannot recognise the timestamp ${show(first.cell)} (known formats: ${known})`, location(options, first.row), 'timeFormat');
}

function location(options: TimeParseOptions, row: number) {
  return {
    source: options.source,
    column: options.column,
    row,
    line: options.lineOffset === undefined ? undefined : row + options.lineOffset,
  };
}

/**
 * Parses a time column to epoch ms UTC. Detects the layout from the first non-empty values
 * (ISO 8601 with or without offset, `YYYY-MM-DD`, `YYYY/M/D H:MM`, epoch numbers, Date objects)
 * unless `timeFormat` gives a date-fns pattern. Throws a DataError naming the row and value of
 * an empty cell, a value in another format, an impossible date (Feb 30), or a naive time that
 * does not exist in the zone (skipped by a daylight-saving change).
 */
export function parseTimes(cells: ArrayLike<unknown>, options: TimeParseOptions): ParsedTimes {
  const timeZone = options.timeZone ?? 'UTC';
  checkTimeZone(timeZone);
  const layout = options.timeFormat !== undefined ? patternLayout(options.timeFormat, timeZone) : detect(cells, options);
  const n = cells.length;
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cell = cells[i];
    const value = isEmpty(cell) ? NaN : layout.read(cell);
    if (!Number.isFinite(value)) {
      const problem = isEmpty(cell)
        ? 'the timestamp is empty'
        : `${show(cell)} is not a valid timestamp in the format ${options.timeFormat !== undefined ? 'given' : 'detected from the first rows'} (${layout.name})`;
      throw new DataError(problem, location(options, i + 1));
    }
    time[i] = value;
  }
  if (layout.kind === 'wall' && n > 0) {
    const clock = zoneClock(timeZone);
    for (let i = 0; i < n; i++) {
      const instant = clock.fromWall(time[i]);
      if (Number.isNaN(instant)) {
        throw new DataError(`${show(cells[i])} does not exist in ${timeZone} (the clocks skip it when daylight saving time starts)`, location(options, i + 1));
      }
      time[i] = instant;
    }
  }
  const naive = layout.kind === 'wall';
  return { time, format: naive ? `${layout.name} (naive, read in ${timeZone})` : layout.name, naive };
}
