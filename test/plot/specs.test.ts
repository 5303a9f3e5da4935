import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backtestSpec, compileSpec, forecastSpec, renderSvg, scalesSpec, type PlotSpec } from '../../src/plot/index.ts';
import { HOUR, START, markGroups, sineForecast, sineSeries, visibleTexts } from './fixtures.ts';

const history = sineSeries(200);
const actual = sineSeries(48, { from: 200 });
const twoModels = [
  { model: 'S4', forecast: sineForecast(48, { bias: 0.3 }) },
  { model: 'Time-MoE', forecast: sineForecast(48, { bias: -0.5, spread: 0.4 }) },
];

/** Inline data of the spec's layers (or concatenated panels' layers), flattened. */
function layerData(spec: PlotSpec): Record<string, unknown>[][] {
  const s = spec as { layer?: { data: { values: Record<string, unknown>[] } }[]; vconcat?: { layer: { data: { values: Record<string, unknown>[] } }[] }[] };
  const layers = s.layer ?? s.vconcat!.flatMap((panel) => panel.layer);
  return layers.map((layer) => layer.data.values);
}

test('the forecast spec compiles without warnings and draws bands, lines, the start rule and the legends', async () => {
  const spec = forecastSpec({ history, forecasts: twoModels, title: 'Hourly sine', actual, valueTitle: 'load' });
  assert.equal(compileSpec(spec).warnings, []);
  const svg = await renderSvg(spec);
  assert.ok(svg.startsWith('<svg'), 'an SVG document');
  assert.is(markGroups(svg, 'mark-area').length, 4, 'one band per model and level');
  markGroups(svg, 'mark-area').forEach((g) => assert.is(g.match(/<path/g)?.length, 1));
  assert.is(markGroups(svg, 'mark-line').length, 4, 'history, actual and two models');
  assert.is(markGroups(svg, 'mark-rule').length, 1, 'the forecast start');
  const texts = visibleTexts(svg);
  for (const label of ['history', 'actual', 'S4', 'Time-MoE', '80%', '90%', 'interval', 'time (UTC)', 'load', 'Hourly sine', 'forecast start']) {
    assert.ok(texts.includes(label), `text '${label}' in the SVG`);
  }
  const ticks = texts.filter((t) => /^Jan \d\d, \d\d:\d\d$/.test(t));
  assert.ok(ticks.length >= 3, `time ticks labelled in UTC date and hour, got ${ticks.join(' | ')}`);
});

test('the forecast spec places the forecast after the history and the start rule between them', () => {
  const spec = forecastSpec({ history, forecasts: twoModels, historySteps: 50 });
  const [bands, past, lines, rule] = layerData(spec);
  assert.is(past.length, 50, 'the last 50 history steps');
  assert.is(past.at(-1)!.time, START + 199 * HOUR);
  assert.is(lines[0].time, START + 200 * HOUR, 'the step after the history, inferred from its grid');
  assert.is(lines.length, 96);
  assert.is(bands.length, 2 * 2 * 48, 'two models × two levels × 48 steps');
  assert.is(rule[0].time, START + 199.5 * HOUR);
  const timed = forecastSpec({ history, forecasts: [{ model: 'm', forecast: sineForecast(48, { from: 210, timed: true }) }] });
  assert.is(layerData(timed)[2][0].time, START + 210 * HOUR, "the forecast's own time wins");
});

test('a point forecast has no bands and missing history values break the line', async () => {
  const gappy = sineSeries(200, { missing: [180, 181, 182] });
  const spec = forecastSpec({ history: gappy, forecasts: [{ model: 'naive', forecast: sineForecast(24, { levels: [] }) }] });
  assert.equal(compileSpec(spec).warnings, []);
  const svg = await renderSvg(spec);
  assert.is(markGroups(svg, 'mark-area').length, 0);
  assert.not.ok(visibleTexts(svg).includes('interval'), 'no interval legend');
  const [historyPath] = markGroups(svg, 'mark-line');
  assert.is(historyPath.match(/d="([^"]*)"/)![1].match(/M/g)!.length, 2, 'the history line has two pieces');
});

test('the forecast spec refuses an interval a model does not have', () => {
  assert.throws(() => forecastSpec({ history, forecasts: twoModels, levels: [95] }), /no 95% interval/);
  assert.throws(() => forecastSpec({ history, forecasts: [] }), /no forecasts/);
});

test('the scales spec draws one step panel per scale, coarse to fine, over the horizon', async () => {
  const forecast = sineForecast(48);
  const spec = scalesSpec({ forecast: { model: 'S4', forecast }, history, actual });
  assert.equal(compileSpec(spec).warnings, []);
  const panels = (spec as { vconcat: { title: { text: string }; layer: { data: { values: { time: number }[] } }[] }[] }).vconcat;
  assert.equal(
    panels.map((p) => p.title.text),
    ['1 cell', '2 cells', '4 cells', '8 cells', '16 cells', '32 cells', '48 cells (full resolution)'],
  );
  const coarse = panels[1].layer.at(-1)!.data.values;
  assert.equal(
    coarse.map((r) => r.time),
    [START + 200 * HOUR, START + 224 * HOUR, START + 248 * HOUR],
    'two cells of 24 h and the closing edge',
  );
  const svg = await renderSvg(spec);
  assert.is(markGroups(svg, 'mark-line').length, 7 * 3, 'reference, actual and scale per panel');
  const texts = visibleTexts(svg);
  for (const label of ['1 cell', '48 cells (full resolution)', 'time (UTC)']) assert.ok(texts.includes(label), `text '${label}'`);
  const noScales = { ...forecast, scales: [] };
  assert.throws(() => scalesSpec({ forecast: { model: 'S4', forecast: noScales }, history }), /no scales/);
});

test('the scales spec spreads uneven cells over fractional steps', () => {
  const forecast = sineForecast(6);
  forecast.scales = [{ extent: [4], point: { extent: [4], channels: 1, values: new Float32Array(4) } }];
  const spec = scalesSpec({ forecast: { model: 'm', forecast }, history });
  const cells = layerData(spec)
    .at(-1)!
    .map((r) => ((r.time as number) - START) / HOUR - 200);
  assert.equal(cells, [0, 1.5, 3, 4.5, 6]);
});

test('the backtest spec marks each cutoff and draws one line per model and window', async () => {
  const series = sineSeries(300);
  const windows = [200, 224, 248, 272].map((from) => ({
    cutoff: START + (from - 1) * HOUR,
    forecasts: [
      { model: 'S4', forecast: sineForecast(24, { from, bias: 0.5 }) },
      { model: 'naive', forecast: sineForecast(24, { from, bias: -1, levels: [] }) },
    ],
  }));
  const spec = backtestSpec({ series, windows, level: 80, title: 'Backtest' });
  assert.equal(compileSpec(spec).warnings, []);
  const svg = await renderSvg(spec);
  assert.is(markGroups(svg, 'mark-line').length, 1 + 2 * 4, 'actual plus a line per model and window');
  assert.is(markGroups(svg, 'mark-area').length, 4, 'an 80% band per window for the model that has it');
  assert.is(markGroups(svg, 'mark-rule')[0].match(/<line|<path/g)!.length, 4, 'four cutoff rules');
  const texts = visibleTexts(svg);
  for (const label of ['cutoff 1', 'cutoff 4', 'actual', 'S4', 'naive', 'Backtest']) assert.ok(texts.includes(label), `text '${label}'`);
  const untimed = [{ forecasts: [{ model: 'S4', forecast: sineForecast(24) }] }];
  assert.throws(() => backtestSpec({ series, windows: untimed }), /no time and its window no cutoff/);
});

test('compileSpec throws on an invalid spec', () => {
  const invalid = { data: { values: [] }, mark: 'line', encoding: { x: { field: 'a', type: 'bogus' } } } as PlotSpec;
  assert.throws(() => compileSpec(invalid), /vega-lite could not compile the spec: Invalid field type/);
});

test.run();
