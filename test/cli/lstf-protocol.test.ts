/**
 * How `bench lstf` decides what a data file is and how to split it: the ETT borders only for
 * an ETT set by name, step and length, 7:1:2 for anything else, an explicit split checked
 * against the data; and record names that keep runs of other data or settings from replacing
 * the reference data sets' records. Synthetic panels: no data files needed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { customDataset, fileStem, identifyDataset, lstfDatasets, stepWord } from '../../cli/lstf/datasets.ts';
import { resultName } from '../../cli/lstf/result-name.ts';
import { chooseSplit, isStandardSplit, parseSplit, standardSplitLabel, type SplitSpec } from '../../cli/lstf/split-choice.ts';
import { FlagReader } from '../../cli/args.ts';
import { flagRemedies, repairOptions } from '../../cli/data-options.ts';
import { DataError, parseFrequency, type Panel } from '../../index.ts';

/** A one-series panel of `rows` rows every `step`, with no values (only its shape matters here). */
function panelOf(rows: number, step: string, series = 1): Panel {
  const frequency = parseFrequency(step);
  const ms = frequency.kind === 'fixed' ? frequency.ms : 86_400_000;
  const one = (id: string) => ({ id, time: Float64Array.from({ length: rows }, (_, i) => i * ms), values: new Float32Array(rows), mask: new Uint8Array(rows) });
  return { series: Array.from({ length: series }, (_, i) => one(`s${i}`)), channels: ['OT'], frequency, timeZone: 'UTC' };
}

/** The split `--split` (or auto) gives a file of this name and shape. */
function splitOf(file: string, panel: Panel, requested?: SplitSpec) {
  const { dataset, identity } = identifyDataset(fileStem(file), panel);
  return chooseSplit({ requested, file, dataset, identity, frequency: panel.frequency, rows: panel.series[0].time.length });
}

test('file stems drop the format extension and .gz', () => {
  assert.is(fileStem('/data/ETTm1.csv.gz'), 'ETTm1');
  assert.is(fileStem('weather.csv'), 'weather');
  assert.is(fileStem('my.data.tsv'), 'my.data');
});

test('steps read as adjectives in messages', () => {
  assert.equal(['h', '15min', '10min', 'D', '2W'].map(stepWord), ['hourly', '15-minute', '10-minute', 'daily', '2W-step']);
});

test('ETT files get the ETT borders by name, step and length; other files 7:1:2', () => {
  const etth1 = splitOf('ETTh1.csv', panelOf(17_420, 'h'));
  assert.equal([etth1.name, etth1.protocol, etth1.ratios], ['ett-hour', 'ETTh', undefined]);
  assert.match(etth1.reason, /chosen as the file is ETTh1 by its name, its hourly rows and their number/);
  const ettm1 = splitOf('ETTm1.csv.gz', panelOf(69_680, '15min'));
  assert.equal([ettm1.name, ettm1.protocol], ['ett-minute', 'ETTm']);
  const ili = splitOf('national_illness.csv', panelOf(966, 'W'));
  assert.equal([ili.label, ili.protocol, ili.ratios], ['ratio 0.7/0.1/0.2', 'ratio', { train: 0.7, test: 0.2 }]);
  const other = splitOf('/tmp/weather.csv', panelOf(52_696, '10min'));
  assert.equal([other.label, other.protocol], ['ratio 0.7/0.1/0.2', 'ratio']);
  assert.match(other.reason, /weather is none of the reference data sets/);
});

test('a file only named like an ETT set is other data: 7:1:2, and why', () => {
  const fifteen = identifyDataset('ETTh1', panelOf(69_680, '15min'));
  assert.is(fifteen.dataset, undefined);
  assert.is(fifteen.otherData, '15min');
  assert.match(fifteen.identity, /named ETTh1 but its rows are 15-minute where ETTh1's are hourly/);
  assert.is(splitOf('ETTh1.csv', panelOf(69_680, '15min')).label, 'ratio 0.7/0.1/0.2');
  const short = identifyDataset('ETTh1', panelOf(15_000, 'h'));
  assert.equal([short.dataset, short.otherData], [undefined, '15000rows']);
  assert.is(identifyDataset('etth1', panelOf(17_420, 'h')).dataset?.name, 'ETTh1', 'case aside');
  assert.is(identifyDataset('ETTh1', panelOf(17_420, 'h', 2)).dataset, undefined, 'two series are not ETTh1');
});

test('--split is parsed and checked against the data, with what to pass instead', () => {
  assert.is(parseSplit('auto'), undefined);
  assert.equal(parseSplit('ett-minute'), { name: 'ett-minute' });
  assert.equal(parseSplit('ratio'), { name: 'ratio', ratios: { train: 0.7, test: 0.2 } });
  assert.equal(parseSplit('ratio:0.6,0.2,0.2'), { name: 'ratio', ratios: { train: 0.6, test: 0.2 } });
  assert.throws(() => parseSplit('ratio:0.6,0.2'), /three fractions/);
  assert.throws(() => parseSplit('ratio:0.6,0.3,0.2'), /add up to 1\.1/);
  assert.throws(() => parseSplit('ett'), /--split ett is not one of auto/);

  const quarterHours = panelOf(69_680, '15min');
  assert.throws(
    () => splitOf('other.csv', quarterHours, { name: 'ett-hour' }),
    /--split ett-hour counts hourly rows, but the rows of other\.csv are 15-minute: pass --split ett-minute or --split ratio/,
  );
  assert.throws(() => splitOf('other.csv', panelOf(20_000, 'D'), { name: 'ett-minute' }), /are daily: pass --split ratio$/);
  assert.throws(
    () => splitOf('short.csv', panelOf(10_000, 'h'), { name: 'ett-hour' }),
    /short\.csv has 10,000 rows; the ett-hour split needs 14,400 .*pass --split ratio/,
  );
  const asked = splitOf('other.csv', quarterHours, { name: 'ett-minute' });
  assert.equal([asked.protocol, asked.reason], ['ETTm', 'asked for with --split']);
  assert.is(splitOf('other.csv', quarterHours, parseSplit('ratio:0.6,0.2,0.2')).label, 'ratio 0.6/0.2/0.2');
});

test('reference figures belong to a reference data set under its own split only', () => {
  const { ETTh1, exchange_rate } = lstfDatasets;
  assert.ok(isStandardSplit({ name: 'ett-hour' }, ETTh1));
  assert.not.ok(isStandardSplit({ name: 'ratio', ratios: { train: 0.7, test: 0.2 } }, ETTh1));
  assert.ok(isStandardSplit({ name: 'ratio', ratios: { train: 0.7, test: 0.2 } }, exchange_rate));
  assert.not.ok(isStandardSplit({ name: 'ratio', ratios: { train: 0.6, test: 0.2 } }, exchange_rate));
  assert.equal([standardSplitLabel(ETTh1), standardSplitLabel(exchange_rate)], ['ett-hour', 'ratio 0.7/0.1/0.2']);
});

test('record names: the data set and model, with a suffix for everything not the default', () => {
  const { ETTh1 } = lstfDatasets;
  const base = { stem: 'ETTh1', model: 'ridgeLinear', dataset: ETTh1, horizons: ETTh1.horizons, lookback: 336, split: 'ett-hour', plainSplit: 'ett-hour' };
  assert.is(resultName(base), 'ETTh1-ridgeLinear');
  assert.is(resultName({ ...base, horizons: [96] }), 'ETTh1-ridgeLinear-H96');
  assert.is(resultName({ ...base, horizons: [96, 192], lookback: 512 }), 'ETTh1-ridgeLinear-H96_192-L512');
  assert.is(resultName({ ...base, split: 'ratio 0.7/0.1/0.2' }), 'ETTh1-ridgeLinear-ratio-0.7-0.1-0.2');
  // 15-minute data in a file named ETTh1.csv never take ETTh1's record name.
  assert.is(resultName({ ...base, split: 'ratio 0.7/0.1/0.2', otherData: '15min' }), 'ETTh1-ridgeLinear-15min-ratio-0.7-0.1-0.2');
  const weather = customDataset('weather', 'weather.csv', panelOf(100, '10min'));
  assert.equal([weather.lookback, weather.horizons, weather.season], [336, [96, 192, 336, 720], 144]);
  assert.is(
    resultName({
      stem: 'weather',
      model: 'dlinear',
      dataset: weather,
      horizons: weather.horizons,
      lookback: 336,
      split: 'ratio 0.7/0.1/0.2',
      plainSplit: 'ratio 0.7/0.1/0.2',
    }),
    'weather-dlinear',
  );
});

test('--repair reads the same choices as forecast and backtest, and the loader hints name the flag', () => {
  const flags = new FlagReader('help');
  assert.equal(repairOptions(['sort'], flags), { sort: true });
  assert.equal(repairOptions(['duplicates=mean, sort'], flags), { duplicates: 'mean', sort: true });
  assert.throws(() => repairOptions(['duplicates'], flags), /--repair/);
  const duplicate = new DataError('duplicated timestamp 2020-01-01T00:00:00Z, also in data row 4', { source: 'w.csv', row: 5 }, 'repair.duplicates');
  assert.match(
    duplicate.restate((remedy) => flagRemedies[remedy]).message,
    /^w\.csv: data row 5: duplicated timestamp .*--repair duplicates=first\|last\|mean/,
  );
});

test.run();
