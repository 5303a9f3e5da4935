/**
 * The output folder of `forecast`, `backtest` and `demo`: created on demand, files written
 * whole, and paths printed relative to the working directory so they can be opened as shown.
 */
import { access, constants, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeReport, type Report, type Table } from '../index.ts';
import type { FlagReader } from './args.ts';

/** Default output folder (git-ignored in this repository). */
export const defaultOutDir = 'chronoscale-out';

/**
 * Makes sure the output folder can be written before any model is fitted: an existing file in
 * its place, a file on its path or a read-only folder is a usage error naming `--out`. The
 * folder is created (empty) when missing.
 */
export async function prepareOutDir(dir: string, flags: FlagReader): Promise<void> {
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory()) flags.fail(`--out ${dir} is an existing file; give a folder for the output files`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a file stands on its path'
        : code === 'EACCES' || code === 'EPERM'
          ? 'it is not writable'
          : (error as Error).message;
    flags.fail(`--out ${dir} cannot be used as the output folder (${why})`);
  }
}

/** Writes text files and the HTML report into `dir`; returns the written paths as the user should type them. */
export async function writeOutputs(dir: string, files: Readonly<Record<string, string>>, report?: Report): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(dir, name), text);
    written.push(path.join(dir, name));
  }
  if (report) {
    await writeReport(path.join(dir, 'report.html'), report);
    written.push(path.join(dir, 'report.html'));
  }
  return written.map(displayPath);
}

/** A path relative to the working directory when it is inside it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

/** A time as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (UTC), whichever the data need. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/**
 * The shortest decimal that reads back as the same float32: forecasts are float32, and their
 * float64 expansion (7.568999767303467 for 7.569) is noise in a CSV.
 */
export function float32Text(value: number): number {
  if (!Number.isFinite(value) || Math.fround(value) !== value) return value;
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return value;
}

/**
 * A table as CSV: float32 values in their shortest form, and one timestamp format per file:
 * dates alone when every time is a UTC midnight, else ISO 8601 in UTC (`2024-01-01T05:00:00Z`).
 * arquero's default writes midnights as dates and other times as ISO, mixing formats in one column.
 */
export function csvText(table: Table): string {
  const columns = table.columnNames();
  const dateColumns = columns.filter((c) => table.numRows() > 0 && table.get(c, 0) instanceof Date);
  const daily = dateColumns.every((c) => Array.from(table.array(c) as ArrayLike<Date>).every((d) => d.getTime() % 86_400_000 === 0));
  const time = (d: Date) => (daily ? d.toISOString().slice(0, 10) : `${d.toISOString().slice(0, 19)}Z`);
  const number = (v: unknown) => (typeof v === 'number' ? float32Text(v) : v);
  return table.toCSV({ format: Object.fromEntries(columns.map((c) => [c, dateColumns.includes(c) ? time : number])) });
}
