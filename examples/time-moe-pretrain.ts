/**
 * The cpu pretraining preset of Time-MoE, in small: pretrain from scratch on the training split
 * of ETTh2 (every channel a univariate series, scaled and packed as the official
 * TimeMoEWindowDataset), save a Hugging Face folder, load it back, and forecast 96 hours of
 * ETTh1's oil temperature zero-shot (a data set the model never saw).
 * The full preset (ETTh2, exchange_rate and national_illness, an hour's budget, the official
 * zero-shot evaluation on ETTh1 and ETTm1): `npm run bench:timemoe-pretrain`.
 *
 * Run: npx tsx examples/time-moe-pretrain.ts [--data DIR] [--seconds N] [--quick]
 * Reads ../shared/data/forecasting (or --data); prints a `note:` and exits 0 without it.
 * Default 60 seconds of training; quick mode (--quick or CHRONOSCALE_EXAMPLE_QUICK=1): 2 steps of 2 windows.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPanel, splitRanges } from '../index.ts';
import { AdamW, Random, tensor, train, warmupCosine } from '../src/engine.ts';
import { TimeMoE, generate, packWindows, timeMoECpuPreset, timeMoELoss, timeMoEParamGroups, zeroScale } from '../models/time-moe/index.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, seconds: { type: 'string' }, quick: { type: 'boolean' } } });
const quick = values.quick || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const dataDir = values.data ?? path.join(import.meta.dirname, '..', '..', 'shared', 'data', 'forecasting');
if (!existsSync(path.join(dataDir, 'ETTh2.csv'))) {
  console.log(`note: ${dataDir}/ETTh2.csv not found; pass --data DIR with the ETT CSVs`);
  process.exit(0);
}
const preset = timeMoECpuPreset;
const t = preset.maxLength;

// Every channel of ETTh2's training rows (TSLib's first 12 months), scaled on its own, packed.
const { panel } = await loadPanel(path.join(dataDir, 'ETTh2.csv'));
const c = panel.channels.length;
const [, trainEnd] = splitRanges(panel.series[0].time.length, { protocol: 'ETTh', lookback: 0 }).train;
const channels = Array.from({ length: c }, (_, ch) => zeroScale(Array.from({ length: trainEnd }, (_, r) => panel.series[0].values[r * c + ch])));
const windows = packWindows(channels, t);
console.log(`ETTh2: ${windows.length} windows of ${t} points from ${c} channels`);

const model = new TimeMoE(preset.config, { rng: new Random(0) });
console.log(`Time-MoE cpu preset: ${model.parameterCount()} parameters`);
const steps = quick ? 2 : 1000;
// Quick mode (the examples test): two steps on batches of two windows, to show the path works.
const batchSize = quick ? 2 : preset.batchSize;
const stop = new AbortController();
// The budget is wall-clock time (quick mode: its steps, however long they take).
if (!quick) setTimeout(() => stop.abort(), 1000 * Number(values.seconds ?? 60)).unref();
const result = await train({
  model,
  loss: (b: { input: Float32Array; labels: Float32Array; mask: Float32Array }) => {
    const shape = [b.input.length / t, t];
    return timeMoELoss(model, tensor(b.input, shape), tensor(b.labels, shape), tensor(b.mask, shape)).loss;
  },
  trainBatches: (_epoch, rng) => {
    const order = rng.permutation(windows.length);
    const batches = [];
    for (let i = 0; i < order.length; i += batchSize) {
      const chosen = Array.from(order.subarray(i, i + batchSize), (k) => windows[k]);
      const join = (key: 'input' | 'labels' | 'lossMask') => Float32Array.from(chosen.flatMap((w) => [...w[key]]));
      batches.push({ input: join('input'), labels: join('labels'), mask: join('lossMask') });
    }
    return batches;
  },
  optimizer: new AdamW(timeMoEParamGroups(model, { weightDecay: preset.weightDecay }), { lr: preset.lr, betas: preset.betas }),
  schedule: warmupCosine({ warmupSteps: quick ? 1 : 2, totalSteps: steps, minFactor: preset.minLrFactor }),
  clipGradNorm: preset.clipGradNorm,
  maxSteps: steps,
  signal: stop.signal,
  progress: 'lines',
  logEvery: 5,
});
console.log(`trained ${result.steps} steps in ${result.seconds.toFixed(0)} s, last loss ${result.history.at(-1)?.loss.toFixed(4)}`);

const dir = path.join(import.meta.dirname, '..', 'out', 'time-moe-cpu-example');
await model.save(dir);
const loaded = await TimeMoE.fromPretrained(dir);
console.log(`saved and reloaded ${dir}`);

// Zero-shot: ETTh1's oil temperature, the 512 hours before its test split, scaled by its train rows.
const etth1 = (await loadPanel(path.join(dataDir, 'ETTh1.csv'))).panel;
const ot = etth1.channels.indexOf('OT');
const column = Array.from(etth1.series[0].time, (_, r) => etth1.series[0].values[r * etth1.channels.length + ot]);
const fit = column.slice(0, trainEnd); // ETTh1's training rows: the same ETTh borders as ETTh2
const mean = fit.reduce((a, b) => a + b, 0) / fit.length;
const std = Math.sqrt(fit.reduce((a, b) => a + (b - mean) ** 2, 0) / fit.length);
const testStart = 16 * 30 * 24;
const context = column.slice(testStart - t, testStart).map((v) => (v - mean) / std);
const forecast = await (await generate(loaded, tensor(Float32Array.from(context), [1, t]), 96)).data();
const actual = column.slice(testStart, testStart + 96);
const predicted = Array.from(forecast, (v) => v * std + mean);
const mae = predicted.reduce((a, v, i) => a + Math.abs(v - actual[i]), 0) / 96;
console.log(`ETTh1 OT, next 96 hours, zero-shot: first ${predicted.slice(0, 4).map((v) => v.toFixed(2))} … (MAE ${mae.toFixed(3)} °C)`);
