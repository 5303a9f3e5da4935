/**
 * The Time-MoE forecaster on the tiny real checkpoint: its forecast equals `generate` called by
 * hand on the normalised context (each normalisation), channel by channel; zero-shot fit trains
 * nothing; fine-tuning lowers the training loss; save → loadForecast forecasts the same without
 * the original weights; missing values and bad settings give clear errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forecast, init, loadForecastWith, shutdown, tensor, type ContextWindows, type Panel } from '../../src/index.ts';
import { loadForecast as loadWithRegistry } from '../../models/registry.ts';
import { TimeMoE, TimeMoEForecaster, generate, timeMoEContextLength, type TimeMoENormalization } from '../../models/time-moe/index.ts';
import { windowSequences } from '../../models/time-moe/fine-tune.ts';
import { timeMoELoss } from '../../models/time-moe/loss.ts';
import { batches } from '../../src/data/windows.ts';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/time-moe-tiny');
const HOUR = 3600_000;

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

/** Two channels of an hourly series: a daily cycle around 20 and a trend around −3. */
function panel(steps = 24 * 8): Panel {
  const time = Float64Array.from({ length: steps }, (_, t) => Date.UTC(2024, 0, 1) + t * HOUR);
  const values = new Float32Array(steps * 2);
  for (let t = 0; t < steps; t++) {
    values[t * 2] = 20 + 4 * Math.sin((2 * Math.PI * t) / 24);
    values[t * 2 + 1] = -3 + 0.05 * t + 0.3 * Math.cos(t / 3);
  }
  return {
    series: [{ id: 'a', time, values, mask: new Uint8Array(steps * 2).fill(1) }],
    channels: ['y', 'z'],
    frequency: { kind: 'fixed', ms: HOUR },
    timeZone: 'UTC',
  };
}

/** The last `L` steps of the panel's series as one window. */
function lastWindow(p: Panel, L: number): ContextWindows {
  const s = p.series[0];
  const steps = s.time.length;
  return { count: 1, length: L, channels: 2, values: s.values.slice((steps - L) * 2), mask: s.mask.slice((steps - L) * 2) };
}

/** `generate` by hand: channel c's context normalised as `normalization` says, forecast, denormalised. */
async function byHand(window: ContextWindows, channel: number, horizon: number, normalization: TimeMoENormalization): Promise<number[]> {
  const x = Array.from({ length: window.length }, (_, t) => window.values[t * window.channels + channel]);
  const n = x.length;
  const mean = normalization === 'none' ? 0 : x.reduce((a, b) => a + b, 0) / n;
  const ss = x.reduce((a, b) => a + (b - mean) ** 2, 0);
  const std = normalization === 'none' ? 1 : Math.sqrt(ss / (normalization === 'window-unbiased' ? n - 1 : n));
  const model = await TimeMoE.fromPretrained(fixture);
  const y = await (await generate(model, tensor([x.map((v) => (v - mean) / std)]), horizon)).data();
  return Array.from(y, (v) => v * std + mean);
}

for (const normalization of ['window-unbiased', 'window-population', 'none'] as const) {
  test(`forecast = generate by hand on the context normalised '${normalization}', each channel on its own`, async () => {
    const model = new TimeMoEForecaster({ weights: fixture, lookback: 48, horizon: 10, normalization });
    const window = lastWindow(panel(), 48);
    const { point } = await model.forecast(window, { horizon: 10 });
    for (const channel of [0, 1]) {
      const expected = await byHand(window, channel, 10, normalization);
      const got = Array.from({ length: 10 }, (_, h) => point[h * 2 + channel]);
      for (let h = 0; h < 10; h++)
        assert.ok(Math.abs(got[h] - expected[h]) < 1e-4 * (1 + Math.abs(expected[h])), `channel ${channel} step ${h}: ${got[h]} vs ${expected[h]}`);
    }
  });
}

test('generate calls of a few rows give the forecast of one call of all (rows split across calls, put back in place)', async () => {
  const s = panel().series[0];
  const L = 24;
  const starts = [0, 50, 100];
  const values = new Float32Array(starts.length * L * 2);
  starts.forEach((start, n) => values.set(s.values.subarray(start * 2, (start + L) * 2), n * L * 2));
  const windows: ContextWindows = { count: 3, length: L, channels: 2, values, mask: new Uint8Array(values.length).fill(1) };
  const all = await new TimeMoEForecaster({ weights: fixture, lookback: L, horizon: 5 }).forecast(windows, { horizon: 5 });
  const few = await new TimeMoEForecaster({ weights: fixture, lookback: L, horizon: 5, predictBatchSize: 4 }).forecast(windows, { horizon: 5 });
  assert.ok(all.point.every((v, i) => Math.abs(v - few.point[i]) < 1e-4 * (1 + Math.abs(v))));
  const second = await byHand({ ...windows, count: 1, values: values.slice(L * 2, 2 * L * 2) }, 1, 5, 'window-unbiased');
  for (let h = 0; h < 5; h++) assert.ok(Math.abs(few.point[(5 + h) * 2 + 1] - second[h]) < 1e-4 * (1 + Math.abs(second[h])), 'window 1, channel 1');
});

test('the normalisations differ where they should: unbiased and population std give different forecasts', async () => {
  const window = lastWindow(panel(), 24);
  const forecast = async (normalization: TimeMoENormalization) =>
    (await new TimeMoEForecaster({ weights: fixture, lookback: 24, horizon: 4, normalization }).forecast(window, { horizon: 4 })).point;
  const [unbiased, population] = [await forecast('window-unbiased'), await forecast('window-population')];
  assert.ok(
    unbiased.some((v, i) => Math.abs(v - population[i]) > 1e-5),
    'the std matters',
  );
});

test('zero-shot: fit loads the weights and trains nothing, and says so; any horizon at predict time', async () => {
  const model = new TimeMoEForecaster({ weights: fixture, lookback: 48, horizon: 12 });
  assert.is(model.capabilities.zeroShot, true);
  assert.is(model.capabilities.horizon, 'any');
  const fc = new Forecast({ models: [model] });
  await fc.fit(panel(), { progress: 'silent' });
  assert.equal([model.lastFit?.mode, model.lastFit?.steps], ['zero-shot', 0]);
  const capped = new TimeMoEForecaster({ weights: fixture, lookback: 48, horizon: 12, fineTune: true });
  await capped.fit({ train: panel() }, { maxSteps: 0, progress: 'silent' });
  assert.equal([capped.lastFit?.mode, capped.lastFit?.steps], ['zero-shot', 0], 'maxSteps 0 is zero-shot too');
  const result = await fc.predict();
  const values = result.get('TimeMoE', 'a').point.values;
  assert.is(values.length, 12 * 2);
  assert.ok(values.every(Number.isFinite));
  const longer = await model.predict([fc.scale(panel().series[0])], { kind: 'steps', steps: 20 });
  assert.is(longer[0].point.values.length, 40, 'a horizon other than the configured one');
  assert.is(longer[0].scales.at(-1)?.point, longer[0].point, 'the scales end with the point forecast');
});

test('fine-tuning lowers the training loss on a small series', async () => {
  const p = panel(24 * 6);
  const settings = { lookback: 24, horizon: 8, normalization: 'window-unbiased' as const };
  const model = new TimeMoEForecaster({ weights: fixture, ...settings, fineTune: true, learningRate: 3e-3, minLearningRate: 1e-3, maxSteps: 30, batchSize: 8 });
  const network = await model.ready();
  const lossOf = async () => {
    let total = 0;
    let count = 0;
    for (const batch of batches(p, { lookback: 24, horizon: 8, batchSize: 64 })) {
      const { input, labels, mask } = windowSequences(batch, 2, settings);
      total += await timeMoELoss(network, input, labels, mask).loss.item();
      count++;
    }
    return total / count;
  };
  const before = await lossOf();
  await model.fit({ train: p }, { progress: 'silent', seed: 1 });
  const after = await lossOf();
  assert.equal([model.lastFit?.mode, model.lastFit?.steps], ['fine-tuned', 30]);
  assert.ok(after < 0.9 * before, `training loss ${before} → ${after}`);
});

test('save → loadForecast forecasts the same, rebuilt from the saved architecture without the weights folder', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'time-moe-forecaster-'));
  try {
    const model = new TimeMoEForecaster({ weights: fixture, lookback: 36, horizon: 6, fineTune: true, maxSteps: 2, batchSize: 4 });
    const fc = new Forecast({ models: [model] });
    await fc.fit(panel(), { progress: 'silent' });
    const before = (await fc.predict()).toTable().objects();
    await fc.save(dir);
    const loaded = await loadWithRegistry(dir);
    const config = loaded.models[0].config as { architecture?: { hidden_size: number }; lookback: number };
    assert.equal([loaded.models[0].family, config.architecture?.hidden_size, config.lookback], ['timeMoE', 16, 36]);
    // Point the weights elsewhere: the saved state, not the folder, must be what forecasts.
    assert.equal((await loaded.predict()).toTable().objects(), before);
    const again = await loadForecastWith(dir, {
      timeMoE: (c) => new TimeMoEForecaster({ ...(c as { lookback: number; horizon: number }), weights: '/no/such/folder' }),
    });
    assert.equal((await again.predict()).toTable().objects(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('missing context values are fed as the mean; a channel with none observed is a clear error', async () => {
  const model = new TimeMoEForecaster({ weights: fixture, lookback: 24, horizon: 4 });
  const window = lastWindow(panel(), 24);
  window.values[5 * 2] = Number.NaN;
  window.mask[5 * 2] = 0;
  const { point } = await model.forecast(window, { horizon: 4 });
  assert.ok(point.every(Number.isFinite));
  for (let t = 0; t < 24; t++) window.mask[t * 2 + 1] = 0;
  try {
    await model.forecast(window, { horizon: 4 });
    assert.unreachable('a channel without observed values');
  } catch (error) {
    assert.match((error as Error).message, /window 0, channel 1 has no observed value/);
  }
});

test('a model from an architecture must be fine-tuned; one without weights or architecture is refused', async () => {
  const architecture = { hidden_size: 8, intermediate_size: 16, horizon_lengths: [1, 4], num_hidden_layers: 1, num_attention_heads: 2, num_experts: 2 };
  const fresh = new TimeMoEForecaster({ architecture, lookback: 16, horizon: 4 });
  try {
    await fresh.fit({ train: panel() }, { progress: 'silent' });
    assert.unreachable('zero-shot on random weights');
  } catch (error) {
    assert.match((error as Error).message, /random weights; fit it with fineTune: true/);
  }
  for (const attempt of [() => fresh.fit({ train: panel() }, { progress: 'silent' }), () => fresh.forecast(lastWindow(panel(), 16), { horizon: 4 })]) {
    try {
      await attempt();
      assert.unreachable('a second try, or a forecast, on random weights');
    } catch (error) {
      assert.match((error as Error).message, /random weights|untrained/);
    }
  }
  const trained = new TimeMoEForecaster({ architecture, lookback: 16, horizon: 4, fineTune: true, maxSteps: 2 });
  await trained.fit({ train: panel() }, { progress: 'silent' });
  assert.is(trained.lastFit?.steps, 2);
  assert.ok((await trained.forecast(lastWindow(panel(), 16), { horizon: 4 })).point.every(Number.isFinite));
  assert.throws(() => new TimeMoEForecaster({ lookback: 16, horizon: 4 }), /give `weights`/);
});

test('the official context by horizon (run_eval): 96 → 512, 192 → 1024, 336 → 2048, 720 → 3072, else 4·H', () => {
  assert.equal([96, 192, 336, 720, 24].map(timeMoEContextLength), [512, 1024, 2048, 3072, 96]);
});

test.run();
