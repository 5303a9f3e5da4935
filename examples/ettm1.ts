/**
 * ETTm1 (the ETTh1 transformer every 15 minutes: 69,680 rows × 7 channels, gzipped) by the
 * long-horizon protocol: lookback 336 (3.5 days), horizons 96–720, every test window (over
 * 10,000 per horizon), MSE/MAE on z-scored values, with the closed-form RidgeLinear model.
 *
 * Run: npx tsx examples/ettm1.ts [--data PATH] [--quick]
 * Reads ../shared/data/forecasting/ETTm1.csv.gz (or --data); prints a `note:` and exits 0 without it.
 * Expected: within ±0.005 of the reference; DLinear's paper reports 0.299 / 0.343 at H=96.
 */
import { RidgeLinear } from '../index.ts';
import { runExample } from './support/long-horizon.ts';

await runExample({
  dataset: 'ETTm1',
  file: 'ETTm1.csv.gz',
  horizons: [96, 192, 336, 720],
  models: [
    {
      label: 'RidgeLinear L=336',
      create: (horizon) => new RidgeLinear({ lookback: 336, horizon }),
      reference: {
        source: 'ridge on this copy, benchmarks.md §2.5',
        figures: { 96: [0.299, 0.343], 192: [0.334, 0.364], 336: [0.368, 0.384], 720: [0.423, 0.418] },
      },
    },
  ],
});
