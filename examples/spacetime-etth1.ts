/**
 * ETTh1 (hourly, 7 channels) at horizon 720 with SpaceTime, by the long-horizon protocol of the
 * DLinear/PatchTST papers (lookback 336, every test window, MSE/MAE on z-scored values), beside
 * the closed-form RidgeLinear model. SpaceTime is the paper's Informer configuration (a preprocessing
 * + companion SSM encoder block, the closed-loop companion decoder, lookback-mean subtraction,
 * the three-term loss) at CPU size (width 64, state 32), each channel forecast on its own, with
 * a fixed budget of training steps (300 by default, about ten minutes on two cores; at 400 steps
 * SpaceTime scored MSE 0.525 against RidgeLinear's 0.471, see models/spacetime/README.md).
 *
 * Run: npx tsx examples/spacetime-etth1.ts [--data PATH] [--steps N] [--quick]
 * Reads ../shared/data/forecasting/ETTh1.csv (or --data); prints a `note:` and exits 0 without it.
 * Quick mode: a tiny SpaceTime and 2 training steps (checks that everything runs).
 */
import { parseArgs } from 'node:util';
import { RidgeLinear, SpaceTimeForecaster } from '../index.ts';
import { quickMode, runExample } from './support/long-horizon.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, steps: { type: 'string' }, quick: { type: 'boolean' } } });
const tiny = { modelDim: 8, kernelDim: 8 };

await runExample({
  dataset: 'ETTh1',
  file: 'ETTh1.csv',
  horizons: [720],
  models: [
    { label: 'RidgeLinear L=336', create: (horizon) => new RidgeLinear({ lookback: 336, horizon }) },
    {
      label: 'SpaceTime L=336',
      create: (horizon) =>
        new SpaceTimeForecaster({
          lookback: 336,
          horizon,
          maxSteps: Number(values.steps ?? 300),
          evalEvery: 100,
          validationStride: 8,
          ...(quickMode() ? tiny : {}),
        }),
    },
  ],
});
