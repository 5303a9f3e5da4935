/**
 * The model flags of `forecast` and `backtest` (`--model`, `--horizon`, `--lookback`,
 * `--season`) and their defaults: the season from the data's frequency, a lookback of a few
 * horizons or seasons that the data can afford.
 */
import { match } from 'ts-pattern';
import { formatFrequency, modelFamilies, modelKeys, type Frequency, type ModelKey, type ModelSettings, type SeriesForecaster } from '../index.ts';
import { formerModelKeys } from '../models/registry.ts';
import type { FlagReader } from './args.ts';

export type { ModelKey, ModelSettings };

/** The models a command fits when `--model` is not given. */
export const defaultModels: readonly ModelKey[] = ['ridgeLinear', 'seasonalNaive'];

export const modelFlags = {
  model: { type: 'string', multiple: true },
  horizon: { type: 'string' },
  lookback: { type: 'string' },
  season: { type: 'string' },
  weights: { type: 'string' },
} as const;

/** The families that load pretrained weights, which `--weights` names. */
const pretrainedKeys = modelKeys.filter((key) => (modelFamilies[key] as { pretrained?: boolean }).pretrained);

/** One help line per family from the registry: key, description, and whether it trains. */
export function modelChoicesHelp(indent: string): string {
  const width = Math.max(...modelKeys.map((key) => key.length)) + 2;
  return modelKeys
    .map((key) => {
      const family = modelFamilies[key];
      return `${indent}${key.padEnd(width)}${family.description}${family.trained ? ' [trained]' : ''}`;
    })
    .join('\n');
}

export const modelHelp = `Models:
  --model NAME         one or more of these, repeated or comma-separated
                       (default ${defaultModels.join(',')}; [trained]: fitted by gradient
                       steps, which --max-steps caps; the larger take minutes on a CPU):
${modelChoicesHelp('                         ')}
  --horizon H          steps to forecast (required)
  --lookback L         context steps the models read (default max(4·H, 2·season), at most
                       half of what the data leave after the horizon)
  --season M           seasonal period for seasonalNaive and MASE (default from the frequency:
                       24 hourly, 96 every 15 min, 7 daily, 52 weekly, 12 monthly, 4 quarterly)
  --weights DIR|ID     the checkpoint of ${pretrainedKeys.join(', ')} (required with it): a Hugging Face folder
                       (config.json + model.safetensors) or a Hub id such as Maple728/TimeMoE-50M`;

/**
 * Checks one `--model` value: a registry key, or a clear error that suggests the key meant (a
 * former name, or the same name in other letter case) or lists them all.
 */
export function readModelKey(name: string, flags: FlagReader): ModelKey {
  if ((modelKeys as readonly string[]).includes(name)) return name as ModelKey;
  const meant = formerModelKeys[name] ?? modelKeys.find((key) => key.toLowerCase() === name.toLowerCase());
  if (meant) flags.fail(`--model ${name} is not a model name; did you mean --model ${meant}? (models: ${modelKeys.join(', ')})`);
  flags.fail(`--model ${name} is not one of ${modelKeys.join(', ')}`);
}

/** The models named by `--model` (repeated or comma-separated), without duplicates. */
export function modelList(values: readonly string[] | undefined, flags: FlagReader): ModelKey[] {
  const names = values === undefined ? defaultModels : flags.list(values);
  return [...new Set(names.map((name) => readModelKey(name, flags)))];
}

/**
 * The season of a frequency: the cycle most series of that sampling have (a day of hours or
 * quarter-hours, a week of days, a year of weeks, months or quarters); 1 when there is no
 * usual one (seasonal naive is then naive).
 */
export function defaultSeason(frequency: Frequency): number {
  const day = 86_400_000;
  return match(frequency)
    .with({ kind: 'fixed' }, ({ ms }) => (ms === day ? 7 : ms < day && day % ms === 0 && day / ms <= 1440 ? day / ms : 1))
    .with({ kind: 'calendar', unit: 'day', step: 1 }, () => 7)
    .with({ kind: 'calendar', unit: 'week', step: 1 }, () => 52)
    .with({ kind: 'calendar', unit: 'month', step: 1 }, () => 12)
    .with({ kind: 'calendar', unit: 'quarter', step: 1 }, () => 4)
    .with({ kind: 'calendar' }, () => 1)
    .with({ kind: 'businessDay' }, () => 5)
    .exhaustive();
}

/**
 * The default lookback: four horizons or two seasons, whichever is longer, but at most half of
 * the `available` steps left once a horizon is set aside, so that the models still see many
 * training windows on short series.
 */
export function defaultLookback(horizon: number, season: number, available: number): number {
  return Math.max(1, Math.min(Math.max(4 * horizon, 2 * season), Math.floor((available - horizon) / 2)));
}

/** One model of the family `key` with the settings (each family reads what it needs). */
export function createModel(key: ModelKey, settings: ModelSettings): SeriesForecaster {
  return modelFamilies[key].create(settings);
}

/** The model flags, checked before any data is read. */
export interface ModelFlags {
  models: ModelKey[];
  horizon: number;
  lookback?: number;
  season?: number;
  weights?: string;
}

/** Checks the model flags: known models, a horizon, whole numbers, `--weights` exactly when a pretrained model is named. */
export function readModelFlags(
  values: { model?: string[]; horizon?: string; lookback?: string; season?: string; weights?: string },
  flags: FlagReader,
): ModelFlags {
  const models = modelList(values.model, flags);
  checkWeights(models, values.weights, flags);
  return {
    models,
    horizon: flags.requiredInteger('horizon', values.horizon),
    lookback: flags.integer('lookback', values.lookback),
    season: flags.integer('season', values.season),
    ...(values.weights === undefined ? {} : { weights: values.weights }),
  };
}

/** A pretrained model needs `--weights`; `--weights` without one would be ignored, so both are errors. */
export function checkWeights(models: readonly ModelKey[], weights: string | undefined, flags: FlagReader): void {
  const pretrained = models.filter((key) => pretrainedKeys.includes(key));
  if (pretrained.length > 0 && weights === undefined) {
    flags.fail(
      `--model ${pretrained[0]} needs --weights: a checkpoint folder (config.json + model.safetensors, as downloaded from Hugging Face) or a Hub id such as Maple728/TimeMoE-50M`,
    );
  }
  if (pretrained.length === 0 && weights !== undefined)
    flags.fail(`--weights is only read by ${pretrainedKeys.join(', ')}; none is among --model ${models.join(',')}`);
}

/**
 * The settings with defaults filled from the data: its frequency, and the steps `available`
 * for training (the shortest series, less what a backtest holds out). `describe` says which
 * values were defaults.
 */
export function resolveSettings(parsed: ModelFlags, data: { frequency: Frequency; available: number }): ModelSettings & { describe: string } {
  const { horizon } = parsed;
  const season = parsed.season ?? defaultSeason(data.frequency);
  const lookback = parsed.lookback ?? defaultLookback(horizon, season, data.available);
  const notes = [
    `horizon ${horizon}`,
    `lookback ${lookback}${parsed.lookback === undefined ? ' (default)' : ''}`,
    `season ${season}${parsed.season === undefined ? ` (default for frequency ${formatFrequency(data.frequency)})` : ''}`,
  ];
  if (parsed.weights !== undefined) notes.push(`weights ${parsed.weights}`);
  return { horizon, lookback, season, ...(parsed.weights === undefined ? {} : { weights: parsed.weights }), describe: notes.join(', ') };
}
