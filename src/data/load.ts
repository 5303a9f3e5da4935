/**
 * Loading panels from CSV, TSV, JSON and Arrow IPC (files, gzip included, or in-memory strings
 * and bytes) through arquero, in long or wide layout.
 *
 * - long (neuralforecast's `unique_id, ds, y`): an id column, a time column, one or more target
 *   columns, optional covariate columns; one series per id, in order of first appearance.
 * - wide (the ETT/TSLib files, `date, HUFL, …, OT`): a time column and one column per channel;
 *   one series.
 *
 * Every cell is read as text (autoType off) and parsed here: timestamps explicitly (parse-time),
 * numbers strictly (a non-number is an error naming row and column, a blank or NA is missing).
 * Then per series: order and duplicates (validate), the frequency (given or inferred) with a gap
 * report, and on request regularisation onto the grid. Covariates are numeric channels kept
 * apart from the targets, aligned row for row with them.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fromArrow, fromCSV, fromJSON, loadArrow, type ColumnTable } from 'arquero';
import { match } from 'ts-pattern';
import type { Table } from './table.ts';
import { DataError } from './data-error.ts';
import { toFrequency } from './frequency.ts';
import { frequencyReport, regularize, type FrequencyReport } from './grid.ts';
import { guessFrequency } from './infer-frequency.ts';
import { parseTimes } from './parse-time.ts';
import { checkFieldCounts, checkNotEmpty, decodeText } from './text-checks.ts';
import { checkTimeZone } from './time-zone.ts';
import type { Frequency, Panel, Series } from './types.ts';
import { maskOf, orderRows, parseNumericColumn, type RawRows, type Repair, type RepairOptions } from './validate.ts';

export type LoadFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'arrow';
export type Layout = 'long' | 'wide';

/** How to read a table into a panel. Column names are case-sensitive, as in the header. */
export interface PanelOptions {
  /** Default: 'long' when the table has `idColumn`, else 'wide'. */
  layout?: Layout;
  /** Long layout: series id column (default 'unique_id'). Without one, the table is one series. */
  idColumn?: string;
  /** Default 'ds' (long); 'date', 'ds', 'timestamp' or 'time', whichever exists (wide). */
  timeColumn?: string;
  /** Long layout: target column(s) (default 'y'); several make a multivariate series. */
  targetColumns?: string | readonly string[];
  /** Numeric covariate columns, returned in `covariates`, not in the panel's channels. */
  covariateColumns?: readonly string[];
  /** Wide layout: channel columns (default: every column but the time and covariate columns). */
  channels?: readonly string[];
  /** Series id of a one-series table (default: the file name without extensions, or 'series'). */
  id?: string;
  /** IANA zone of naive timestamps, kept in the panel for calendar features (default 'UTC'). */
  timeZone?: string;
  /** A date-fns pattern for the time column, replacing detection (`'T'`: epoch ms, `'t'`: seconds). */
  timeFormat?: string;
  /** The frequency (alias or object); inferred from the most common step when absent. */
  frequency?: Frequency | string;
  /** Repairs to make (and report) instead of failing on unsorted or duplicated timestamps. */
  repair?: RepairOptions;
  /** Insert missing grid timestamps as missing rows (NaN, mask 0), reported as a repair. */
  regularize?: boolean;
  /** Cells read as missing (default MISSING_TOKENS from validate). */
  missingValues?: readonly string[];
  /** Name of the input in messages (default: the path, or '<string>'). */
  source?: string;
}

export interface LoadOptions extends PanelOptions {
  /** Default: from the file extension (after a .gz), else sniffed (Arrow magic or text as CSV). */
  format?: LoadFormat;
}

/** Covariate channels of each panel series, same order and same rows as the targets. */
export interface Covariates {
  channels: string[];
  /** series[i] belongs to panel.series[i] and shares its `time` array. */
  series: Series[];
}

export interface LoadResult {
  panel: Panel;
  covariates: Covariates | null;
  /** Repairs made (only those asked for), with messages for a log. */
  repairs: Repair[];
  /** Gaps and off-grid timestamps of each series (reports[i] is panel.series[i]'s). */
  reports: FrequencyReport[];
  /** The timestamp format detected (or given), e.g. `YYYY-MM-DD HH:MM:SS (naive, read in UTC)`. */
  timeFormat: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ARROW_FILE_MAGIC = 'ARROW1';

function formatFromName(name: string): LoadFormat | undefined {
  const ext = name.toLowerCase().replace(/\.gz$/, '').split('.').pop();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'json') return 'json';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'arrow' || ext === 'feather' || ext === 'ipc' || ext === 'arrows') return 'arrow';
  return undefined;
}

/** `…/ETTm1.csv.gz` → `ETTm1`. */
const stem = (path: string): string => basename(path).replace(/\..*$/, '');

const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
const isArrow = (bytes: Uint8Array): boolean =>
  new TextDecoder().decode(bytes.subarray(0, 6)) === ARROW_FILE_MAGIC ||
  (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff);

/**
 * Loads a panel from a file: CSV, TSV, JSON (rows or columns), NDJSON or Arrow IPC, gzip
 * compressed or not (sniffed from the first bytes). See PanelOptions for the layouts.
 *
 * @example const { panel } = await loadPanel('../shared/data/forecasting/ETTh1.csv') // wide, 7 channels, 'h'
 */
export async function loadPanel(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const head = new Uint8Array(8);
  let file;
  try {
    if ((await stat(path)).isDirectory()) throw new Error('it is a directory, not a file');
    file = await open(path);
    await file.read(head, 0, 8, 0);
  } catch (error) {
    throw new DataError(`cannot read the file (${(error as Error).message})`, { source: path });
  } finally {
    await file?.close();
  }
  const decompress = isGzip(head) ? 'gzip' : null;
  const format = options.format ?? formatFromName(path) ?? (decompress === null && isArrow(head) ? 'arrow' : 'csv');
  const source = options.source ?? path;
  if (format === 'arrow') {
    const table = await readTable(format, () => loadArrow(path, { decompress }), source);
    return tableToPanel(table, { ...options, id: options.id ?? stem(path), source });
  }
  // Text formats are read whole here (as arquero's loaders would) to check them before parsing.
  let bytes: Uint8Array = await readFile(path);
  if (decompress) bytes = gunzip(bytes, source);
  return parseText(decodeText(bytes, source), format, { ...options, id: options.id ?? stem(path), source });
}

/**
 * Reads a panel from file contents in memory: text (CSV by default, or `format`) or bytes
 * (Arrow IPC, or gzip of any format).
 */
export function parsePanel(input: string | Uint8Array | ArrayBuffer, options: LoadOptions = {}): LoadResult {
  let data: string | Uint8Array = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  const source = options.source ?? '<string>';
  if (typeof data !== 'string' && isGzip(data)) data = gunzip(data, source);
  const bytes = typeof data === 'string' ? null : data;
  const format = options.format ?? (bytes && isArrow(bytes) ? 'arrow' : 'csv');
  if (format === 'arrow') {
    if (!bytes) throw new DataError('Arrow IPC input must be bytes (Uint8Array), not a string', { source });
    return tableToPanel(
      readTableSync(format, () => fromArrow(bytes), source),
      { ...options, source },
    );
  }
  return parseText(typeof data === 'string' ? data : decodeText(data, source), format, { ...options, source });
}

/** Gzip-compressed bytes inflated; a damaged stream (a cut download) is a DataError naming the source. */
function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new DataError(`cannot decompress it as gzip (${(error as Error).message}); is the file complete?`, { source });
  }
}

/** A text table: checked (not empty, one field per column in every row), parsed, then read into a panel. */
function parseText(text: string, format: Exclude<LoadFormat, 'arrow'>, options: PanelOptions & { source: string }): LoadResult {
  const { source } = options;
  checkNotEmpty(text, source);
  const delimited = format === 'csv' || format === 'tsv';
  if (delimited) checkFieldCounts(text, format === 'tsv' ? '\t' : ',', source);
  const table = readTableSync(
    format,
    () =>
      match(format)
        .with('csv', () => fromCSV(text, { autoType: false }))
        .with('tsv', () => fromCSV(text, { autoType: false, delimiter: '\t' }))
        .with('json', () => {
          // arquero fails on an empty array with a TypeError about `undefined`.
          if (/^\s*\[\s*\]\s*$/.test(text)) throw new DataError('the JSON array holds no rows', { source });
          return fromJSON(text, { autoType: false });
        })
        .with('ndjson', () => fromJSON(text, { autoType: false, type: 'ndjson' }))
        .exhaustive(),
    source,
  );
  return tableToPanel(table, { ...options, lineOffset: delimited ? 1 : undefined });
}

async function readTable(format: LoadFormat, read: () => Promise<ColumnTable>, source: string): Promise<ColumnTable> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read as ${format} (${(error as Error).message})`, { source });
  }
}

function readTableSync(format: LoadFormat, read: () => ColumnTable, source: string): ColumnTable {
  try {
    return read();
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read as ${format} (${(error as Error).message})`, { source });
  }
}

/** Column roles after resolving the layout and defaults. */
interface Columns {
  id: string | null;
  time: string;
  targets: string[];
  covariates: string[];
}

function resolveColumns(names: string[], options: PanelOptions, source: string): Columns {
  const has = (name: string) => names.includes(name);
  const idColumn = options.idColumn ?? 'unique_id';
  const layout = options.layout ?? (has(idColumn) ? 'long' : 'wide');
  const covariates = [...(options.covariateColumns ?? [])];
  let columns: Columns;
  if (layout === 'long') {
    const targets =
      options.targetColumns === undefined ? ['y'] : typeof options.targetColumns === 'string' ? [options.targetColumns] : [...options.targetColumns];
    // An explicitly named id column must exist; the default may be absent (one series).
    const id = has(idColumn) || options.idColumn !== undefined ? idColumn : null;
    columns = { id, time: options.timeColumn ?? 'ds', targets, covariates };
  } else {
    const time = options.timeColumn ?? ['date', 'ds', 'timestamp', 'time'].find(has);
    if (time === undefined) throw new DataError(`no time column among ${names.join(', ')}`, { source }, 'timeColumn');
    const targets = options.channels ? [...options.channels] : names.filter((n) => n !== time && !covariates.includes(n));
    columns = { id: null, time, targets, covariates };
  }
  for (const name of [columns.id, columns.time, ...columns.targets, ...columns.covariates]) {
    if (name !== null && !has(name)) throw new DataError(`column "${name}" not found (columns: ${names.join(', ')})`, { source });
  }
  if (columns.targets.length === 0) throw new DataError('no target columns', { source });
  const overlap = columns.covariates.find((c) => columns.targets.includes(c) || c === columns.time || c === columns.id);
  if (overlap !== undefined) throw new DataError(`column "${overlap}" is both a covariate and another role`, { source });
  return columns;
}

/**
 * Converts an arquero table (any columns, any types: strings are parsed, numbers and Dates taken
 * as they are) to a panel: the forecaster interface's entry point for tables built in memory.
 * Beware tables made with arquero's autoType, whose date-times without offset are local time.
 */
export function tableToPanel(input: Table, options: PanelOptions & { lineOffset?: number } = {}): LoadResult {
  // The declared Table is arquero's ColumnTable at run time (see table.ts).
  const table = input as ColumnTable;
  const source = options.source ?? 'table';
  const timeZone = options.timeZone ?? 'UTC';
  checkTimeZone(timeZone);
  const columns = resolveColumns(table.columnNames(), options, source);
  const { lineOffset } = options;
  const n = table.numRows();
  if (n === 0) throw new DataError(`the table has a header (${table.columnNames().join(', ')}) but no data rows`, { source });

  const parsed = parseTimes(table.array(columns.time), { column: columns.time, timeZone, timeFormat: options.timeFormat, source, lineOffset });
  const numeric = [...columns.targets, ...columns.covariates].map((column) =>
    parseNumericColumn(table.array(column), { column, source, lineOffset, missingValues: options.missingValues }),
  );
  const width = numeric.length;
  const C = columns.targets.length;

  // Rows of each series, ids in order of first appearance.
  const groups = new Map<string, number[]>();
  const ids = columns.id === null ? null : table.array(columns.id);
  for (let r = 0; r < n; r++) {
    let key = options.id ?? 'series';
    if (ids) {
      const cell = ids[r];
      if (cell === null || cell === undefined || String(cell).trim() === '') {
        throw new DataError('the series id is empty', {
          source,
          column: columns.id!,
          row: r + 1,
          line: lineOffset === undefined ? undefined : r + 1 + lineOffset,
        });
      }
      key = String(cell);
    }
    let rows = groups.get(key);
    if (!rows) groups.set(key, (rows = []));
    rows.push(r);
  }

  const repairs: Repair[] = [];
  const targets: Series[] = [];
  const covariates: Series[] = [];
  for (const [id, rows] of groups) {
    const raw: RawRows = {
      id,
      time: Float64Array.from(rows, (r) => parsed.time[r]),
      values: new Float32Array(rows.length * width),
      rows: Int32Array.from(rows, (r) => r + 1),
    };
    rows.forEach((r, i) => numeric.forEach((col, k) => (raw.values[i * width + k] = col[r])));
    const ordered = orderRows(raw, width, {
      repair: options.repair,
      source,
      timeColumn: columns.time,
      lineOffset,
      timeZone,
      naive: parsed.naive,
      nameSeries: ids !== null,
    });
    repairs.push(...ordered.repairs);
    const [target, covariate] = splitWidth(ordered.rows, C, width);
    targets.push(target);
    covariates.push(covariate);
  }

  // The helpers below see series, not files: name the file in what they throw.
  const located = <T>(step: () => T): T => {
    try {
      return step();
    } catch (error) {
      throw error instanceof DataError ? error.from(source) : error;
    }
  };
  const frequency = located(() =>
    options.frequency !== undefined
      ? toFrequency(options.frequency)
      : guessFrequency(
          targets.map((s) => s.time),
          timeZone,
        ),
  );
  if (options.regularize) {
    targets.forEach((s, i) => {
      const filled = located(() => regularize(s, C, frequency, timeZone));
      if (filled.inserted === 0) return;
      targets[i] = filled.series;
      covariates[i] = { ...regularize(covariates[i], width - C, frequency, timeZone).series, time: filled.series.time };
      const label = ids ? `series "${s.id}": ` : '';
      repairs.push({
        kind: 'regularize',
        series: s.id,
        count: filled.inserted,
        message: `${label}inserted ${filled.inserted} missing timestamp${filled.inserted === 1 ? '' : 's'} as missing values`,
      });
    });
  }
  const reports = targets.map((s) => frequencyReport(s.time, frequency, timeZone));
  return {
    panel: { series: targets, channels: columns.targets, frequency, timeZone },
    covariates: columns.covariates.length > 0 ? { channels: columns.covariates, series: covariates } : null,
    repairs,
    reports,
    timeFormat: parsed.format,
  };
}

/** Splits validated rows [T, width] into the target series [T, C] and covariates [T, width − C]. */
function splitWidth(rows: RawRows, C: number, width: number): [Series, Series] {
  const T = rows.time.length;
  const K = width - C;
  const target = new Float32Array(T * C);
  const covariate = new Float32Array(T * K);
  for (let t = 0; t < T; t++) {
    target.set(rows.values.subarray(t * width, t * width + C), t * C);
    if (K > 0) covariate.set(rows.values.subarray(t * width + C, (t + 1) * width), t * K);
  }
  return [
    { id: rows.id, time: rows.time, values: target, mask: maskOf(target) },
    { id: rows.id, time: rows.time, values: covariate, mask: maskOf(covariate) },
  ];
}
