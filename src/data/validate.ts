/**
 * Validation and explicit repair of loaded rows: numeric cells, then per series the order of the
 * timestamps and duplicated timestamps. A problem is a DataError naming the data row (1-based,
 * as the user counts records in the file) and column, unless the user asked for the repair, in
 * which case the repair is done and reported: nothing is fixed silently.
 */
import { DataError, type DataLocation } from './data-error.ts';

/** Repairs the user may ask for; anything not asked for is an error instead. */
export interface RepairOptions {
  /** Sort rows by time within each series (stable, so file order breaks ties). */
  sort?: true;
  /**
   * Merge rows with the same timestamp in a series: keep the first or last row of the group (in
   * file order, the whole row), or average each channel over its observed values.
   */
  duplicates?: 'first' | 'last' | 'mean';
}

/** One repair that was made, for the caller to log or show. */
export interface Repair {
  kind: 'sort' | 'duplicates' | 'regularize';
  series: string;
  /** Rows moved (sort), timestamps merged (duplicates) or rows inserted (regularize). */
  count: number;
  /** E.g. `series "A": sorted 3 out-of-order rows`. */
  message: string;
}

/**
 * Cells read as missing: empty, null, NaN, and the usual spellings of "not available" (pandas'
 * default na_values). Never zero.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', '-nan', 'NULL', 'null', 'None', '#N/A', 'n/a'];

/** Context for numeric parsing messages. */
export interface CellContext extends Pick<DataLocation, 'source'> {
  column: string;
  /** Line of data row 1 minus 1 in delimited text; absent for JSON/Arrow/tables. */
  lineOffset?: number;
  /** Cells read as missing (default MISSING_TOKENS). */
  missingValues?: readonly string[];
}

/** The largest float32, 3.4028234663852886e38: values beyond it become ±Infinity in the engine. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Parses one column of cells (strings from CSV, numbers from JSON/Arrow) to float32, NaN where
 * missing. A cell that is neither a finite number nor a missing token, or whose magnitude is
 * beyond float32's range (the engine computes in float32), is a DataError naming the row and
 * column.
 */
export function parseNumericColumn(cells: ArrayLike<unknown>, context: CellContext): Float32Array {
  const missing = new Set(context.missingValues ?? MISSING_TOKENS);
  const out = new Float32Array(cells.length);
  const cellError = (i: number, problem: string): DataError => {
    const cell = cells[i];
    const row = i + 1;
    return new DataError(`${typeof cell === 'string' ? `"${cell}"` : String(cell)} ${problem}`, {
      source: context.source,
      column: context.column,
      row,
      line: context.lineOffset === undefined ? undefined : row + context.lineOffset,
    });
  };
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    let value = NaN;
    if (typeof cell === 'number') value = cell;
    else if (typeof cell === 'bigint') value = Number(cell);
    else if (typeof cell === 'string') {
      // Number() ignores surrounding blanks but reads a blank cell as 0: only 0 needs the check.
      value = Number(cell);
      if (value === 0 && cell.trim() === '') value = NaN;
      else if (Number.isNaN(value) && !missing.has(cell.trim())) value = Infinity; // not a number: reported below
    } else if (cell !== null && cell !== undefined) value = Infinity;
    if (value === Infinity || value === -Infinity) throw cellError(i, 'is not a finite number (empty cells, NaN and NA are read as missing)');
    out[i] = value;
    // 1e39 is finite in float64 but Infinity once stored: a NaN forecast later, so refuse it here.
    if (!Number.isFinite(out[i]) && !Number.isNaN(value)) {
      throw cellError(
        i,
        `is beyond float32's range (±${FLOAT32_MAX.toPrecision(8)}), in which the engine computes; rescale the column (divide it by a power of ten)`,
      );
    }
  }
  return out;
}

/** Rows of one series before validation: times, values [T, W] and the file's data row numbers. */
export interface RawRows {
  id: string;
  time: Float64Array;
  /** Row-major [T, width]; NaN where missing. */
  values: Float32Array;
  /** 1-based data row of each entry in the source. */
  rows: Int32Array;
}

export interface OrderOptions {
  repair?: RepairOptions;
  source?: string;
  /** Time column name, for messages. */
  timeColumn?: string;
  lineOffset?: number;
  /** Zone naive timestamps were read in; a repeated wall time there explains a duplicate. */
  timeZone?: string;
  /** True when the timestamps were naive (explains duplicates at a fall-back change). */
  naive?: boolean;
  /** Whether the series id is worth naming (long layout). */
  nameSeries?: boolean;
}

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * Checks that the timestamps of one series strictly increase; sorts and merges duplicates when
 * asked (`repair`), reporting what was done. Returns new arrays; the input is not modified.
 */
export function orderRows(raw: RawRows, width: number, options: OrderOptions = {}): { rows: RawRows; repairs: Repair[] } {
  const { repair = {} } = options;
  const label = options.nameSeries === false ? '' : `series "${raw.id}": `;
  const where = (index: number, data: RawRows): DataLocation => ({
    source: options.source,
    series: options.nameSeries === false ? undefined : raw.id,
    column: options.timeColumn,
    row: data.rows[index],
    line: options.lineOffset === undefined ? undefined : data.rows[index] + options.lineOffset,
  });
  const repairs: Repair[] = [];
  let data = raw;

  let outOfOrder = 0;
  let latest = 0;
  for (let i = 1; i < data.time.length; i++) {
    if (data.time[i] >= data.time[latest]) {
      latest = i;
      continue;
    }
    if (!repair.sort) {
      throw new DataError(
        `timestamp ${iso(data.time[i])} is earlier than ${iso(data.time[latest])} in data row ${data.rows[latest]}: rows must be in increasing time`,
        where(i, data),
        'repair.sort',
      );
    }
    outOfOrder++;
  }
  if (outOfOrder > 0) {
    data = permute(data, width, stableOrder(data.time));
    repairs.push({ kind: 'sort', series: raw.id, count: outOfOrder, message: `${label}sorted ${outOfOrder} out-of-order row${outOfOrder === 1 ? '' : 's'}` });
  }

  let groups = 0;
  for (let i = 1; i < data.time.length; i++) {
    if (data.time[i] !== data.time[i - 1]) continue;
    if (!repair.duplicates) {
      const hint =
        options.naive && options.timeZone && options.timeZone !== 'UTC'
          ? ` (naive wall times repeat when ${options.timeZone} falls back from daylight saving time; give timestamps with offsets)`
          : '';
      throw new DataError(`duplicated timestamp ${iso(data.time[i])}, also in data row ${data.rows[i - 1]}${hint}`, where(i, data), 'repair.duplicates');
    }
    if (i === 1 || data.time[i - 1] !== data.time[i - 2]) groups++;
  }
  if (groups > 0) {
    data = mergeDuplicates(data, width, repair.duplicates!);
    repairs.push({
      kind: 'duplicates',
      series: raw.id,
      count: groups,
      message: `${label}merged ${groups} duplicated timestamp${groups === 1 ? '' : 's'} (${repair.duplicates})`,
    });
  }
  return { rows: data, repairs };
}

/** Indices that sort `time` ascending, ties in original order. */
function stableOrder(time: Float64Array): Int32Array {
  const order = Int32Array.from({ length: time.length }, (_, i) => i);
  // TypedArray sort is not guaranteed stable for custom comparators; compare indices on ties.
  return order.sort((a, b) => time[a] - time[b] || a - b);
}

function permute(data: RawRows, width: number, order: Int32Array): RawRows {
  const n = order.length;
  const time = new Float64Array(n);
  const rows = new Int32Array(n);
  const values = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const j = order[i];
    time[i] = data.time[j];
    rows[i] = data.rows[j];
    values.set(data.values.subarray(j * width, (j + 1) * width), i * width);
  }
  return { id: data.id, time, values, rows };
}

/** Collapses runs of equal (adjacent, since sorted) timestamps into one row each. */
function mergeDuplicates(data: RawRows, width: number, how: 'first' | 'last' | 'mean'): RawRows {
  const n = data.time.length;
  const time: number[] = [];
  const rows: number[] = [];
  const values: number[] = [];
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && data.time[end] === data.time[start]) end++;
    const keep = how === 'last' ? end - 1 : start;
    time.push(data.time[start]);
    rows.push(data.rows[keep]);
    for (let c = 0; c < width; c++) {
      if (how !== 'mean') {
        values.push(data.values[keep * width + c]);
        continue;
      }
      let sum = 0;
      let count = 0;
      for (let r = start; r < end; r++) {
        const v = data.values[r * width + c];
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      values.push(count > 0 ? sum / count : NaN);
    }
    start = end;
  }
  return { id: data.id, time: Float64Array.from(time), values: Float32Array.from(values), rows: Int32Array.from(rows) };
}

/** The mask of a values array: 1 where observed, 0 where NaN. */
export function maskOf(values: Float32Array): Uint8Array {
  const mask = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) mask[i] = Number.isNaN(values[i]) ? 0 : 1;
  return mask;
}
