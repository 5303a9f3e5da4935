/**
 * Saving and loading a fitted Forecast as a directory:
 *   forecast.json              manifest: format version, table options, scaler statistics,
 *                              models (name, family, config, file), history timestamps
 *   models/<n>-<family>.safetensors   each model's learned state (+ family and config metadata)
 *   history.safetensors        the last `lookback` steps of each series (values and mask)
 * Everything is JSON or safetensors: no class paths, no pickles, readable from Python. The
 * manifest is written last, so a directory without one is an incomplete save.
 *
 * Loading checks the content as well as the format: every tensor a model or the history needs
 * is there with its shape and finite values, or the load fails naming the file and the tensor,
 * rather than forecasting NaN or failing later in an unrelated place.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatFrequency, toFrequency } from '../data/frequency.ts';
import { StandardScaler, type StandardScalerJSON } from '../data/scalers.ts';
import { sliceSeries } from '../data/splits.ts';
import type { Panel } from '../data/types.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { readSafetensors, writeSafetensors } from '../io/safetensors.ts';
import { Forecast, type ForecastConfig } from './forecast.ts';
import type { SeriesForecaster } from './types.ts';

const FORMAT = 'chronoscale-forecast';
const VERSION = 1;

/** Rebuilds a model of one family from its saved config. */
export type ModelFactory = (config: object) => SeriesForecaster;

interface Manifest {
  format: string;
  version: number;
  data?: ForecastConfig['data'];
  scalerMode: ForecastConfig['scaler'];
  scaler: StandardScalerJSON | null;
  models: { name: string; family: string; config: object; file: string }[];
  history: { channels: string[]; frequency: string; timeZone: string; series: { id: string; time: number[] }[] } | null;
}

export async function saveForecast(forecast: Forecast, dir: string): Promise<void> {
  await mkdir(path.join(dir, 'models'), { recursive: true });
  const models: Manifest['models'] = [];
  for (const [i, model] of forecast.models.entries()) {
    const file = `models/${i}-${model.family}.safetensors`;
    await writeSafetensors(path.join(dir, file), model.state(), { family: model.family, config: JSON.stringify(model.config) });
    models.push({ name: model.name, family: model.family, config: model.config, file });
  }
  let history: Manifest['history'] = null;
  if (forecast.history) {
    const panel = forecast.history;
    const c = panel.channels.length;
    const tails = panel.series.map((s) => sliceSeries(s, c, [Math.max(0, s.time.length - forecast.lookback), s.time.length]));
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    tails.forEach((s, i) => {
      tensors.set(`${i}.values`, { shape: [s.time.length, c], data: s.values });
      tensors.set(`${i}.mask`, { shape: [s.time.length, c], data: Float32Array.from(s.mask) });
    });
    await writeSafetensors(path.join(dir, 'history.safetensors'), tensors);
    history = {
      channels: panel.channels,
      frequency: formatFrequency(panel.frequency),
      timeZone: panel.timeZone,
      series: tails.map((s) => ({ id: s.id, time: Array.from(s.time) })),
    };
  }
  const manifest: Manifest = {
    format: FORMAT,
    version: VERSION,
    data: forecast.options.data,
    scalerMode: forecast.options.scaler,
    scaler: forecast.scaler?.toJSON() ?? null,
    models,
    history,
  };
  await writeFileAtomic(path.join(dir, 'forecast.json'), [new TextEncoder().encode(JSON.stringify(manifest, null, 2))]);
}

/**
 * Loads a saved Forecast. `families` maps each family key to a factory (the package root's
 * `loadForecast` passes every built-in family); an unknown family is a clear error.
 */
export async function loadForecast(dir: string, families: Readonly<Record<string, ModelFactory>>): Promise<Forecast> {
  const manifestPath = path.join(dir, 'forecast.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw new Error(`loadForecast: cannot read ${manifestPath} (${(error as Error).message}); is this a saved Forecast directory?`);
  }
  if (manifest.format !== FORMAT) throw new Error(`loadForecast: ${manifestPath} is not a chronoscale forecast`);
  if (manifest.version > VERSION)
    throw new Error(`loadForecast: ${manifestPath} has format version ${manifest.version}; this chronoscale reads up to ${VERSION}`);
  if (!Array.isArray(manifest.models)) throw new Error(`loadForecast: ${manifestPath} lists no models`);
  const models = [];
  for (const entry of manifest.models) {
    const factory = families[entry.family];
    if (!factory) throw new Error(`loadForecast: unknown model family '${entry.family}' (known: ${Object.keys(families).join(', ')})`);
    const model = factory(entry.config);
    const file = path.join(dir, entry.file);
    const tensors = await readTensors(file);
    for (const [name, { shape }] of expectedState(model)) {
      const saved = tensors.get(name);
      if (!saved) throw new Error(`loadForecast: ${file}: tensor "${name}" of ${entry.name} is missing; the save is incomplete or from another model`);
      checkShape(file, name, saved, shape);
    }
    for (const [name, tensor] of tensors) checkFinite(file, name, tensor.data);
    try {
      model.loadState(tensors);
    } catch (error) {
      throw new Error(`loadForecast: ${file}: ${(error as Error).message}`);
    }
    models.push(model);
  }
  const forecast = new Forecast({ models, data: manifest.data, scaler: manifest.scalerMode });
  try {
    forecast.scaler = manifest.scaler ? StandardScaler.fromJSON(manifest.scaler) : null;
  } catch (error) {
    // NaN statistics were written as null by JSON.stringify; fromJSON names what it expected.
    throw new Error(`loadForecast: ${manifestPath}: the scaler entry is damaged (${(error as Error).message})`);
  }
  if (manifest.history) forecast.history = await loadHistory(dir, manifest.history);
  return forecast;
}

/**
 * The tensors a model built from its config expects: its own state, empty for models whose
 * state only exists once fitted (ridge) or whose network is built at fit (then loadState checks).
 */
function expectedState(model: SeriesForecaster): ReadonlyMap<string, SavedTensor> {
  try {
    return model.state();
  } catch {
    return new Map();
  }
}

/** A save's tensor file; a missing one is named as part of the save, not as a bare ENOENT. */
async function readTensors(file: string): Promise<ReadonlyMap<string, SavedTensor>> {
  if (!(await stat(file).catch(() => null))?.isFile()) throw new Error(`loadForecast: ${file} is missing; the save is incomplete`);
  return (await readSafetensors(file)).tensors;
}

type SavedTensor = { shape: readonly number[]; data: Float32Array };

function checkShape(file: string, name: string, tensor: SavedTensor, shape: readonly number[]): void {
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`loadForecast: ${file}: tensor "${name}" has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
}

/** NaN or ±Infinity in saved weights would load and forecast NaN: refuse them here. */
function checkFinite(file: string, name: string, data: Float32Array, allowNaN?: (i: number) => boolean): void {
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i]) || (Number.isNaN(data[i]) && allowNaN?.(i))) continue;
    throw new Error(`loadForecast: ${file}: tensor "${name}" holds ${data[i]} at element ${i}; the save is corrupt (or was made from a diverged fit)`);
  }
}

/** The history panel, each series' tensors checked against the manifest's timestamps and channels. */
async function loadHistory(dir: string, h: NonNullable<Manifest['history']>): Promise<Panel> {
  const file = path.join(dir, 'history.safetensors');
  if (!Array.isArray(h.channels) || !Array.isArray(h.series))
    throw new Error(`loadForecast: ${path.join(dir, 'forecast.json')}: the history entry has no channels or series`);
  const tensors = await readTensors(file);
  const c = h.channels.length;
  const series = h.series.map((s, i) => {
    const steps = s.time.length;
    const tensor = (name: string): SavedTensor => {
      const saved = tensors.get(name);
      if (!saved) throw new Error(`loadForecast: ${file}: tensor "${name}" (the history of series "${s.id}") is missing`);
      checkShape(file, name, saved, [steps, c]);
      return saved;
    };
    const mask = tensor(`${i}.mask`).data;
    for (let k = 0; k < mask.length; k++) {
      if (mask[k] !== 0 && mask[k] !== 1) throw new Error(`loadForecast: ${file}: tensor "${i}.mask" holds ${mask[k]} at element ${k}; a mask holds 0 and 1`);
    }
    const values = tensor(`${i}.values`).data;
    // Missing values are NaN with mask 0; anything else must be finite.
    checkFinite(file, `${i}.values`, values, (k) => mask[k] === 0);
    const time = Float64Array.from(s.time);
    if (time.some((t, k) => !Number.isFinite(t) || (k > 0 && t <= time[k - 1]))) {
      throw new Error(`loadForecast: ${path.join(dir, 'forecast.json')}: the history timestamps of series "${s.id}" do not strictly increase`);
    }
    return { id: s.id, time, values, mask: Uint8Array.from(mask) };
  });
  return { channels: h.channels, frequency: toFrequency(h.frequency), timeZone: h.timeZone, series };
}
