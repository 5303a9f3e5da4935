/**
 * `npm run bench:lra -- --task T --preset cpu|paper [flags]`: trains the preset's S4 classifier
 * on a long-range task, prints test accuracy beside S4's published figure and the chance level,
 * and saves the run under results/. `--task all` runs the eight tasks one after another, saving
 * each as it finishes. See README.md in this folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { init, shutdown, type ProgressMode } from '../../index.ts';
import { backend } from '../../src/engine.ts';
import { taskNames, type Preset, type TaskName } from './data/index.ts';
import { cpuMinutes, kernelNames, type KernelName } from './presets.ts';
import { formatRuns, resultsTable, saveRun } from './report.ts';
import { runLra, type LraResult } from './runner.ts';

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const help = `npm run bench:lra -- --task NAME|all [--preset cpu|paper] [flags]

Trains S4 on a Long Range Arena task (or sMNIST / psMNIST) and reports accuracy on the held-out
test split beside S4's published figure and the chance level.

  --task NAME        ${taskNames.join(', ')}, or all (one after another)
  --preset P         cpu (default: a small S4D that trains in about ${cpuMinutes} minutes on 2 cores)
                     or paper (S4's published configuration; GPU scale)
  --minutes M        cap on training wall time (default ${cpuMinutes} for cpu, none for paper);
                     training stops cleanly and the model is tested
  --max-steps N      cap on optimiser steps
  --seed S           model initialisation, batch order and dropout (default 0; data keep their own seeds)
  --data DIR         folder holding imdb/, cifar10-gray/, mnist/ (default ../shared/data)
  --kernel K         ${kernelNames.join(', ')} (default: the preset's)
  --eval-every N     validation every N steps (default: the preset's)
  --patience N       early stopping after N validations without a lower loss (best weights restored)
  --progress MODE    auto, bar, lines or silent (training progress, on stderr)
  --results DIR      where <task>-<preset>.json and runs.md go (default benchmarks/lra/results)
  --json             print the figures as one JSON object on stdout (the table goes to stderr)`;

class UsageError extends Error {}

function positive(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  return n;
}

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value !== undefined && !allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T | undefined;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      task: { type: 'string' },
      preset: { type: 'string' },
      minutes: { type: 'string' },
      'max-steps': { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
      kernel: { type: 'string' },
      'eval-every': { type: 'string' },
      patience: { type: 'string' },
      progress: { type: 'string' },
      results: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (values.task === undefined) throw new UsageError('name a task with --task (or --task all)');
  const tasks: TaskName[] = values.task === 'all' ? [...taskNames] : [choice('task', values.task, taskNames)!];
  const preset: Preset = choice('preset', values.preset, ['cpu', 'paper'] as const) ?? 'cpu';
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!(Number.isInteger(seed) && seed >= 0)) throw new UsageError(`--seed must be an integer >= 0, got '${values.seed}'`);
  const common = {
    preset,
    seed,
    minutes: positive('minutes', values.minutes, false),
    maxSteps: positive('max-steps', values['max-steps'], true),
    evalEvery: positive('eval-every', values['eval-every'], true),
    patience: positive('patience', values.patience, true),
    kernel: choice<KernelName>('kernel', values.kernel, kernelNames),
    progress: choice<ProgressMode>('progress', values.progress, ['auto', 'bar', 'lines', 'silent']),
    dataDir: values.data === undefined ? undefined : path.resolve(values.data),
  };
  const dir = values.results === undefined ? resultsDir : path.resolve(values.results);
  const report = (text: string) => (values.json ? process.stderr : process.stdout).write(`${text}\n`);

  await init();
  const engine = (await backend()).describe();
  const runs: LraResult[] = [];
  const failed: { task: TaskName; error: string }[] = [];
  for (const task of tasks) {
    try {
      const run = await runLra({ ...common, task, backend: engine });
      runs.push(run);
      const files = await saveRun(run, dir);
      report(`\n${formatRuns([run])}\n\nsaved ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
    } catch (error) {
      // One task's failure (missing data, a diverged loss) must not cost the others' results.
      if (tasks.length === 1) throw error;
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ task, error: message });
      process.stderr.write(`${task}: FAILED: ${message}\n`);
    }
  }
  if (tasks.length > 1) report(`\nAll tasks (${preset}):\n${resultsTable(runs)}${failed.length ? `\nfailed: ${failed.map((f) => f.task).join(', ')}` : ''}`);
  if (values.json) process.stdout.write(`${JSON.stringify(tasks.length === 1 ? runs[0] : { runs, failed }, null, 2)}\n`);
  await shutdown();
  return failed.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`bench:lra: ${(error as Error).message}\n\n${help}\n`);
    process.exitCode = 2;
  } else throw error;
}
