/**
 * The flags of commands that fit models and write files: where the files go, the training
 * budget and progress output (steps, never "epoch n/-2"), and the engine's backend.
 */
import { modelFamilies, modelKeys, type EngineOptions, type FitOptions } from '../index.ts';
import { UsageError, type FlagReader } from './args.ts';
import { backendOption, backendOptions } from './backend-option.ts';
import { defaultOutDir } from './outputs.ts';

export const runFlags = {
  out: { type: 'string' },
  'max-steps': { type: 'string' },
  progress: { type: 'string' },
  ...backendOptions,
} as const;

/** The families fitted by gradient steps, which `--max-steps` caps. */
const trainedModels = modelKeys.filter((key) => modelFamilies[key].trained).join(', ');

export const runHelp = `Run:
  --out DIR            folder for the output files (default ./${defaultOutDir}, created if needed)
  --max-steps N        cap on optimisation steps of trained models (${trainedModels});
                       default: their epochs with early stopping
  --progress MODE      auto (a bar on a terminal, lines otherwise), bar, lines or silent
  --backend NAME       engine backend (default: the best that works here)
  --threads N          worker threads (default: the cores)`;

const progressModes = ['auto', 'bar', 'lines', 'silent'] as const;

export interface RunSettings {
  outDir: string;
  fit: FitOptions;
  engine: EngineOptions;
}

/** Checks the run flags and turns them into fit and engine options. */
export function readRunFlags(
  values: { out?: string; 'max-steps'?: string; progress?: string; backend?: string; threads?: string },
  flags: FlagReader,
): RunSettings {
  const fit: FitOptions = { progress: flags.choice('progress', values.progress, progressModes) ?? 'auto' };
  const maxSteps = flags.integer('max-steps', values['max-steps']);
  if (maxSteps !== undefined) fit.maxSteps = maxSteps;
  let engine: EngineOptions;
  try {
    engine = backendOption(values);
  } catch (error) {
    if (error instanceof UsageError) flags.fail(error.message);
    throw error;
  }
  return { outDir: values.out ?? defaultOutDir, fit, engine };
}
