/**
 * Training checkpoints on disk. A step checkpoint is an ordinary model checkpoint
 * (`saveCheckpoint`: safetensors, atomic) holding the model, the optimizer state under
 * `optimizer.`, and the trainer's state as JSON in the metadata (`extra.trainer`), so
 * `loadCheckpoint(path, model)` also loads it for inference.
 *
 * The best weights seen by early stopping live in their own file, `best-step-000150.safetensors`
 * (weights only, again loadable by `loadCheckpoint`), named by the step they come from and named
 * in the state of every step checkpoint that relies on them. Files are written best first, then
 * the step checkpoint, then old files are pruned, so a kill at any point leaves each kept step
 * checkpoint with the best file it names.
 */
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { saveCheckpoint } from '../io/checkpoint.ts';
import { readSafetensors, readSafetensorsHeader } from '../io/safetensors.ts';
import { Module, type StateTensor } from '../nn/module.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { RandomJson } from './random-state.ts';

/** Bumped when the layout of TrainerState changes incompatibly. */
export const TRAINER_STATE_VERSION = 1;

/** Everything besides weights and optimizer moments that a resumed run needs. JSON-able. */
export interface TrainerState {
  version: number;
  /** Updates completed. */
  step: number;
  /** The epoch in progress and how many of its batches are done. */
  epoch: number;
  batchInEpoch: number;
  seed: number;
  epochLength: number | null;
  lossRng: RandomJson;
  globalRng: RandomJson;
  /** Generators found in the model, by field path. */
  moduleRngs: Record<string, RandomJson>;
  extraState?: unknown;
  validation: { best: number | null; bestStep: number | null; stale: number; bestFile: string | null };
  plateau: { best: number | null; stale: number; scale: number } | null;
  /** The history as columns: entry i is step i + 1. */
  history: { epoch: number[]; loss: number[]; lr: number[]; validation: [number, number][] };
}

const STEP_FILE = /^step-(\d+)\.safetensors$/;
const BEST_FILE = /^best-step-(\d+)\.safetensors$/;
/** writeFileAtomic's temp names for our files (`.step-000010.safetensors.<pid>.<hex>.tmp`). */
const TEMP_FILE = /^\.(best-)?step-\d+\.safetensors\.\d+\.[0-9a-f]+\.tmp$/;

export const stepFileName = (step: number): string => `step-${String(step).padStart(6, '0')}.safetensors`;
export const bestFileName = (step: number): string => `best-step-${String(step).padStart(6, '0')}.safetensors`;

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Step checkpoints in `dir`, oldest first. */
export async function listStepCheckpoints(dir: string): Promise<{ step: number; path: string }[]> {
  return (await listDir(dir))
    .flatMap((name) => {
      const match = STEP_FILE.exec(name);
      return match ? [{ step: Number(match[1]), path: join(dir, name) }] : [];
    })
    .sort((a, b) => a.step - b.step);
}

/** Our files in `dir` (checkpoints, best weights), for the check that a fresh run starts clean. */
export async function listTrainingFiles(dir: string): Promise<string[]> {
  return (await listDir(dir)).filter((name) => STEP_FILE.test(name) || BEST_FILE.test(name));
}

/** Removes temp files that a killed run left behind mid-write. */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await listDir(dir)) if (TEMP_FILE.test(name)) await unlink(join(dir, name)).catch(() => {});
}

export async function saveTrainingCheckpoint(
  path: string,
  model: Module,
  optimizer: Optimizer,
  state: TrainerState,
  options: { family?: string; config?: unknown },
): Promise<void> {
  await saveCheckpoint(path, model, { optimizer, family: options.family, config: options.config, extra: { trainer: state } });
}

/** Reads the trainer state of a checkpoint without touching the model (to check it first). */
export async function readTrainerState(path: string): Promise<TrainerState> {
  const { metadata } = await readSafetensorsHeader(path);
  let state: unknown;
  try {
    state = metadata.extra === undefined ? undefined : (JSON.parse(metadata.extra) as { trainer?: unknown }).trainer;
  } catch {
    throw new Error(`resume: ${path}: its metadata is not valid JSON`);
  }
  if (typeof state !== 'object' || state === null) throw new Error(`resume: ${path} is a model checkpoint without training state (not written by train)`);
  const version = (state as TrainerState).version;
  if (version !== TRAINER_STATE_VERSION)
    throw new Error(`resume: ${path} holds training state version ${version}; this trainer reads version ${TRAINER_STATE_VERSION}`);
  return state as TrainerState;
}

/** A module whose state is a fixed set of weights, so saveCheckpoint can write a snapshot. */
class WeightSnapshot extends Module {
  constructor(private readonly weights: Map<string, StateTensor>) {
    super();
  }

  override stateDict(): Map<string, StateTensor> {
    return this.weights;
  }
}

export async function saveBestWeights(
  path: string,
  weights: Map<string, StateTensor>,
  options: { family?: string; config?: unknown; step: number; validation: number },
): Promise<void> {
  await saveCheckpoint(path, new WeightSnapshot(weights), {
    family: options.family,
    config: options.config,
    extra: { best: { step: options.step, validation: options.validation } },
  });
}

export async function readBestWeights(path: string): Promise<Map<string, StateTensor>> {
  if (!(await stat(path).catch(() => null))?.isFile()) throw new Error(`resume: the best weights file ${path}, named in the checkpoint, is missing`);
  const { tensors } = await readSafetensors(path);
  return new Map([...tensors].map(([name, t]) => [name, { shape: t.shape, data: t.data }]));
}

/**
 * Keeps the newest `keepLast` step checkpoints and the best-weight files they name; returns the
 * paths removed.
 */
export async function pruneCheckpoints(dir: string, keepLast: number): Promise<string[]> {
  const steps = await listStepCheckpoints(dir);
  const kept = steps.slice(-keepLast);
  const removed = steps.slice(0, -keepLast).map((s) => s.path);
  const bestFiles = (await listDir(dir)).filter((name) => BEST_FILE.test(name));
  if (bestFiles.length > 0) {
    const referenced = new Set<string>();
    for (const { path } of kept) {
      const file = (await readTrainerState(path)).validation.bestFile;
      if (file) referenced.add(file);
    }
    for (const name of bestFiles) if (!referenced.has(name)) removed.push(join(dir, name));
  }
  for (const path of removed) await unlink(path);
  return removed;
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
