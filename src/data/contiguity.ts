/**
 * The check that a panel's rows are consecutive steps of its frequency before anything trains
 * on it. A window is a run of rows: across a gap (missing timestamps) it would join the rows on
 * either side as if they were adjacent, and an off-grid timestamp (05:30 in an hourly series)
 * has no step at all. Both are errors here, never stitched over; the remedies are an explicit
 * regularisation (gaps become missing values, reported) or the right frequency.
 */
import { DataError } from './data-error.ts';
import { formatFrequency } from './frequency.ts';
import { frequencyReport, type FrequencyReport } from './grid.ts';
import type { Panel } from './types.ts';

/** Epoch ms as `2024-01-01` (midnight) or `2024-01-01 13:00` (UTC). */
function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Throws a DataError naming `source` when a series of `panel` has off-grid timestamps or gaps.
 * `reports[i]` is series i's frequency report (the loader's); computed here when absent.
 */
export function checkContiguous(panel: Panel, source: string, reports?: readonly FrequencyReport[]): void {
  const all = reports ?? panel.series.map((s) => frequencyReport(s.time, panel.frequency, panel.timeZone));
  const frequency = formatFrequency(panel.frequency);
  const inSeries = (i: number) => (panel.series.length > 1 ? ` in series "${panel.series[i]!.id}"` : '');

  const irregular = all.findIndex((report) => report.irregular);
  if (irregular >= 0) {
    const count = all.reduce((sum, report) => sum + report.offGrid.length, 0);
    const first = all[irregular]!.offGrid[0]!;
    throw new DataError(
      `${plural(count, 'timestamp')} ${count === 1 ? 'is' : 'are'} off the ${frequency} grid, the first ${formatInstant(first)}${inSeries(irregular)}; resample the data to one frequency`,
      { source },
      'frequency',
    );
  }

  const gapped = all.findIndex((report) => report.gaps.length > 0);
  if (gapped < 0) return;
  const steps = all.reduce((sum, report) => sum + report.missingSteps, 0);
  const gaps = all.reduce((sum, report) => sum + report.gaps.length, 0);
  const first = all[gapped]!.gaps[0]!;
  throw new DataError(
    `${plural(steps, 'timestamp')} missing from the ${frequency} grid in ${plural(gaps, 'gap')}, the first${inSeries(gapped)} ` +
      `of ${plural(first.missingSteps, 'step')} after ${formatInstant(first.after)}; models would join the rows on either side of a gap`,
    { source },
    'regularize',
  );
}
