/**
 * The one error type of the data pipeline: something in the user's data (not in their code) is
 * wrong, and the message says where, in the terms the user sees in their file.
 */

/** Where in a source a problem sits; every field optional, the message names those present. */
export interface DataLocation {
  /** File path or a label for the input ('<string>', 'table'). */
  source?: string;
  /** Column name as written in the header. */
  column?: string;
  /** 1-based data row (the header is not counted): the n-th record of the file. */
  row?: number;
  /**
   * Line of a delimited text file that holds the row (row + 1 when there is one header line);
   * absent for JSON, Arrow and in-memory tables, where lines mean nothing.
   */
  line?: number;
  /** Series id (long layout), for problems inside one series. */
  series?: string;
}

/**
 * A loader option that fixes a problem, kept apart from the message so that a front end with
 * other names for the options (the CLI's flags) can say it in its own terms.
 * - `timeColumn`, `timeFormat`, `frequency`: give that option.
 * - `repair.sort`: `repair: { sort: true }`; `repair.duplicates`: `repair: { duplicates: 'first' | 'last' | 'mean' }`.
 * - `regularize`: `regularize: true`, gaps inserted as missing values (or filled, in the CLI).
 */
export type Remedy = 'timeColumn' | 'timeFormat' | 'frequency' | 'repair.sort' | 'repair.duplicates' | 'regularize';

/** How the library's API spells each remedy (`pass …`). */
const API_REMEDIES: Readonly<Record<Remedy, string>> = {
  timeColumn: 'timeColumn',
  timeFormat: "timeFormat, a date-fns pattern such as 'dd.MM.yyyy HH:mm'",
  frequency: "frequency (e.g. 'h', '15min', 'D')",
  'repair.sort': 'repair: { sort: true } to sort them',
  'repair.duplicates': "repair: { duplicates: 'first' | 'last' | 'mean' } to merge them",
  regularize: 'regularize: true to insert the missing timestamps as missing values (windows that hold one are skipped; fillPanel fills them)',
};

/**
 * A problem in the data: a bad timestamp, a non-numeric value, duplicated or unsorted rows, a
 * missing column. `row` is the 1-based data row as the user counts records in the file.
 */
export class DataError extends Error {
  readonly source?: string;
  readonly column?: string;
  readonly row?: number;
  readonly line?: number;
  readonly series?: string;
  /** The problem alone, without the location and the remedy. */
  readonly problem: string;
  /** The option that would fix it, when one would. */
  readonly remedy?: Remedy;

  constructor(problem: string, location: DataLocation = {}, remedy?: Remedy, spell: (remedy: Remedy) => string = (r) => API_REMEDIES[r]) {
    super(formatLocation(location) + problem + (remedy === undefined ? '' : `; pass ${spell(remedy)}`));
    this.name = 'DataError';
    this.problem = problem;
    this.remedy = remedy;
    this.source = location.source;
    this.column = location.column;
    this.row = location.row;
    this.line = location.line;
    this.series = location.series;
  }

  /**
   * The same error with the remedy in a front end's terms, e.g. the CLI's
   * `(r) => ({ timeColumn: '--time-col COL', … })[r]`.
   */
  restate(spell: (remedy: Remedy) => string): DataError {
    const { source, column, row, line, series } = this;
    return new DataError(this.problem, { source, column, row, line, series }, this.remedy, spell);
  }

  /** The same error naming `source` when it names none (thrown by helpers that see one series). */
  from(source: string): DataError {
    if (this.source !== undefined) return this;
    const { column, row, line, series } = this;
    return new DataError(this.problem, { source, column, row, line, series }, this.remedy);
  }
}

/** `ETTh1.csv: series "A", column "OT", data row 5 (line 6): ` — the parts that are known. */
function formatLocation({ source, column, row, line, series }: DataLocation): string {
  const parts: string[] = [];
  if (series !== undefined) parts.push(`series "${series}"`);
  if (column !== undefined) parts.push(`column "${column}"`);
  if (row !== undefined) parts.push(`data row ${row}${line !== undefined ? ` (line ${line})` : ''}`);
  else if (line !== undefined) parts.push(`line ${line}`);
  const where = parts.join(', ');
  const head = [source, where].filter((s) => s !== undefined && s !== '').join(': ');
  return head === '' ? '' : `${head}: `;
}
