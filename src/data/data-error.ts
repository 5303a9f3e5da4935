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
 * A problem in the data: a bad timestamp, a non-numeric value, duplicated or unsorted rows, a
 * missing column. `row` is the 1-based data row as the user counts records in the file.
 */
export class DataError extends Error {
  readonly source?: string;
  readonly column?: string;
  readonly row?: number;
  readonly line?: number;
  readonly series?: string;

  constructor(problem: string, location: DataLocation = {}) {
    super(formatLocation(location) + problem);
    this.name = 'DataError';
    this.source = location.source;
    this.column = location.column;
    this.row = location.row;
    this.line = location.line;
    this.series = location.series;
  }
}

/** `ETTh1.csv: series "A", column "OT", data row 5 (line 6): ` — the parts that are known. */
function formatLocation({ source, column, row, line, series }: DataLocation): string {
  const parts: string[] = [];
  if (series !== undefined) parts.push(`series "${series}"`);
  if (column !== undefined) parts.push(`column "${column}"`);
  if (row !== undefined) parts.push(`data row ${row}` + (line !== undefined ? ` (line ${line})` : ''));
  const where = parts.join(', ');
  const head = [source, where].filter((s) => s !== undefined && s !== '').join(': ');
  return head === '' ? '' : `${head}: `;
}
