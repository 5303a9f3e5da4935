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
  /** A checkpoint folder or Hub id (`--weights`), for families that load pretrained weights (`pretrained`). */
  weights?: string;
  /**
   * True under `bench lstf`: a family with an official evaluation protocol of its own follows it
   * (Time-MoE: `run_eval.py`'s normalisation, which is the runner's train-split z-scores only).
   */
  benchmark?: boolean;
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
  /** Built from pretrained weights: the CLI requires `--weights DIR|ID` with it. */
  readonly pretrained?: boolean;
  /**
   * The context `bench lstf` reads at a horizon when no `--lookback` is given, for a family whose
   * official evaluation sets one (Time-MoE: 96 → 512, 192 → 1024, 336 → 2048, 720 → 3072), and a
   * line on how that protocol differs from TSLib's, printed with the run.
   */
  readonly benchmark?: { lookback(horizon: number): number; note: string };
  /** The model the CLI makes from its settings, with the family's defaults for everything else. */
  create(settings: ModelSettings): SeriesForecaster;
  /** The model rebuilt from the `config` it saved (`forecast.save`), before its state is loaded. */
  load(config: object): SeriesForecaster;
}
