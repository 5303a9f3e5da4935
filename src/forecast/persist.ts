/**
 * Saving and loading a fitted Forecast as a directory:
 *   forecast.json              manifest: format version, table options, scaler statistics,
 *                              models (name, family, config, file), history timestamps
 *   models/<n>-<family>.safetensors   each model's learned state (+ family and config metadata)
 *   history.safetensors        the last `lookback` steps of each series (values and mask)
 * Everything is JSON or safetensors: no class paths, no pickles, readable from Python. The
 * manifest is written last, so a directory without one is an incomplete save.
 */
import { mkdir, readFile } from 'node:fs/promises';
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
  if (manifest.version > VERSION) throw new Error(`loadForecast: ${manifestPath} has format version ${manifest.version}; this chronoscale reads up to ${VERSION}`);
  const models = [];
  for (const entry of manifest.models) {
    const factory = families[entry.family];
    if (!factory) throw new Error(`loadForecast: unknown model family '${entry.family}' (known: ${Object.keys(families).join(', ')})`);
    const model = factory(entry.config);
    model.loadState((await readSafetensors(path.join(dir, entry.file))).tensors);
    models.push(model);
  }
  const forecast = new Forecast({ models, data: manifest.data, scaler: manifest.scalerMode });
  forecast.scaler = manifest.scaler ? StandardScaler.fromJSON(manifest.scaler) : null;
  if (manifest.history) {
    const { tensors } = await readSafetensors(path.join(dir, 'history.safetensors'));
    const h = manifest.history;
    const panel: Panel = {
      channels: h.channels,
      frequency: toFrequency(h.frequency),
      timeZone: h.timeZone,
      series: h.series.map((s, i) => ({
        id: s.id,
        time: Float64Array.from(s.time),
        values: tensors.get(`${i}.values`)!.data,
        mask: Uint8Array.from(tensors.get(`${i}.mask`)!.data),
      })),
    };
    forecast.history = panel;
  }
  return forecast;
}
