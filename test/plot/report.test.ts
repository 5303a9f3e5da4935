import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricTable } from '../../src/forecast/metrics.ts';
import { backtestSpec, forecastSpec, renderSvg, reportHtml, scalesSpec, writeReport } from '../../src/plot/index.ts';
import { HOUR, START, sineForecast, sineSeries } from './fixtures.ts';

const history = sineSeries(200);
const actual = sineSeries(48, { from: 200 });
const models = [
  { model: 'S4', forecast: sineForecast(48, { bias: 0.3 }) },
  { model: 'Time-MoE', forecast: sineForecast(48, { bias: -0.5, spread: 0.4 }) },
];
const table = metricTable({
  models: models.map(({ model, forecast }) => ({ model, forecasts: [forecast] })),
  targets: [actual],
  history: [history],
  period: 24,
});

test('the report is self-contained HTML with the tables and inline SVG', async () => {
  const svg = await renderSvg(forecastSpec({ history, forecasts: models, actual, title: 'Forecast' }));
  const html = reportHtml({
    title: 'Sine <benchmark> & co',
    sections: [
      { heading: 'Metrics', text: 'Pooled over the horizon.\n\nLower is better.', table },
      { heading: 'Forecast', svg },
    ],
  });
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.not.match(html, /https?:/, 'no URL at all (the SVG namespaces are dropped)');
  assert.not.match(html, /<script|<link|<img|@import|url\(/i, 'no scripts, stylesheets, images or CSS URLs');
  assert.match(html, /<style>/);
  assert.is(html.match(/<svg/g)?.length, 1);
  assert.match(html, /<path/, 'the plot marks are inline');
  assert.match(html, /<h1>Sine &#60;benchmark&#62; &#38; co<\/h1>/, 'text is escaped');
  assert.is(html.match(/<p>/g)?.length, 2, 'two paragraphs');
  for (const column of ['model', 'mae', 'rmse', 'smape', 'mase', 'crps', 'coverage80', 'coverage90', 'width80', 'width90']) {
    assert.match(html, new RegExp(`<th>${column}</th>`), `column ${column}`);
  }
  assert.match(html, /<td>Time-MoE<\/td>/);
  assert.match(html, /<td class="number">\d/);
});

test('the report refuses SVGs with scripts or external references', () => {
  const section = (svg: string) => ({ title: 't', sections: [{ heading: 'h', svg }] });
  assert.throws(() => reportHtml(section('<svg><script>alert(1)</script></svg>')), /scripts/);
  assert.throws(() => reportHtml(section('<svg><rect onclick="x()"/></svg>')), /event handlers/);
  assert.throws(() => reportHtml(section('<svg><image href="https://example.com/a.png"/></svg>')), /external resource/);
  assert.ok(reportHtml(section('<svg><text>on = off; see href="x"</text></svg>')).includes('on = off'), 'text content is not mistaken for attributes');
});

test('writeReport writes the file, creating its folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chronoscale-report-'));
  try {
    const path = join(dir, 'nested', 'report.html');
    await writeReport(path, { title: 'T', sections: [{ heading: 'Metrics', table }] });
    const html = await readFile(path, 'utf8');
    assert.match(html, /<h2>Metrics<\/h2>/);
    assert.match(html, /<table>/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the example plots and report are written to build/plot-examples', async () => {
  const out = join(import.meta.dirname, '..', '..', 'build', 'plot-examples');
  await mkdir(out, { recursive: true });
  const forecast = await renderSvg(
    forecastSpec({ history, forecasts: models, actual, title: 'Hourly sine: 48-step forecasts with 80 % and 90 % intervals', valueTitle: 'load' }),
  );
  const scales = await renderSvg(scalesSpec({ forecast: models[0], history, actual }));
  const series = sineSeries(300);
  const windows = [200, 224, 248, 272].map((from) => ({
    cutoff: START + (from - 1) * HOUR,
    forecasts: [
      { model: 'S4', forecast: sineForecast(24, { from, bias: 0.3 }) },
      { model: 'Time-MoE', forecast: sineForecast(24, { from, bias: -0.5, spread: 0.4 }) },
    ],
  }));
  const backtest = await renderSvg(backtestSpec({ series, windows, level: 80 }));
  await writeFile(join(out, 'forecast.svg'), forecast);
  await writeFile(join(out, 'scales.svg'), scales);
  await writeFile(join(out, 'backtest.svg'), backtest);
  await writeReport(join(out, 'report.html'), {
    title: 'chronoscale plot examples',
    sections: [
      { heading: 'Metrics', text: 'Synthetic hourly sine, 48-step horizon; MASE with a 24-hour seasonal naive scale.', table },
      { heading: 'Forecast', svg: forecast },
      { heading: 'Multi-resolution view', svg: scales },
      { heading: 'Backtest', svg: backtest },
    ],
  });
  assert.match(await readFile(join(out, 'report.html'), 'utf8'), /<h2>Backtest<\/h2>/);
});

test.run();
