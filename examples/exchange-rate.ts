/**
 * Daily exchange rates of 8 countries (1990–2010) by the long-horizon protocol (70/10/20
 * split, lookback 336, horizons 96–720). Exchange rates are close to a random walk, so the
 * best forecast available is "tomorrow as today": the naive model beats the RidgeLinear one, and
 * more so the further ahead. A useful sanity check for any new model.
 *
 * Run: npx tsx examples/exchange-rate.ts [--data PATH] [--quick]
 * Reads ../shared/data/forecasting/exchange_rate.csv (or --data); prints a `note:` and exits 0 without it.
 */
import { Naive, RidgeLinear } from '../index.ts';
import { runExample } from './support/long-horizon.ts';

const source = 'computed on this copy, benchmarks.md §2.5';

await runExample({
  dataset: 'exchange_rate',
  file: 'exchange_rate.csv',
  horizons: [96, 192, 336, 720],
  models: [
    {
      label: 'Naive',
      create: (horizon) => new Naive({ horizon }),
      reference: { source, figures: { 96: [0.081, 0.196], 192: [0.167, 0.289], 336: [0.306, 0.398], 720: [0.81, 0.676] } },
    },
    {
      label: 'RidgeLinear L=336',
      create: (horizon) => new RidgeLinear({ lookback: 336, horizon }),
      reference: { source, figures: { 96: [0.083, 0.206], 192: [0.175, 0.308], 336: [0.37, 0.457], 720: [1.1, 0.787] } },
    },
  ],
});
