/**
 * Fine-tuning a Time-MoE checkpoint on ETTh1 (hourly, 7 channels), scored before and after by
 * the official zero-shot protocol (run_eval: train-split z-scores, no per-window normalisation,
 * each channel a univariate series, every test window, context 512 at H=96): the zero-shot model,
 * then the same weights fine-tuned on the training split with the official objective and
 * optimiser (AdamW β (0.9, 0.95), 1e-4 cosine to 5e-5, weight decay 0.1, clipping 1.0), early
 * stopping on the validation split.
 *
 * The checkpoint is a Hugging Face folder (e.g. Maple728/TimeMoE-50M as downloaded); without one
 * the tiny test checkpoint (random weights) is used, which shows the path runs, not accuracy. On
 * a CPU the 50M model takes minutes per fine-tuning step and hours for every test window.
 *
 * Run: npx tsx examples/time-moe-finetune-etth1.ts [CHECKPOINT_DIR] [--data PATH] [--steps N] [--quick]
 * Reads ../shared/data/forecasting/ETTh1.csv (or --data: the folder or the file); prints a `note:`
 * and exits 0 without it. Quick mode: the first 1,500 rows under a 7:1:2 split, horizon 8 from a
 * context of 32, 2 fine-tuning steps (checks that everything runs).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TimeMoEForecaster, init, loadPanel, runLongHorizon, shutdown, sliceSeries } from '../index.ts';

const { values, positionals } = parseArgs({
  options: { data: { type: 'string' }, steps: { type: 'string' }, quick: { type: 'boolean' } },
  allowPositionals: true,
});
const here = path.dirname(fileURLToPath(import.meta.url));
const tiny = path.resolve(here, '../test/fixtures/time-moe-tiny');
const weights = positionals[0] ?? tiny;
const quick = values.quick || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const given = values.data ?? path.resolve(here, '../../shared/data/forecasting');
const file = existsSync(given) && statSync(given).isDirectory() ? path.join(given, 'ETTh1.csv') : given;
if (!existsSync(file)) {
  console.log(`note: ETTh1 skipped: ${file} not found (pass --data with your copy)`);
  process.exit(0);
}

await init();
const { panel: full } = await loadPanel(file);
const c = full.channels.length;
// Quick mode: a prefix under the ratio split, so that scoring every test window takes seconds.
const panel = quick ? { ...full, series: full.series.map((s) => sliceSeries(s, c, [0, 1500])) } : full;
const [horizon, lookback] = quick ? [8, 32] : [96, 512];
const split = quick ? { datasetName: 'ETTh1 (first 1,500 rows)', protocol: 'ratio' as const } : { datasetName: 'ETTh1' };
const official = { weights, lookback, horizon, normalization: 'none' as const };
console.log(`${split.datasetName}: ${panel.series[0].time.length} steps × ${c} channels; checkpoint ${weights}; H=${horizon}, context ${lookback}`);

const models = [
  { label: 'zero-shot', model: new TimeMoEForecaster(official) },
  {
    label: 'fine-tuned',
    // One window (7 channel sequences) per step keeps a CPU step of the 50M model to minutes; validation on every 24th window.
    model: new TimeMoEForecaster({ ...official, fineTune: true, batchSize: 1, validationStride: 24, maxSteps: quick ? 2 : Number(values.steps ?? 20) }),
  },
];
for (const { label, model } of models) {
  const result = await runLongHorizon(panel, model, { ...split, fit: { progress: 'silent' } });
  const fit = model.lastFit!;
  console.log(
    `  TimeMoE ${label.padEnd(10)} MSE ${result.mse.toFixed(3)}  MAE ${result.mae.toFixed(3)}  (${result.testWindows} windows; ${fit.steps} steps in ${result.trainSeconds.toFixed(1)} s, test ${result.testSeconds.toFixed(1)} s)`,
  );
}
if (weights === tiny) console.log('note: the tiny test checkpoint has random weights; pass the folder of the published ones (e.g. Maple728/TimeMoE-50M)');
else if (!quick) console.log('  published TimeMoE-50M zero-shot at H=96 (run_eval, benchmarks.md §4.1): MSE 0.357  MAE 0.382');
await shutdown();
