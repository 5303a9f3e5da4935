/**
 * How a long-horizon run is shown and kept: a Markdown table (padded, so it reads in a
 * terminal and renders on GitHub), a verdict against the reference, the JSON record
 * (`<name>.json`, replaced by each run) and the Markdown log (`<name>.md`, one table appended
 * per run), named by `resultName`.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LstfRow, LstfRun } from './runner.ts';

/** Agreement expected of a deterministic baseline with its reference (the reference's rounding plus solver noise). */
export const tolerance = 0.005;

const pair = (mse: number, mae: number) => `${mse.toFixed(3)} / ${mae.toFixed(3)}`;
/** A signed difference; one that rounds to zero shows as +0.0000, not −0.0000. */
function signed(x: number, digits = 4): string {
  const rounded = Number(x.toFixed(digits));
  return `${rounded < 0 ? '−' : '+'}${Math.abs(rounded).toFixed(digits)}`;
}

/** Ours minus the counterpart reference, marked ✓ when a deterministic baseline is within tolerance. */
function difference(row: LstfRow): string {
  const ref = row.counterpart;
  if (!ref) return '—';
  const dMse = row.mse - ref.mse;
  const dMae = row.mae - ref.mae;
  const mark = ref.deterministic ? (Math.max(Math.abs(dMse), Math.abs(dMae)) <= tolerance ? ' ✓' : ' ✗') : '';
  return `${signed(dMse)} / ${signed(dMae)}${mark}`;
}

/** A Markdown table with cells padded to column width; numeric-looking columns right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => r[i].length)));
  const pad = (cell: string, i: number) => (rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function trainingCells(row: LstfRow): string[] {
  const t = row.training;
  return t ? [`${t.steps} (${t.stepsPerEpoch})`, t.secondsPerEpoch.toFixed(0)] : ['—', '—'];
}

/**
 * The results table: per horizon our figures, the difference to our counterpart, timings, then
 * every reference; without references (other data), no difference column.
 */
export function resultsTable(run: LstfRun): string {
  // Models trained by gradient steps add their steps (of one epoch's) and the time per epoch.
  const trained = run.rows.some((row) => row.training);
  const compared = run.referenceLabels.length > 0;
  const header = [
    'H',
    'test windows',
    `${run.model} MSE / MAE`,
    ...(compared ? ['Δ vs reference'] : []),
    'train s',
    ...(trained ? ['steps (/epoch)', 's / epoch'] : []),
    'test s',
    ...run.referenceLabels,
  ];
  const rows = run.rows.map((row) => [
    String(row.horizon),
    String(row.testWindows),
    pair(row.mse, row.mae),
    ...(compared ? [difference(row)] : []),
    row.trainSeconds.toFixed(1),
    ...(trained ? trainingCells(row) : []),
    row.testSeconds.toFixed(1),
    ...row.references.map((ref) => (ref ? pair(ref.mse, ref.mae) : '—')),
  ]);
  return markdownTable(
    header,
    rows,
    header.map((name) => name !== 'Δ vs reference'),
  );
}

/** One sentence on how our figures compare with the reference of the same method. */
export function verdict(run: LstfRun): string {
  if (run.referenceNote !== null) return `No reference figures: ${run.referenceNote}.`;
  const checked = run.rows.filter((row) => row.counterpart);
  if (checked.length === 0) return `No reference figure for ${run.model} at ${lookbackText(run)} on ${run.dataset}; compare with the columns above.`;
  const label = checked[0].counterpart!.label;
  if (!checked[0].counterpart!.deterministic) {
    const normal = checked[0].counterpart!.differences ?? 'training noise and drop_last differences';
    return `Against the published ${label}: ${checked.map((r) => `H=${r.horizon} ${signed(r.mse - r.counterpart!.mse, 3)} MSE`).join(', ')} (${normal} make a few thousandths normal).`;
  }
  const off = checked.filter((row) => Math.max(Math.abs(row.mse - row.counterpart!.mse), Math.abs(row.mae - row.counterpart!.mae)) > tolerance);
  return off.length === 0
    ? `Matches the reference ${label} within ±${tolerance} at ${checked.length === 1 ? `H=${checked[0].horizon}` : `all ${checked.length} horizons`}.`
    : `DIFFERS from the reference ${label} by more than ±${tolerance} at H=${off.map((r) => r.horizon).join(', ')}.`;
}

/** Where the reference figures come from, one line per origin: `naive, snaive (period 24): benchmarks.md §2.5 …`, then caveats. */
export function referenceNotes(run: LstfRun): string[] {
  const bySource = new Map<string, Set<string>>();
  const caveats = new Set<string>();
  for (const ref of run.rows.flatMap((row) => row.references)) {
    if (!ref) continue;
    let labels = bySource.get(ref.source);
    if (!labels) bySource.set(ref.source, (labels = new Set()));
    labels.add(ref.detail ? `${ref.label} (${ref.detail})` : ref.label);
    if (ref.note) caveats.add(`${ref.label}: ${ref.note}`);
  }
  return [...[...bySource].map(([source, labels]) => `${[...labels].join(', ')}: ${source}`), ...[...caveats].map((c) => `Note, ${c}`)];
}

/** `split ett-hour (12/4/4 months …): chosen as the file is ETTh1 by its name and its hourly rows`. */
export function splitLine(run: Pick<LstfRun, 'split'>): string {
  return `split ${run.split.label} (${run.split.about}): ${run.split.reason}`;
}

/** `lookback 336`, or `lookback 512 at H=96, 1024 at H=192` where it depends on the horizon (Time-MoE's official contexts). */
export function lookbackText(run: Pick<LstfRun, 'lookback' | 'rows'>): string {
  const lookbacks = new Set(run.rows.map((row) => row.lookback));
  return lookbacks.size <= 1 ? `lookback ${run.lookback}` : `lookback ${run.rows.map((row) => `${row.lookback} at H=${row.horizon}`).join(', ')}`;
}

/** The whole text report: heading, table, verdict, sources. */
export function formatRun(run: LstfRun): string {
  return [
    `${run.dataset} · ${run.model} · ${lookbackText(run)} · ${run.rows.length} horizon${run.rows.length === 1 ? '' : 's'}`,
    `${run.protocol}`,
    splitLine(run),
    `data ${run.file}${run.weights === undefined ? '' : ` · weights ${run.weights}`} · ${run.backend} · ${run.machine}`,
    '',
    resultsTable(run),
    '',
    verdict(run),
    ...referenceNotes(run).map((note) => `  ${note}`),
  ].join('\n');
}

/**
 * Writes `<name>.json` (this run) and appends this run's table to `<name>.md`; `name` comes
 * from `resultName` (ETTh1-ridgeLinear, ETTh1-dlinear-H96).
 */
export async function saveRun(run: LstfRun, dir: string, name: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, name);
  await writeFile(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  const entry = [
    `## ${run.date.slice(0, 16).replace('T', ' ')} UTC · ${lookbackText(run)}`,
    '',
    `${run.backend} · ${run.machine}`,
    '',
    resultsTable(run),
    '',
    verdict(run),
    '',
    '',
  ].join('\n');
  const title = [
    `# ${run.dataset} · ${run.model}: long-horizon runs`,
    '',
    `${run.protocol}. Split ${run.split.label}. Data: ${run.file}. One section per run, newest last; \`${path.basename(base)}.json\` holds the latest.`,
    '',
    ...referenceNotes(run).map((note) => `- ${note}`),
    '',
    '',
  ].join('\n');
  await appendFile(`${base}.md`, existsSync(`${base}.md`) ? entry : title + entry);
  return [`${base}.json`, `${base}.md`];
}
