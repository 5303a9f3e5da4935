/**
 * The table flags of `forecast` and `backtest`: which file, its layout and column roles, its
 * time zone and frequency, the repairs and fills the user allows. They map one to one onto the
 * loader's options (neuralforecast's `id_col`, `time_col`, `target_col`), so the CLI reads files
 * exactly as `Forecast.fit` does; the loader's errors are restated with these flags' names.
 */
import { existsSync, statSync } from 'node:fs';
import {
  DataError,
  checkContiguous,
  checkTimeZone,
  fillPanel,
  formatFrequency,
  loadPanel,
  parseFrequency,
  type FillStrategy,
  type LoadOptions,
  type LoadResult,
  type Panel,
  type Remedy,
  type RepairOptions,
} from '../index.ts';
import type { FlagReader } from './args.ts';
import { formatTime } from './outputs.ts';

const fillStrategies = ['linear', 'forward', 'backward', 'zero', 'mean', 'none'] as const satisfies readonly FillStrategy[];
const repairChoices = ['sort', 'duplicates=first', 'duplicates=last', 'duplicates=mean'] as const;

/** The flags that do what the loader's remedies ask for: `error.restate((r) => flagRemedies[r])`. */
export const flagRemedies: Readonly<Record<Remedy, string>> = {
  timeColumn: '--time-col COL',
  timeFormat: "--time-format PATTERN, a date-fns pattern such as 'dd.MM.yyyy HH:mm'",
  frequency: '--frequency F (e.g. h, 15min, D)',
  'repair.sort': '--repair sort to sort them',
  'repair.duplicates': '--repair duplicates=first|last|mean to merge them',
  regularize: '--fill linear (or forward, backward, zero, mean, none) to insert and fill them',
};

/** parseArgs options of the table flags. */
export const dataFlags = {
  data: { type: 'string' },
  layout: { type: 'string' },
  'id-col': { type: 'string' },
  'time-col': { type: 'string' },
  target: { type: 'string', multiple: true },
  'time-zone': { type: 'string' },
  frequency: { type: 'string' },
  'time-format': { type: 'string' },
  repair: { type: 'string', multiple: true },
  fill: { type: 'string' },
} as const;

export const dataHelp = `Data:
  --data FILE          CSV, TSV, JSON, NDJSON or Arrow file, optionally gzipped (required)
  --layout long|wide   long: one row per series and time (unique_id, ds, y); wide: a time
                       column and one column per channel (default: long if the id column exists)
  --id-col COL         series id column of a long table (default unique_id)
  --time-col COL       time column (default ds for long; date, ds, timestamp or time for wide)
  --target COL         target column(s), repeat or comma-separate for several channels
                       (default y for long; every other column for wide)
  --time-zone ZONE     IANA zone of timestamps without an offset (default UTC)
  --frequency F        ms, s, min, h, D, W, M, Q, Y or B with an optional multiple (15min);
                       default: inferred from the most common step
  --time-format P      date-fns pattern of the timestamps (default: detected; T: epoch ms)
  --repair WHAT        repair instead of failing, and report what was done: sort (rows out
                       of time order), duplicates=first|last|mean (rows with one timestamp);
                       repeat or comma-separate for both
  --fill STRATEGY      insert the timestamps missing from a series' grid (gaps) and fill them
                       and empty cells: linear, forward, backward, zero, mean, or none (left
                       missing: models skip windows that hold them). Without it, gaps are an
                       error: training would join the rows on either side of a gap`;

/** The table flags as parseArgs returns them. */
export interface DataFlagValues {
  data?: string;
  layout?: string;
  'id-col'?: string;
  'time-col'?: string;
  target?: string[];
  'time-zone'?: string;
  frequency?: string;
  'time-format'?: string;
  repair?: string[];
  fill?: string;
}

/** Checks the flags (a missing file, an unknown zone or frequency are usage errors) and builds the loader options. */
export function loadOptions(values: DataFlagValues, flags: FlagReader): { path: string; options: LoadOptions } {
  const path = values.data;
  if (path === undefined) flags.fail('--data FILE is required');
  if (!existsSync(path)) flags.fail(`--data ${path}: no such file`);
  if (statSync(path).isDirectory()) flags.fail(`--data ${path} is a directory; give a data file in it`);
  if (!statSync(path).isFile()) flags.fail(`--data ${path} is not a regular file`);
  const options: LoadOptions = {};
  options.layout = flags.choice('layout', values.layout, ['long', 'wide'] as const);
  if (values['id-col'] !== undefined) options.idColumn = values['id-col'];
  if (values['time-col'] !== undefined) options.timeColumn = values['time-col'];
  if (values.target !== undefined) {
    // The layout may only be known once the file is read: give both, the loader uses the one that applies.
    options.targetColumns = flags.list(values.target);
    options.channels = options.targetColumns;
  }
  if (values['time-zone'] !== undefined) {
    try {
      checkTimeZone(values['time-zone']);
    } catch (error) {
      flags.fail(`--time-zone: ${(error as Error).message}`);
    }
    options.timeZone = values['time-zone'];
  }
  if (values.frequency !== undefined) {
    try {
      options.frequency = parseFrequency(values.frequency);
    } catch (error) {
      flags.fail(`--frequency: ${(error as Error).message}`);
    }
  }
  if (values['time-format'] !== undefined) options.timeFormat = values['time-format'];
  if (values.repair !== undefined) options.repair = repairOptions(values.repair, flags);
  return { path, options };
}

/** `--repair sort,duplicates=mean` → `{ sort: true, duplicates: 'mean' }` (bench lstf takes the same flag). */
export function repairOptions(values: readonly string[], flags: FlagReader): RepairOptions {
  const repair: RepairOptions = {};
  for (const item of flags.list(values)) {
    const choice = flags.choice('repair', item, repairChoices)!;
    if (choice === 'sort') repair.sort = true;
    else repair.duplicates = choice.slice('duplicates='.length) as RepairOptions['duplicates'];
  }
  return repair;
}

/** The data as read by the flags, and the lines to print about repairs and fills made. */
export interface ReadData extends LoadResult {
  path: string;
  options: LoadOptions;
  /** What was repaired or filled, one line each (empty when nothing was). */
  notes: string[];
}

/**
 * Reads the file named by the flags. Gaps in a series are an error unless `--fill` says how to
 * fill them; repairs and fills made are returned as notes to print.
 */
export async function readData(values: DataFlagValues, flags: FlagReader): Promise<ReadData> {
  const { path, options } = loadOptions(values, flags);
  const fill = flags.choice('fill', values.fill, fillStrategies);
  let loaded: LoadResult;
  try {
    loaded = await loadPanel(path, { ...options, regularize: fill !== undefined });
  } catch (error) {
    throw error instanceof DataError ? error.restate((remedy) => flagRemedies[remedy]) : error;
  }
  const notes = loaded.repairs.map((r) => r.message);
  if (fill === undefined) {
    try {
      checkContiguous(loaded.panel, path, loaded.reports);
    } catch (error) {
      throw error instanceof DataError ? error.restate((remedy) => flagRemedies[remedy]) : error;
    }
  } else {
    const missing = loaded.panel.series.reduce((sum, s) => sum + s.mask.reduce((n, m) => n + (m === 0 ? 1 : 0), 0), 0);
    if (missing > 0 && fill !== 'none') {
      loaded = { ...loaded, panel: fillPanel(loaded.panel, fill) };
      notes.push(`filled ${missing.toLocaleString('en-US')} missing value${missing === 1 ? '' : 's'} (${fill})`);
    } else if (missing > 0)
      notes.push(`left ${missing.toLocaleString('en-US')} missing value${missing === 1 ? '' : 's'} missing (--fill none): windows that hold one are skipped`);
  }
  return { ...loaded, path, options, notes };
}

/** One line about the data: source, series, channels, frequency, length and span. */
export function describeData(path: string, panel: Panel): string {
  const lengths = panel.series.map((s) => s.time.length);
  const [shortest, longest] = [Math.min(...lengths), Math.max(...lengths)];
  const first = Math.min(...panel.series.map((s) => s.time[0]));
  const last = Math.max(...panel.series.map((s) => s.time[s.time.length - 1]));
  const names = panel.channels.length <= 4 ? panel.channels.join(', ') : `${panel.channels.slice(0, 3).join(', ')}, …, ${panel.channels.at(-1)}`;
  const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  return [
    `${path}: ${count(panel.series.length, 'series', 'series')} × ${count(panel.channels.length, 'channel')} (${names})`,
    `frequency ${formatFrequency(panel.frequency)}`,
    shortest === longest ? count(shortest, 'step') : `${shortest.toLocaleString('en-US')}–${count(longest, 'step')}`,
    `${formatTime(first)} → ${formatTime(last)}`,
  ].join(', ');
}
