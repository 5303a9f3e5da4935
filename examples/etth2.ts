/**
 * ETTh2 (the second transformer of the ETT data, hourly, 7 channels) by the long-horizon
 * protocol: lookback 336, horizons 96–720, MSE/MAE on z-scored values. The closed-form RidgeLinear
 * model is the better one up to H=336; at H=720 it falls behind seasonal naive. The reference
 * calls that overfitting, but a stronger ridge (λ 10 to 10,000 times the default) did not
 * help when we tried, so the long-range drift of this series is the likelier cause.
 *
 * Run: npx tsx examples/etth2.ts [--data PATH] [--quick]
 * Reads ../shared/data/forecasting/ETTh2.csv (or --data); prints a `note:` and exits 0 without it.
 */
import { RidgeLinear, SeasonalNaive } from '../index.ts';
import { runExample } from './support/long-horizon.ts';

const source = 'computed on this copy, benchmarks.md §2.5';

await runExample({
  dataset: 'ETTh2',
  file: 'ETTh2.csv',
  horizons: [96, 192, 336, 720],
  models: [
    {
      label: 'RidgeLinear L=336',
      create: (horizon) => new RidgeLinear({ lookback: 336, horizon }),
      reference: { source, figures: { 96: [0.302, 0.365], 192: [0.397, 0.428], 336: [0.486, 0.484], 720: [0.741, 0.612] } },
    },
    {
      label: 'SeasonalNaive',
      create: (horizon) => new SeasonalNaive({ horizon, season: 24 }),
      reference: { source, figures: { 96: [0.391, 0.38], 192: [0.482, 0.429], 336: [0.532, 0.466], 720: [0.525, 0.474] } },
    },
  ],
});
