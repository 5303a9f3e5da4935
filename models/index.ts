/**
 * Every model family, and the table that rebuilds a saved model from its family key and config.
 */
import { ConformalIntervals, loadForecastWith, type ConformalOptions, type Forecast, type ModelFactory } from '../src/index.ts';
import { DLinear, Naive, RidgeLinear, SeasonalNaive, type DLinearConfig, type RidgeLinearConfig } from './baselines/index.ts';
import { S4Forecaster, type S4ForecasterConfig } from './s4/index.ts';
import { SpaceTimeForecaster, type SpaceTimeForecasterConfig } from './spacetime/index.ts';

export * from './baselines/index.ts';
export * from './s4/index.ts';
export * from './spacetime/index.ts';

/** Family key → factory from the saved config. */
export const modelFamilies: Readonly<Record<string, ModelFactory>> = {
  naive: (config) => new Naive(config as { horizon: number }),
  seasonalNaive: (config) => new SeasonalNaive(config as { horizon: number; season: number }),
  ridgeLinear: (config) => new RidgeLinear(config as RidgeLinearConfig),
  dlinear: (config) => new DLinear(config as DLinearConfig),
  s4: (config) => new S4Forecaster(config as S4ForecasterConfig),
  spacetime: (config) => new SpaceTimeForecaster(config as SpaceTimeForecasterConfig),
  conformal: (config) => {
    const { model, ...options } = config as ConformalOptions & { model: { family: string; config: object } };
    const factory = modelFamilies[model.family];
    if (!factory) throw new Error(`conformal intervals around an unknown model family '${model.family}'`);
    return new ConformalIntervals(factory(model.config), options);
  },
};

/** Loads a Forecast saved with `forecast.save(dir)`, with every built-in model family. */
export function loadForecast(dir: string): Promise<Forecast> {
  return loadForecastWith(dir, modelFamilies);
}
