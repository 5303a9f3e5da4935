/**
 * loadForecast on damaged saves: each case is a good save with one file changed the way a
 * crash, a bad edit or a diverged fit would change it, and each must fail on load with one
 * message naming the file and the tensor, instead of forecasting NaN or failing later.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DLinear, Forecast, RidgeLinear, init, loadForecast, shutdown, type Panel } from '../../index.ts';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors.ts';

const HOUR = 3600_000;
let root = '';
let good = '';

function panel(): Panel {
  const steps = 24 * 20;
  const time = Float64Array.from({ length: steps }, (_, t) => Date.UTC(2024, 0, 1) + t * HOUR);
  const values = Float32Array.from({ length: steps }, (_, t) => Math.sin((2 * Math.PI * t) / 24));
  return { series: [{ id: 'a', time, values, mask: new Uint8Array(steps).fill(1) }], channels: ['y'], frequency: { kind: 'fixed', ms: HOUR }, timeZone: 'UTC' };
}

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-persist-'));
  good = path.join(root, 'good');
  const fc = new Forecast({ models: [new RidgeLinear({ lookback: 48, horizon: 12 }), new DLinear({ lookback: 48, horizon: 12 })] });
  await fc.fit(panel(), { maxSteps: 2, progress: 'silent' });
  await fc.save(good);
  await loadForecast(good); // the cases below differ from a save that loads in one file
});
test.after(async () => {
  await rm(root, { recursive: true, force: true });
  await shutdown();
});

/** A copy of the good save with `file` rewritten by `change` (tensors in, tensors out). */
async function damaged(name: string, file: string, change: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void): Promise<string> {
  const dir = path.join(root, name);
  await cp(good, dir, { recursive: true });
  const { tensors, metadata } = await readSafetensors(path.join(dir, file));
  const copy = new Map([...tensors].map(([k, t]) => [k, { shape: [...t.shape], data: t.data.slice() }]));
  change(copy);
  await writeSafetensors(path.join(dir, file), copy, metadata);
  return dir;
}

async function loadError(dir: string): Promise<string> {
  try {
    await loadForecast(dir);
  } catch (error) {
    assert.not.instance(error, TypeError, `a TypeError is a crash, not a message: ${(error as Error).stack}`);
    return (error as Error).message;
  }
  assert.unreachable(`${dir} loaded without error`);
  return '';
}

test('a model file without one of its tensors names the file and the tensor', async () => {
  const dir = await damaged('missing-weight', 'models/1-dlinear.safetensors', (t) => t.delete([...t.keys()][0]));
  assert.match(await loadError(dir), /1-dlinear\.safetensors: tensor "[^"]+" of DLinear is missing/);
});

test('a ridge model file without its bias names the file', async () => {
  const dir = await damaged('missing-bias', 'models/0-ridgeLinear.safetensors', (t) => t.delete('bias'));
  assert.match(await loadError(dir), /0-ridgeLinear\.safetensors: /);
});

test('NaN or Infinity in weights is refused on load, naming the file and tensor', async () => {
  const nan = await damaged('nan-weight', 'models/1-dlinear.safetensors', (t) => ([...t.values()][0].data[3] = NaN));
  assert.match(await loadError(nan), /1-dlinear\.safetensors: tensor "[^"]+" holds NaN at element 3/);
  const inf = await damaged('inf-weight', 'models/0-ridgeLinear.safetensors', (t) => (t.get('weight')!.data[0] = Infinity));
  assert.match(await loadError(inf), /0-ridgeLinear\.safetensors: tensor "weight" holds Infinity at element 0/);
});

test('history: a missing tensor, a shorter tensor than the manifest, and NaN where the mask says observed', async () => {
  const missing = await damaged('history-missing', 'history.safetensors', (t) => t.delete('0.values'));
  assert.match(await loadError(missing), /history\.safetensors: tensor "0\.values" \(the history of series "a"\) is missing/);
  const short = await damaged('history-short', 'history.safetensors', (t) => {
    const v = t.get('0.values')!;
    t.set('0.values', { shape: [8, 1], data: v.data.slice(0, 8) });
  });
  assert.match(await loadError(short), /history\.safetensors: tensor "0\.values" has shape \[8, 1\], expected \[48, 1\]/);
  const nan = await damaged('history-nan', 'history.safetensors', (t) => (t.get('0.values')!.data[5] = NaN));
  assert.match(await loadError(nan), /history\.safetensors: tensor "0\.values" holds NaN at element 5/);
});

test('history timestamps that do not increase are refused', async () => {
  const dir = path.join(root, 'history-time');
  await cp(good, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, 'forecast.json'), 'utf8'));
  manifest.history.series[0].time[3] = manifest.history.series[0].time[2];
  await writeFile(path.join(dir, 'forecast.json'), JSON.stringify(manifest));
  assert.match(await loadError(dir), /forecast\.json: the history timestamps of series "a" do not strictly increase/);
});

test('a missing model file and a damaged scaler entry are named, not raw ENOENT or TypeError', async () => {
  const gone = path.join(root, 'model-gone');
  await cp(good, gone, { recursive: true });
  await rm(path.join(gone, 'models/1-dlinear.safetensors'));
  assert.match(await loadError(gone), /loadForecast: \S*1-dlinear\.safetensors is missing; the save is incomplete/);
  const scaler = path.join(root, 'scaler-nan');
  await cp(good, scaler, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(scaler, 'forecast.json'), 'utf8'));
  manifest.scaler.std[0] = null; // what JSON.stringify writes for NaN
  await writeFile(path.join(scaler, 'forecast.json'), JSON.stringify(manifest));
  assert.match(await loadError(scaler), /forecast\.json: the scaler entry is damaged/);
});

test.run();
