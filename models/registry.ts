/**
 * The model registry: one entry per family (family.ts), from which the CLI takes its model list,
 * help and construction and `loadForecast` its table of families. Adding a family is its folder
 * plus one line in `registry` below (models/README.md).
 */
import { ConformalIntervals, loadForecastWith, type ConformalOptions, type Forecast, type ModelFactory } from '../src/index.ts';
import { dlinearFamily } from './baselines/dlinear.ts';
import { naiveFamily, seasonalNaiveFamily } from './baselines/naive.ts';
import { ridgeLinearFamily } from './baselines/ridge-linear.ts';
import type { ModelFamily } from './family.ts';
import { s4Family } from './s4/forecaster.ts';
import { spaceTimeFamily } from './spacetime/forecaster.ts';
import { timeMoEFamily } from './time-moe/forecaster.ts';

/** Every family, in the order the CLI lists them (rule-based, closed-form, trained, then pretrained). */
const registry = [
  naiveFamily,
  seasonalNaiveFamily,
  ridgeLinearFamily,
  dlinearFamily,
  s4Family,
  spaceTimeFamily,
  timeMoEFamily,
] as const satisfies readonly ModelFamily[];

/** A family key: the `--model` value and the family saved with a checkpoint. */
export type ModelKey = (typeof registry)[number]['key'];

/** Every family by key. */
export const modelFamilies = Object.fromEntries(registry.map((family) => [family.key, family])) as {
  readonly [F in (typeof registry)[number] as F['key']]: F;
};

/** The family keys, in registry order. */
export const modelKeys: readonly ModelKey[] = registry.map((family) => family.key);

/**
 * Names the models had before they had one name each. The CLI answers them with a hint instead
 * of mapping them silently (`--model linear` could as well mean DLinear or the neural layer);
 * `loadForecast` reads checkpoints saved under them (`spacetime`; the others were CLI names only).
 */
export const formerModelKeys: Readonly<Record<string, ModelKey>> = {
  linear: 'ridgeLinear',
  snaive: 'seasonalNaive',
  spacetime: 'spaceTime',
};

/** `loadForecast`'s table: each family's `load` by key and former key, and conformal intervals around any of them. */
const factories: Readonly<Record<string, ModelFactory>> = {
  ...Object.fromEntries(registry.map((family) => [family.key, family.load])),
  ...Object.fromEntries(Object.entries(formerModelKeys).map(([former, key]) => [former, modelFamilies[key].load])),
  conformal: (config) => {
    const { model, ...options } = config as ConformalOptions & { model: { family: string; config: object } };
    const factory = factories[model.family];
    if (!factory) throw new Error(`conformal intervals around an unknown model family '${model.family}'`);
    return new ConformalIntervals(factory(model.config), options);
  },
};

/** Loads a Forecast saved with `forecast.save(dir)`, with every built-in model family. */
export function loadForecast(dir: string): Promise<Forecast> {
  return loadForecastWith(dir, factories);
}
