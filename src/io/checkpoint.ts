/**
 * Model checkpoints: a module's parameters and buffers by dotted name, optionally the optimizer
 * state under `optimizer.`, and a `__metadata__` map with the family, config and version as
 * JSON strings. Plain safetensors, so the file loads in Python with standard tools.
 */
import type { Module, StateTensor } from '../nn/module.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { readSafetensors, writeSafetensors, type TensorInput } from './safetensors.ts';

/** Package version written into checkpoints. */
export const FORMAT_VERSION = '1';

const OPTIMIZER_PREFIX = 'optimizer.';

export interface CheckpointMetadata {
  /** Model family (e.g. 's4', 'mlp'). */
  family?: string;
  /** The model's config, to rebuild it before loading. */
  config?: unknown;
  /** Anything else worth keeping (training step, RNG state, scaler statistics): JSON-able. */
  extra?: Record<string, unknown>;
}

export interface LoadedCheckpoint extends CheckpointMetadata {
  version: string;
}

/** Writes a module (and optionally its optimizer) atomically. */
export async function saveCheckpoint(path: string, module: Module, options: CheckpointMetadata & { optimizer?: Optimizer } = {}): Promise<void> {
  const tensors = new Map<string, TensorInput>(module.stateDict());
  const metadata: Record<string, string> = { format: 'chronoscale', version: FORMAT_VERSION };
  if (options.family !== undefined) metadata.family = options.family;
  if (options.config !== undefined) metadata.config = JSON.stringify(options.config);
  if (options.extra !== undefined) metadata.extra = JSON.stringify(options.extra);
  if (options.optimizer) {
    const state = options.optimizer.getState();
    for (const [key, data] of state.tensors) tensors.set(OPTIMIZER_PREFIX + key, { shape: [data.length], data });
    metadata.optimizer = JSON.stringify(state.scalars);
  }
  await writeSafetensors(path, tensors, metadata);
}

/**
 * Reads a checkpoint into an existing module (built from the same config) and optimizer.
 * Names must match exactly unless `strict: false`.
 */
export async function loadCheckpoint(path: string, module: Module, options: { optimizer?: Optimizer; strict?: boolean } = {}): Promise<LoadedCheckpoint> {
  const file = await readSafetensors(path);
  const weights = new Map<string, StateTensor>();
  const optimizerTensors = new Map<string, Float32Array>();
  for (const [name, stored] of file.tensors) {
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizerTensors.set(name.slice(OPTIMIZER_PREFIX.length), stored.data);
    else weights.set(name, stored);
  }
  module.loadStateDict(weights, { strict: options.strict });
  const { metadata } = file;
  if (options.optimizer) {
    if (metadata.optimizer === undefined) throw new Error(`loadCheckpoint: ${path} holds no optimizer state`);
    options.optimizer.setState({ tensors: optimizerTensors, scalars: parseJson(path, 'optimizer', metadata.optimizer) as Record<string, number> });
  }
  return {
    version: metadata.version ?? 'unknown',
    family: metadata.family,
    config: metadata.config === undefined ? undefined : parseJson(path, 'config', metadata.config),
    extra: metadata.extra === undefined ? undefined : (parseJson(path, 'extra', metadata.extra) as Record<string, unknown>),
  };
}

function parseJson(path: string, key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`loadCheckpoint: ${path}: metadata '${key}' is not valid JSON`);
  }
}
