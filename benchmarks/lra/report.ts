/**
 * How a long-range run is shown and kept: a padded Markdown table (readable in a terminal,
 * rendered on GitHub), the caveats under it, the JSON record `results/<task>-<preset>.json`
 * (replaced by each run) and one row per run appended to `results/runs.md`.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { markdownTable } from '../../cli/lstf/report.ts';
import type { LraResult } from './runner.ts';

const percent = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(2));
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

/** The best validation accuracy of a run (in %), or null without one. */
export function bestValidationAccuracy(run: LraResult): number | null {
  const values = run.validation.flatMap((v) => (v.accuracy === null ? [] : [v.accuracy]));
  return values.length === 0 ? null : Math.max(...values);
}

const header = ['task', 'preset', 'test %', 'S4 published %', 'chance %', 'best val %', 'steps', 'steps/s', 'train', 'wall', 'parameters', 'stopped by'];

function row(run: LraResult): string[] {
  return [
    run.task,
    run.preset,
    percent(run.test.accuracy),
    percent(run.publishedS4),
    percent(run.chance),
    percent(bestValidationAccuracy(run)),
    String(run.steps),
    run.stepsPerSecond.toFixed(2),
    minutes(run.trainSeconds + run.validationSeconds),
    minutes(run.wallSeconds),
    run.parameters.toLocaleString('en-US'),
    run.stoppedBy,
  ];
}

/** One row per run. */
export function resultsTable(runs: readonly LraResult[]): string {
  return markdownTable(
    header,
    runs.map(row),
    header.map((_, i) => i >= 2 && i !== 11),
  );
}

/** The model and recipe in one line. */
export function setupLine(run: LraResult): string {
  const { model, training } = run.setup;
  const layer = model.layer;
  return [
    `${model.layers} × ${layer.kernel}${layer.bidirectional ? ' bidirectional' : ''} H=${model.dModel} N=${layer.dState}`,
    `${model.norm ?? 'layer'}norm ${model.prenorm ? 'pre' : 'post'}`,
    `dropout ${model.dropout ?? 0}`,
    `AdamW lr ${training.lr} wd ${training.weightDecay}, SSM lr ${training.ssmLr}`,
    `batch ${training.batchSize}`,
    `warmup ${training.warmupFraction * 100}% + cosine`,
    `seed ${run.seed}`,
  ].join(' · ');
}

/** The whole text report of runs: table, then per run its setup, data and caveats. */
export function formatRuns(runs: readonly LraResult[]): string {
  const lines = [resultsTable(runs), ''];
  for (const run of runs) {
    lines.push(`${run.task} (${run.preset}): ${setupLine(run)}`);
    lines.push(
      `  test ${percent(run.test.accuracy)} % on ${run.test.examples} held-out examples; S4 published ${percent(run.publishedS4)} %; chance ${percent(run.chance)} %`,
    );
    lines.push(
      `  trained ${run.steps} steps = ${run.examplesSeen.toLocaleString('en-US')} examples (${(run.examplesSeen / run.trainExamples).toFixed(2)} epochs of ${run.trainExamples.toLocaleString('en-US')}), stopped by ${run.stoppedBy}`,
    );
    lines.push(`  configuration: ${run.setup.source}`);
    lines.push(`  data: ${run.description}`);
    for (const note of run.caveats) lines.push(`  note: ${note}`);
    lines.push(`  ${run.backend} · ${run.machine} · load average ${run.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`);
  }
  return lines.join('\n');
}

/** Writes `<task>-<preset>.json` and appends the run's row to `runs.md` (title and legend the first time). */
export async function saveRun(run: LraResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, `${run.task}-${run.preset}.json`);
  await writeFile(json, `${JSON.stringify(run, null, 2)}\n`);
  const log = path.join(dir, 'runs.md');
  const cells = [run.date.slice(0, 16).replace('T', ' '), ...row(run), run.setup.model.layer.kernel, run.loadAverage.map((l) => l.toFixed(1)).join(' → ')];
  const line = `| ${cells.join(' | ')} |\n`;
  if (!existsSync(log)) {
    const columns = ['date (UTC)', ...header, 'kernel', 'load'];
    const title = [
      '# Long-range benchmark runs',
      '',
      'One row per `npm run bench:lra` run, newest last; `<task>-<preset>.json` holds the latest run of each.',
      'cpu presets are small configurations (benchmarks/lra/README.md): their accuracies are not comparable',
      'with the published S4 figures beside them. Load is the one-minute load average at start → end (2 cores).',
      '',
      `| ${columns.join(' | ')} |`,
      `|${columns.map(() => '---').join('|')}|`,
      '',
    ].join('\n');
    await writeFile(log, title);
  }
  await appendFile(log, line);
  return [json, log];
}
