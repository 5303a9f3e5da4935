/**
 * ETTh1 (hourly, 7 channels) with the S4 forecaster, by the long-horizon protocol of the
 * DLinear/PatchTST papers (lookback 336, horizon 96, every test window, MSE/MAE on z-scored
 * values), beside the closed-form RidgeLinear model. The S4 model is the S4 Informer forecasting
 * setup (lookback + 96 zeros through causal S4D blocks, the last 96 positions decoded) with
 * per-window normalisation, at CPU size (width 32, 2 blocks, N = 64) and a fixed budget of
 * training steps (about ten minutes on two cores).
 *
 * Run: npx tsx examples/s4-etth1.ts [--data PATH] [--steps N] [--quick]
 * Reads ../shared/data/forecasting/ETTh1.csv (or --data); prints a `note:` and exits 0 without it.
 * Quick mode: a tiny S4 model and 2 training steps (checks that everything runs).
 */
import { parseArgs } from 'node:util';
import { RidgeLinear, S4Forecaster } from '../index.ts';
import { quickMode, runExample } from './support/long-horizon.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, steps: { type: 'string' }, quick: { type: 'boolean' } } });
const quick = quickMode();
const tiny = { dModel: 8, dState: 8, layers: 1 };

await runExample({
  dataset: 'ETTh1',
  file: 'ETTh1.csv',
  horizons: [96],
  models: [
    {
      label: 'RidgeLinear L=336',
      create: (horizon) => new RidgeLinear({ lookback: 336, horizon }),
      reference: { source: 'ridge on this copy, benchmarks.md §2.5', figures: { 96: [0.37, 0.392] } },
    },
    {
      label: 'S4 L=336',
      create: (horizon) =>
        new S4Forecaster({ lookback: 336, horizon, maxSteps: Number(values.steps ?? 550), evalEvery: 100, validationStride: 8, ...(quick ? tiny : {}) }),
    },
  ],
});
