/**
 * What the registry (registry.ts) knows about a model family: its one name, one line of help,
 * and how to build it from the CLI's settings or rebuild it from a saved config. The CLI's model
 * list, help and construction and `loadForecast`'s table are all read from these entries, so a
 * new family is its folder plus one entry (models/README.md).
 */
import type { SeriesForecaster } from '../src/index.ts';

/** What the CLI builds a model with: the horizon, and the lookback and season it chose or was given. */
export interface ModelSettings {
  horizon: number;
  lookback: number;
  season: number;
}

/**
 * One model family. `name` and `key` are the same name in two spellings: `name` (PascalCase) is
 * the output column and the display name, `key` (camelCase: the name with its first word in
 * lower case, `DLinear` → `dlinear`) is the `--model` value and the family key saved with a
 * checkpoint.
 */
export interface ModelFamily {
  readonly name: string;
  readonly key: string;
  /** One line for `--help`: what the model does, without its name. */
  readonly description: string;
  /** Fitted by gradient steps (`--max-steps` caps it; minutes on a CPU for the larger ones). */
  readonly trained: boolean;
  /** The model the CLI makes from its settings, with the family's defaults for everything else. */
  create(settings: ModelSettings): SeriesForecaster;
  /** The model rebuilt from the `config` it saved (`forecast.save`), before its state is loaded. */
  load(config: object): SeriesForecaster;
}
