/**
 * Time-MoE's Hugging Face folders: `config.json` plus `model.safetensors`, or a sharded
 * `model.safetensors.index.json` whose `weight_map` names each tensor's shard file, with F32,
 * F16 or BF16 tensors by the official dotted names (`model.layers.0.self_attn.q_proj.bias`).
 *
 * Loading checks everything before it sets anything: the config's keys, every shard's header
 * (names both ways against the model the config builds, shapes, dtypes), then every value
 * (finite). The first problem is thrown as one error naming the file and the tensor.
 * Saving writes `config.json` and one F32 `model.safetensors` (metadata `format: pt`, which
 * transformers' loader requires), each atomically (temp file + rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readSafetensors, readSafetensorsHeader, writeSafetensors, type Module, type StateTensor, type StoredTensor } from '../../src/index.ts';
import { parseTimeMoEConfig, type TimeMoEConfig } from './config.ts';

const CONFIG = 'config.json';
const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';
/** What the released checkpoints store (BF16) and what we write (F32). */
const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16']);

const exists = async (file: string): Promise<boolean> => {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
};

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: the ${what} is not valid JSON (${(error as Error).message})`);
  }
}

/** The shard file of every tensor: one file, or the index's `weight_map`. */
async function shardFiles(dir: string): Promise<Map<string, string[] | null>> {
  const index = path.join(dir, INDEX);
  if (await exists(index)) {
    const raw = await readJson(index, 'shard index');
    const map = (raw as { weight_map?: unknown })?.weight_map;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new Error(`${index}: no "weight_map" object from tensor names to shard files`);
    const shards = new Map<string, string[]>();
    for (const [name, file] of Object.entries(map)) {
      if (typeof file !== 'string' || file === '' || path.basename(file) !== file) {
        throw new Error(`${index}: tensor ${name}: the shard ${JSON.stringify(file)} must be a file name in the same folder`);
      }
      const names = shards.get(file) ?? [];
      names.push(name);
      shards.set(file, names);
    }
    for (const file of shards.keys()) {
      if (!(await exists(path.join(dir, file))))
        throw new Error(`${path.join(dir, file)}: missing, yet ${INDEX} names it for ${shards.get(file)!.length} tensors (an interrupted download?)`);
    }
    return shards;
  }
  if (await exists(path.join(dir, SINGLE))) return new Map([[SINGLE, null]]);
  const hint = (await exists(path.join(dir, 'pytorch_model.bin'))) ? ' (pytorch_model.bin is not read: save the model with safe_serialization=True)' : '';
  throw new Error(`${dir}: no ${SINGLE} or ${INDEX}${hint}`);
}

/**
 * Reads and checks a Hugging Face Time-MoE folder, building the model with `build` from the
 * parsed config (and the raw `config.json`, whose other keys the model keeps for saving), then
 * sets its weights by name once every tensor has passed.
 */
export async function loadHuggingFaceFolder<M extends Module>(dir: string, build: (config: TimeMoEConfig, raw: Record<string, unknown>) => M): Promise<M> {
  let folder = false;
  try {
    folder = (await stat(dir)).isDirectory();
  } catch {}
  if (!folder) throw new Error(`${dir}: no such folder (a Time-MoE checkpoint folder holds ${CONFIG} and ${SINGLE} or ${INDEX})`);
  const configFile = path.join(dir, CONFIG);
  const raw = await readJson(configFile, 'model config');
  const model = build(parseTimeMoEConfig(raw, configFile), raw as Record<string, unknown>);
  const expected = model.stateDict();

  // Headers first: names, dtypes and shapes of every shard, before reading a single value.
  const shards = await shardFiles(dir);
  const origin = new Map<string, string>();
  for (const [shard, listed] of shards) {
    const file = path.join(dir, shard);
    const { entries } = await readSafetensorsHeader(file);
    for (const name of listed ?? []) if (!entries.has(name)) throw new Error(`${file}: tensor ${name}: missing, yet ${INDEX} places it in this shard`);
    for (const [name, entry] of entries) {
      const want = expected.get(name);
      if (!want) throw new Error(`${file}: tensor ${name}: unexpected (not a parameter of the architecture in ${CONFIG})`);
      if (origin.has(name)) throw new Error(`${file}: tensor ${name}: also stored in ${origin.get(name)}`);
      if (!FLOAT_DTYPES.has(entry.dtype)) throw new Error(`${file}: tensor ${name}: dtype ${entry.dtype}, expected F32, F16 or BF16`);
      if (entry.shape.length !== want.shape.length || entry.shape.some((d, i) => d !== want.shape[i])) {
        throw new Error(`${file}: tensor ${name}: shape [${entry.shape.join(', ')}], but ${CONFIG} needs [${want.shape.join(', ')}]`);
      }
      origin.set(name, file);
    }
  }
  const missing = [...expected.keys()].filter((name) => !origin.has(name));
  if (missing.length > 0) {
    const files = [...shards.keys()].join(', ');
    throw new Error(`${dir}: tensor ${missing[0]}: missing from ${files}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`);
  }

  // Then the values: all read and checked before the model takes any of them.
  const values = new Map<string, StoredTensor>();
  for (const shard of shards.keys()) {
    const file = path.join(dir, shard);
    for (const [name, stored] of (await readSafetensors(file)).tensors) {
      const bad = stored.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new Error(`${file}: tensor ${name}: element ${bad} is ${stored.data[bad]} (a corrupt or diverged checkpoint)`);
      values.set(name, stored);
    }
  }
  model.loadStateDict(values);
  return model;
}

/** Writes bytes to `file` through a temp file renamed over it, so a reader never sees half a file. */
async function writeTextAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flush: true });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/**
 * Writes `config.json` (the given keys plus what transformers needs to find the official
 * classes) and an F32 `model.safetensors` of `state`, creating `dir` if needed.
 */
export async function saveHuggingFaceFolder(dir: string, config: Record<string, unknown>, state: ReadonlyMap<string, StateTensor>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json = {
    architectures: ['TimeMoeForPrediction'],
    auto_map: { AutoConfig: 'configuration_time_moe.TimeMoeConfig', AutoModelForCausalLM: 'modeling_time_moe.TimeMoeForPrediction' },
    model_type: 'time_moe',
    tie_word_embeddings: false,
    ...config,
    torch_dtype: 'float32',
  };
  await writeSafetensors(path.join(dir, SINGLE), state, { format: 'pt' });
  await writeTextAtomic(path.join(dir, CONFIG), `${JSON.stringify(json, null, 2)}\n`);
  // A shard index left from an earlier save would win over the new single file when loading.
  await unlink(path.join(dir, INDEX)).catch(() => {});
}
