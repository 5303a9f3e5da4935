/**
 * The table flags of `forecast` and `backtest`: which file, its layout and column roles, its
 * time zone and frequency. They map one to one onto the loader's options (neuralforecast's
 * `id_col`, `time_col`, `target_col`), so the CLI reads files exactly as `Forecast.fit` does.
 */
import { existsSync, statSync } from 'node:fs';
import { checkTimeZone, formatFrequency, loadPanel, parseFrequency, type LoadOptions, type LoadResult, type Panel } from '../index.ts';
import type { FlagReader } from './args.ts';
import { formatTime } from './outputs.ts';

/** parseArgs options of the table flags. */
export const dataFlags = {
  data: { type: 'string' },
  layout: { type: 'string' },
  'id-col': { type: 'string' },
  'time-col': { type: 'string' },
  target: { type: 'string', multiple: true },
  'time-zone': { type: 'string' },
  frequency: { type: 'string' },
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
                       default: inferred from the most common step`;

/** The table flags as parseArgs returns them. */
export interface DataFlagValues {
  data?: string;
  layout?: string;
  'id-col'?: string;
  'time-col'?: string;
  target?: string[];
  'time-zone'?: string;
  frequency?: string;
}

/** Checks the flags (a missing file, an unknown zone or frequency are usage errors) and builds the loader options. */
export function loadOptions(values: DataFlagValues, flags: FlagReader): { path: string; options: LoadOptions } {
  const path = values.data;
  if (path === undefined) flags.fail('--data FILE is required');
  if (!existsSync(path) || !statSync(path).isFile()) flags.fail(`--data ${path}: no such file`);
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
  return { path, options };
}

/** Reads the file named by the flags. */
export async function readData(values: DataFlagValues, flags: FlagReader): Promise<LoadResult & { path: string; options: LoadOptions }> {
  const { path, options } = loadOptions(values, flags);
  return { ...(await loadPanel(path, options)), path, options };
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
