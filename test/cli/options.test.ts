/** The CLI's defaults and value checks, in process: seasons by frequency, lookbacks, flag values, CSV text. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { table } from 'arquero';
import { FlagReader, UsageError } from '../../cli/args.ts';
import { createModel, defaultLookback, defaultSeason, modelHelp, modelList } from '../../cli/model-options.ts';
import { csvText, float32Text } from '../../cli/outputs.ts';
import { parseFrequency } from '../../index.ts';
import { modelFamilies, modelKeys } from '../../models/index.ts';

test('the default season follows the frequency: a day of hours or quarter-hours, a week of days, a year of weeks or months', () => {
  const season = (alias: string) => defaultSeason(parseFrequency(alias));
  assert.equal([season('h'), season('15min'), season('30min'), season('D'), season('W'), season('M'), season('Q'), season('B')], [24, 96, 48, 7, 52, 12, 4, 5]);
  assert.is(season('Y'), 1, 'no usual cycle: seasonal naive becomes naive');
  assert.is(season('s'), 1, 'a day of seconds is too long a season');
  assert.is(defaultSeason({ kind: 'fixed', ms: 86_400_000 }), 7, 'daily as a fixed step is still daily');
});

test('the default lookback is max(4·H, 2·season), at most half of what the data leave after a horizon', () => {
  assert.is(defaultLookback(24, 24, 10_000), 96);
  assert.is(defaultLookback(12, 168, 10_000), 336);
  assert.is(defaultLookback(24, 24, 124), 50, '(124 − 24) / 2');
  assert.is(defaultLookback(24, 24, 10), 1, 'never below 1; the fit then says the data are too short');
});

test('flag values are checked with messages that name the flag', () => {
  const flags = new FlagReader('chronoscale x --n N');
  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      assert.instance(error, UsageError);
      assert.is((error as UsageError).usage, 'chronoscale x --n N');
      return (error as Error).message;
    }
    assert.unreachable('no error');
  };
  assert.is(flags.integer('n', '12'), 12);
  assert.is(flags.integer('n', undefined), undefined);
  assert.is(
    message(() => flags.integer('n', '1e3x')),
    '--n 1e3x is not a whole number ≥ 1',
  );
  assert.is(
    message(() => flags.integer('n', '')),
    '--n  is not a whole number ≥ 1',
  );
  assert.equal(flags.numberList('level', '80, 90', [0, 100]), [80, 90]);
  assert.equal(flags.numberList('level', ['50', '95'], [0, 100]), [50, 95]);
  assert.is(
    message(() => flags.numberList('level', '80,', [0, 100])),
    '--level  is not a number between 0 and 100',
  );
  assert.equal(
    modelList(['ridgeLinear,seasonalNaive', 'ridgeLinear', 'dlinear'], flags),
    ['ridgeLinear', 'seasonalNaive', 'dlinear'],
    'repeated and comma lists, without duplicates',
  );
  assert.equal(modelList(undefined, flags), ['ridgeLinear', 'seasonalNaive']);
});

test('a former or miscased model name is refused with the name meant, never mapped silently', () => {
  const flags = new FlagReader('usage');
  const message = (names: string[]): string => {
    try {
      modelList(names, flags);
    } catch (error) {
      assert.instance(error, UsageError);
      return (error as Error).message;
    }
    throw new Error(`${names} was accepted`);
  };
  assert.match(
    message(['linear']),
    /^--model linear is not a model name; did you mean --model ridgeLinear\? \(models: naive, seasonalNaive, ridgeLinear, dlinear, s4, spaceTime, timeMoE\)$/,
  );
  assert.match(message(['naive,snaive']), /did you mean --model seasonalNaive\?/);
  assert.match(message(['spacetime']), /did you mean --model spaceTime\?/);
  assert.match(message(['DLinear']), /did you mean --model dlinear\?/);
  assert.is(message(['arima']), '--model arima is not one of naive, seasonalNaive, ridgeLinear, dlinear, s4, spaceTime, timeMoE');
});

test('every registry family builds from the CLI settings under its one name, and its help line comes from the registry', () => {
  assert.is(new Set(modelKeys.map((key) => key.toLowerCase())).size, modelKeys.length, 'no two families share a name');
  for (const key of modelKeys) {
    const family = modelFamilies[key];
    const model = createModel(key, { horizon: 12, lookback: 48, season: 24, weights: 'test/fixtures/time-moe-tiny' });
    assert.is(model.family, key, 'the family key saved with a checkpoint is the --model value');
    assert.is(model.name, family.name, 'the output column is the family name');
    assert.is(key.toLowerCase(), family.name.toLowerCase(), `${key}: one name in two spellings`);
    assert.ok(/^[a-z][A-Za-z0-9]*$/.test(key) && /^[A-Z][A-Za-z0-9]*$/.test(family.name), `${key}: camelCase key, PascalCase name`);
    assert.is(model.horizon, 12, key);
    if (key === 'seasonalNaive') assert.is(model.lookback, 24, 'seasonal naive reads one season');
    else if (key !== 'naive') assert.is(model.lookback, 48, key);
    assert.ok(modelHelp.includes(`${key}  `) && modelHelp.includes(family.description), `${key} is in --help`);
  }
});

test('CSV output: float32 values in their shortest form, one timestamp format per file', () => {
  assert.is(float32Text(Math.fround(7.569)), 7.569);
  assert.is(float32Text(Math.fround(0.1)), 0.1);
  assert.is(float32Text(0.1), 0.1, 'a float64 that is not a float32 stays as it is');
  assert.ok(Number.isNaN(float32Text(NaN)));
  const day = Date.UTC(2024, 0, 1);
  const daily = table({ ds: [new Date(day), new Date(day + 86_400_000)], y: [Math.fround(1.1), 2] });
  assert.is(csvText(daily).trim(), 'ds,y\n2024-01-01,1.1\n2024-01-02,2');
  const hourly = table({ ds: [new Date(day), new Date(day + 3_600_000)], y: [1, 2] });
  assert.is(csvText(hourly).trim(), 'ds,y\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2', 'midnight written like the other hours');
});

test.run();
