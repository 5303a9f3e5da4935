/**
 * Every model family, and the table that rebuilds a saved model from its family key and config.
 */
import { loadForecastWith, type Forecast, type ModelFactory } from '../src/index.ts';
import { DLinear, Naive, RidgeLinear, SeasonalNaive, type DLinearConfig, type RidgeLinearConfig } from './baselines/index.ts';

export * from './baselines/index.ts';

/** Family key → factory from the saved config. */
export const modelFamilies: Readonly<Record<string, ModelFactory>> = {
  naive: (config) => new Naive(config as { horizon: number }),
  seasonalNaive: (config) => new SeasonalNaive(config as { horizon: number; season: number }),
  ridgeLinear: (config) => new RidgeLinear(config as RidgeLinearConfig),
  dlinear: (config) => new DLinear(config as DLinearConfig),
};

/** Loads a Forecast saved with `forecast.save(dir)`, with every built-in model family. */
export function loadForecast(dir: string): Promise<Forecast> {
  return loadForecastWith(dir, modelFamilies);
}
