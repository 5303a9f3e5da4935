/** The model registry: every family builds from the CLI's settings and round-trips through save and load, old checkpoints included. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forecast, init, loadForecast, modelFamilies, modelKeys, shutdown, type Panel } from '../../index.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const HOUR = 3600_000;

/** One hourly series with a daily cycle, long enough for a few training windows of every family. */
function panel(): Panel {
  const steps = 24 * 12;
  const time = Float64Array.from({ length: steps }, (_, t) => Date.UTC(2024, 0, 1) + t * HOUR);
  const values = Float32Array.from({ length: steps }, (_, t) => 5 + Math.sin((2 * Math.PI * t) / 24) + 0.01 * t);
  return { series: [{ id: 'a', time, values, mask: new Uint8Array(steps).fill(1) }], channels: ['y'], frequency: { kind: 'fixed', ms: HOUR }, timeZone: 'UTC' };
}

// The pretrained families (timeMoE) load the tiny real checkpoint; the others ignore `weights`.
const settings = { horizon: 6, lookback: 24, season: 24, weights: fileURLToPath(new URL('../fixtures/time-moe-tiny', import.meta.url)) };

for (const key of modelKeys) {
  test(`${key}: built from the CLI settings, fitted, saved and loaded, it forecasts the same values`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `chronoscale-registry-${key}-`));
    try {
      const model = modelFamilies[key].create(settings);
      const fc = new Forecast({ models: [model] });
      await fc.fit(panel(), { maxSteps: 2, progress: 'silent' });
      const before = (await fc.predict()).toTable().objects();
      await fc.save(dir);
      const loaded = await loadForecast(dir);
      assert.is(loaded.models[0].family, key);
      assert.is(loaded.models[0].name, modelFamilies[key].name);
      assert.equal((await loaded.predict()).toTable().objects(), before);
      assert.ok(Object.keys(before[0]).includes(modelFamilies[key].name), 'the output column is the family name');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test("a checkpoint saved under a former family key ('spacetime') still loads", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-registry-former-'));
  try {
    const fc = new Forecast({ models: [modelFamilies.spaceTime.create(settings)] });
    await fc.fit(panel(), { maxSteps: 1, progress: 'silent' });
    const before = (await fc.predict()).toTable().objects();
    await fc.save(dir);
    const manifestPath = path.join(dir, 'forecast.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.models[0].family = 'spacetime';
    await writeFile(manifestPath, JSON.stringify(manifest));
    const loaded = await loadForecast(dir);
    assert.is(loaded.models[0].family, 'spaceTime', 'loaded under its current key');
    assert.equal((await loaded.predict()).toTable().objects(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
