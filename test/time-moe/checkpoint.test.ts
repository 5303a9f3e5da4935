/**
 * Time-MoE's Hugging Face folders: save → fromPretrained is bit-identical (single file and a
 * sharded index), the written layout is what transformers reads, and each bad checkpoint
 * (missing or unexpected tensor, wrong shape, unknown or integer dtype, NaN, config without
 * heads, a shard named in the index but absent) fails with one error naming file and tensor.
 */
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random, init, randn, readSafetensors, readSafetensorsHeader, shutdown, writeSafetensors, type StateTensor } from '../../src/index.ts';
import { TimeMoE } from '../../models/time-moe/index.ts';

/** Awaits `promise` and checks that it fails with a message matching `pattern`. */
async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected an error matching ${pattern}`);
}

let root = '';
test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'time-moe-checkpoint-'));
});
test.after(async () => {
  await shutdown();
  await rm(root, { recursive: true, force: true });
});

const tiny = {
  hidden_size: 8,
  intermediate_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_experts: 3,
  horizon_lengths: [1, 4],
  max_position_embeddings: 32,
};

let count = 0;
/** A saved tiny model in a fresh folder. */
async function savedFolder(): Promise<{ dir: string; model: TimeMoE }> {
  const dir = path.join(root, `model-${count++}`);
  const model = new TimeMoE(tiny, { rng: new Random(count) });
  await model.save(dir);
  return { dir, model };
}

/** Rewrites the folder's model.safetensors through `edit` of its tensors. */
async function editWeights(dir: string, edit: (tensors: Map<string, StateTensor>) => void): Promise<void> {
  const file = path.join(dir, 'model.safetensors');
  const tensors = new Map<string, StateTensor>((await readSafetensors(file)).tensors);
  edit(tensors);
  await writeSafetensors(file, tensors);
}

/** A safetensors file written byte by byte, for dtypes our writer does not produce. */
function rawSafetensors(entries: { name: string; dtype: string; shape: number[]; bytes: number }[]): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const { name, dtype, shape, bytes } of entries) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

test('save → fromPretrained is bit-identical, with the layout transformers reads', async () => {
  const { dir, model } = await savedFolder();
  const loaded = await TimeMoE.fromPretrained(dir);
  const before = model.stateDict();
  const after = loaded.stateDict();
  assert.equal([...after.keys()].sort(), [...before.keys()].sort());
  for (const [name, t] of before) assert.ok(Buffer.from(after.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), `${name} bit-identical`);
  const x = randn([2, 6], new Random(1));
  assert.equal(await loaded.forward(x, { maxHorizon: 4 }).data(), await model.forward(x, { maxHorizon: 4 }).data());
  const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
  assert.is(config.model_type, 'time_moe');
  assert.is(config.torch_dtype, 'float32');
  assert.equal(config.architectures, ['TimeMoeForPrediction']);
  assert.equal(config.horizon_lengths, [1, 4]);
  const header = await readSafetensorsHeader(path.join(dir, 'model.safetensors'));
  assert.is(header.metadata.format, 'pt', "transformers refuses safetensors without format 'pt'");
  assert.ok([...header.entries.values()].every((e) => e.dtype === 'F32'));
  // Keys of a loaded config.json the model does not use travel on to the next save.
  const extra = path.join(root, 'extra');
  await writeFile(path.join(dir, 'config.json'), JSON.stringify({ ...config, transformers_version: '4.40.1' }));
  await (await TimeMoE.fromPretrained(dir)).save(extra);
  assert.is(JSON.parse(await readFile(path.join(extra, 'config.json'), 'utf8')).transformers_version, '4.40.1');
});

test('a sharded folder (index + shards) loads the same weights as the single file', async () => {
  const { dir, model } = await savedFolder();
  const tensors = (await readSafetensors(path.join(dir, 'model.safetensors'))).tensors;
  await unlink(path.join(dir, 'model.safetensors'));
  const names = [...tensors.keys()];
  const shards = [names.slice(0, 10), names.slice(10)];
  const weightMap: Record<string, string> = {};
  for (const [i, part] of shards.entries()) {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    await writeSafetensors(path.join(dir, file), new Map(part.map((n) => [n, tensors.get(n)!])));
    for (const n of part) weightMap[n] = file;
  }
  await writeFile(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
  const loaded = await TimeMoE.fromPretrained(dir);
  for (const [name, t] of model.stateDict()) assert.equal(loaded.stateDict().get(name)!.data, t.data, name);
  // A shard the index names but the folder lacks.
  await unlink(path.join(dir, 'model-00002-of-00002.safetensors'));
  await rejects(TimeMoE.fromPretrained(dir), /model-00002-of-00002\.safetensors: missing, yet model\.safetensors\.index\.json names it/);
});

/** Half-precision bits of a value F16 holds exactly (here k/256, |k| < 2048, normal or zero). */
function f16Bits(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const exponent = Math.floor(Math.log2(Math.abs(value)));
  const mantissa = Math.abs(value) / 2 ** exponent - 1; // in [0, 1), a multiple of 2^-10 here
  return sign | ((exponent + 15) << 10) | Math.round(mantissa * 1024);
}

test('F16 weights load exactly', async () => {
  const dir = path.join(root, 'f16');
  const model = new TimeMoE({ ...tiny, initializer_range: 0.5 }, { rng: new Random(99) }); // values spread over the F16 grid
  await model.save(dir);
  const state = model.stateDict();
  const entries = [...state].map(([name, t]) => ({ name, dtype: 'F16', shape: [...t.shape], bytes: 2 * t.data.length }));
  const file = rawSafetensors(entries);
  const view = new DataView(file.buffer);
  let offset = file.length - entries.reduce((n, e) => n + e.bytes, 0);
  const expected = new Map<string, Float32Array>();
  for (const [name, t] of state) {
    const values = t.data.map((v) => Math.max(-255, Math.min(255, Math.round(v * 256))) / 256);
    expected.set(name, values);
    for (const v of values) {
      view.setUint16(offset, f16Bits(v), true);
      offset += 2;
    }
  }
  await writeFile(path.join(dir, 'model.safetensors'), file);
  const loaded = (await TimeMoE.fromPretrained(dir)).stateDict();
  for (const [name, values] of expected) assert.equal(loaded.get(name)!.data, values, name);
});

test('a missing tensor is named, with the files searched', async () => {
  const { dir } = await savedFolder();
  await editWeights(dir, (t) => t.delete('model.layers.1.ffn_layer.experts.2.up_proj.weight'));
  await rejects(TimeMoE.fromPretrained(dir), /tensor model\.layers\.1\.ffn_layer\.experts\.2\.up_proj\.weight: missing from model\.safetensors/);
});

test('an unexpected tensor and a wrong shape are named with the file', async () => {
  const { dir } = await savedFolder();
  await editWeights(dir, (t) => t.set('model.layers.2.input_layernorm.weight', { shape: [8], data: new Float32Array(8) }));
  await rejects(TimeMoE.fromPretrained(dir), /model\.safetensors: tensor model\.layers\.2\.input_layernorm\.weight: unexpected/);
  const other = await savedFolder();
  await editWeights(other.dir, (t) => t.set('lm_heads.1.out_layer.weight', { shape: [8, 8], data: new Float32Array(64) }));
  await rejects(TimeMoE.fromPretrained(other.dir), /tensor lm_heads\.1\.out_layer\.weight: shape \[8, 8\], but config\.json needs \[4, 8\]/);
});

test('unknown and integer dtypes are refused by name', async () => {
  const { dir } = await savedFolder();
  const file = path.join(dir, 'model.safetensors');
  await writeFile(file, rawSafetensors([{ name: 'model.norm.weight', dtype: 'Q4_K', shape: [8], bytes: 4 }]));
  await rejects(TimeMoE.fromPretrained(dir), /model\.safetensors: tensor "model\.norm\.weight": unsupported dtype "Q4_K"/);
  await writeFile(file, rawSafetensors([{ name: 'model.norm.weight', dtype: 'I32', shape: [8], bytes: 32 }]));
  await rejects(TimeMoE.fromPretrained(dir), /tensor model\.norm\.weight: dtype I32, expected F32, F16 or BF16/);
});

test('a non-finite value is refused before any weight is set', async () => {
  const { dir } = await savedFolder();
  await editWeights(dir, (t) => {
    const head = t.get('lm_heads.0.out_layer.weight')!;
    head.data[3] = Number.NaN;
  });
  await rejects(TimeMoE.fromPretrained(dir), /tensor lm_heads\.0\.out_layer\.weight: element 3 is NaN/);
});

test('a config without heads, an absent folder and an absent weights file each say what is wrong', async () => {
  const { dir } = await savedFolder();
  const configFile = path.join(dir, 'config.json');
  const { horizon_lengths: _, ...rest } = JSON.parse(await readFile(configFile, 'utf8'));
  await writeFile(configFile, JSON.stringify(rest));
  await rejects(TimeMoE.fromPretrained(dir), /config\.json: missing "horizon_lengths"/);
  await writeFile(configFile, '{ "hidden_size": 8,');
  await rejects(TimeMoE.fromPretrained(dir), /config\.json: the model config is not valid JSON/);
  await rejects(TimeMoE.fromPretrained(path.join(root, 'nowhere')), /nowhere" is neither an existing folder .* nor a Hugging Face repository id/);
  const other = await savedFolder();
  await unlink(path.join(other.dir, 'model.safetensors'));
  await rejects(TimeMoE.fromPretrained(other.dir), /no model\.safetensors or model\.safetensors\.index\.json/);
});

test.run();
