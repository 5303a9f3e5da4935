/**
 * How the package's declarations name an arquero table (arquero's `ColumnTable`): the methods a
 * forecasting script reads results with. Declared here rather than imported from arquero so that
 * a user's type check (skipLibCheck off) does not load arquero's own declarations, which do not
 * compile under a strict tsconfig (an optional rest parameter in ColumnTable.d.ts). At run time
 * it is an arquero table: cast to `ColumnTable` for the rest of arquero's API.
 */
export interface Table {
  /** Rows in the table. */
  numRows(): number;
  /** Columns in the table. */
  numCols(): number;
  /** Column names, in order. */
  columnNames(): string[];
  /** One value: column `name`, row `row` (default 0). */
  get(name: string, row?: number): unknown;
  /** One column's values. */
  array(name: string): ArrayLike<unknown>;
  /** Rows as plain objects, column name → value. */
  objects(options?: { limit?: number; offset?: number }): object[];
  /** Prints the first rows to the console. */
  print(options?: number | { limit?: number; offset?: number }): unknown;
  /** The table as CSV text (arquero's CSV format options). */
  toCSV(options?: object): string;
}
