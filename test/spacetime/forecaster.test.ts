/**
 * The SpaceTime forecaster behind the uniform interface: capabilities and family registration,
 * a Forecast fit / predict / save / load round trip with identical forecasts on two channels,
 * and the channel-count check.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forecast, SpaceTimeForecaster, init, loadForecast, shutdown, type Panel } from '../../index.ts';
import { Random } from '../../src/engine.ts';
import { modelFamilies } from '../../models/index.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const HOUR = 3600_000;

/** Two channels with a 12-step cycle and noise, one phase per series. */
function seasonalPanel(steps: number, seriesCount: number): Panel {
  const rng = new Random(3);
  const series = Array.from({ length: seriesCount }, (_, s) => {
    const values = new Float32Array(steps * 2);
    for (let t = 0; t < steps; t++) {
      values[2 * t] = Math.sin((2 * Math.PI * t) / 12 + s) + 0.3 * rng.normal();
      values[2 * t + 1] = 0.5 * Math.cos((2 * Math.PI * t) / 12) + 0.3 * rng.normal() + 2;
    }
    return { id: `s${s}`, time: Float64Array.from({ length: steps }, (_, t) => t * HOUR), values, mask: new Uint8Array(steps * 2).fill(1) };
  });
  return { series, channels: ['a', 'b'], frequency: { kind: 'fixed', ms: HOUR }, timeZone: 'UTC' };
}

const small = { lookback: 36, horizon: 12, modelDim: 8, kernelDim: 8, dropout: 0, maxAvgWindow: 12, learningRate: 0.01 };

test('capabilities, name and family: a channel-independent point model with a fixed horizon, registered as spaceTime', () => {
  const model = new SpaceTimeForecaster({ lookback: 96, horizon: 24 });
  assert.is(model.name, 'SpaceTime');
  assert.is(model.family, 'spaceTime');
  assert.equal(model.capabilities, {
    multivariate: false,
    futureCovariates: false,
    pastCovariates: false,
    probabilistic: 'none',
    zeroShot: false,
    horizon: 'fixed',
    context: 96,
    signal: '1d',
  });
  assert.instance(modelFamilies.spaceTime.load({ lookback: 8, horizon: 4, channels: 3, modelDim: 8, kernelDim: 4 }), SpaceTimeForecaster);
  assert.throws(() => model.state(), /fit the model/);
});

test('through Forecast: fit, predict, save and load give identical forecasts and keep the channel count', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-spacetime-'));
  try {
    const fc = new Forecast({ models: [new SpaceTimeForecaster({ ...small, name: 'ST' })] });
    await fc.fit(seasonalPanel(300, 2), { maxSteps: 10, progress: 'silent' });
    const before = (await fc.predict()).toTable().objects() as Record<string, unknown>[];
    assert.is(before.length, 2 * 12 * 2);
    assert.ok(before.every((row) => Number.isFinite(row.ST as number)));
    await fc.save(dir);
    const loaded = await loadForecast(dir);
    assert.is((loaded.models[0].config as { channels: number }).channels, 2);
    assert.equal((await loaded.predict()).toTable().objects(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a model built for some channels refuses data with others', async () => {
  const model = new SpaceTimeForecaster({ ...small, channels: 3 });
  try {
    await model.fit({ train: seasonalPanel(200, 1) }, { maxSteps: 1, progress: 'silent' });
    assert.unreachable('fit should throw');
  } catch (error) {
    assert.match(String(error), /built for 3 channels; the data have 2/);
  }
});

test.run();
