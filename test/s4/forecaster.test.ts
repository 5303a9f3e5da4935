/**
 * The S4 forecaster: its capabilities and config, the network's shapes and per-window
 * normalisation, fitting and scoring on a noisy seasonal panel against seasonal naive by the
 * long-horizon protocol, and a Forecast save/load round trip with identical forecasts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forecast, S4Forecaster, SeasonalNaive, init, loadForecast, runLongHorizon, shutdown, type Panel } from '../../index.ts';
import { Random, narrow, randn } from '../../src/engine.ts';
import { S4ForecastNetwork } from '../../models/s4/index.ts';
import { modelFamilies } from '../../models/index.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

const HOUR = 3600_000;

/** Two channels with a 12-step cycle, a phase per series and Gaussian noise (σ = 0.3). */
function seasonalPanel(steps = 720, seriesCount = 1): Panel {
  const rng = new Random(3);
  const series = Array.from({ length: seriesCount }, (_, s) => {
    const values = new Float32Array(steps * 2);
    for (let t = 0; t < steps; t++) {
      values[2 * t] = Math.sin((2 * Math.PI * t) / 12 + s) + 0.3 * rng.normal();
      values[2 * t + 1] = 0.5 * Math.cos((2 * Math.PI * t) / 12) + 0.2 * values[2 * t] + 0.3 * rng.normal() + 2;
    }
    return { id: `s${s}`, time: Float64Array.from({ length: steps }, (_, t) => t * HOUR), values, mask: new Uint8Array(steps * 2).fill(1) };
  });
  return { series, channels: ['a', 'b'], frequency: { kind: 'fixed', ms: HOUR }, timeZone: 'UTC' };
}

const small = { lookback: 48, horizon: 12, dModel: 16, dState: 16, dropout: 0, learningRate: 0.01, dtMax: 1 };

test('capabilities, name and family: a channel-independent point model with a fixed horizon, registered as s4', () => {
  const model = new S4Forecaster({ lookback: 96, horizon: 24 });
  assert.is(model.name, 'S4');
  assert.is(model.family, 's4');
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
  assert.ok(new S4Forecaster({ lookback: 96, horizon: 24, channelIndependent: false }).capabilities.multivariate);
  assert.is(new S4Forecaster({ lookback: 96, horizon: 24, name: 'S4-big' }).name, 'S4-big');
  assert.instance(modelFamilies.s4.load({ lookback: 8, horizon: 4, channels: 3 }), S4Forecaster);
  assert.throws(() => model.state(), /fit the model/);
});

test("the network maps [B, L, C] to [B, H, C] and is invariant to each window's level and scale (RevIN)", async () => {
  const network = new S4ForecastNetwork({ lookback: 24, horizon: 6, channels: 3, dModel: 8, layer: { dState: 8 }, rng: new Random(1) }).eval();
  const x = randn([2, 24, 3], new Random(2));
  const y = network.forward(x);
  assert.equal(y.shape, [2, 6, 3]);
  const shifted = await network.forward(x.mul(3).add(5)).data();
  assertClose(
    shifted,
    Float32Array.from(await y.data(), (v) => 3 * v + 5),
    'forecast of 3x + 5',
    { rtol: 1e-3, atol: 1e-4 },
  );
  assert.throws(() => network.forward(randn([2, 24, 2], new Random(3))), /expected x \[B, 24, 3\]/);
});

test('a channel-independent network forecasts each channel as the same univariate model would', async () => {
  const options = { lookback: 16, horizon: 4, dModel: 8, layer: { dState: 8 }, channelIndependent: true };
  const network = new S4ForecastNetwork({ ...options, channels: 3, rng: new Random(4) }).eval();
  const single = new S4ForecastNetwork({ ...options, channels: 1, rng: new Random(4) }).eval();
  const x = randn([2, 16, 3], new Random(5));
  const y = await network.forward(x).data(); // [2, 4, 3]
  for (let c = 0; c < 3; c++) {
    const alone = await single.forward(narrow(x, 2, c, 1)).data(); // [2, 4, 1]
    assertClose(
      Float32Array.from({ length: 8 }, (_, i) => y[i * 3 + c]),
      alone,
      `channel ${c}`,
      { rtol: 1e-4, atol: 1e-5 },
    );
  }
});

test('fitted on a noisy seasonal panel it beats seasonal naive by 30 % by the long-horizon protocol', async () => {
  const panel = seasonalPanel(1200);
  const s4 = await runLongHorizon(panel, new S4Forecaster({ ...small, maxEpochs: 4, patience: 2 }), { datasetName: 'synthetic', fit: { progress: 'silent' } });
  const naive = await runLongHorizon(panel, new SeasonalNaive({ horizon: 12, season: 12 }), { datasetName: 'synthetic' });
  // Seen here: 0.26 against 0.49 (seasonal naive carries the noise of two observations).
  assert.ok(s4.mse < 0.7 * naive.mse, `S4 MSE ${s4.mse.toFixed(3)} vs seasonal naive ${naive.mse.toFixed(3)}`);
});

test('through Forecast: fit, predict, save and load give identical forecasts and keep the channel count', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-s4-'));
  try {
    const fc = new Forecast({ models: [new S4Forecaster({ ...small, name: 'S4D' })] });
    await fc.fit(seasonalPanel(400, 2), { maxSteps: 20, progress: 'silent' });
    const before = (await fc.predict()).toTable().objects() as Record<string, unknown>[];
    assert.is(before.length, 2 * 12 * 2);
    assert.ok(before.every((row) => Number.isFinite(row.S4D as number)));
    await fc.save(dir);
    const loaded = await loadForecast(dir);
    assert.is((loaded.models[0].config as { channels: number }).channels, 2);
    assert.equal((await loaded.predict()).toTable().objects(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a model built for some channels refuses data with others', async () => {
  const model = new S4Forecaster({ ...small, channels: 3 });
  try {
    await model.fit({ train: seasonalPanel(200) }, { maxSteps: 1, progress: 'silent' });
    assert.unreachable('fit should throw');
  } catch (error) {
    assert.match(String(error), /built for 3 channels; the data have 2/);
  }
});

test.run();
