/**
 * The package's public surface: the root export is the forecasting API, the engine lives in
 * `chronoscale/engine` under one flat name per thing, and no entry exports a family's internals.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as root from '../../index.ts';
import * as engine from '../../src/engine.ts';
import * as s4 from '../../models/s4/index.ts';
import * as spacetime from '../../models/spacetime/index.ts';
import * as timeMoE from '../../models/time-moe/index.ts';

const entries = { root, engine, s4, spacetime, timeMoE } as Record<string, Record<string, unknown>>;

test('the root exports the forecasting API, not the engine', () => {
  for (const name of [
    'Forecast',
    'ForecastResult',
    'DLinear',
    'SeasonalNaive',
    'loadForecast',
    'loadPanel',
    'mae',
    'renderSvg',
    'ConformalIntervals',
    'init',
    'shutdown',
  ]) {
    assert.ok(name in root, `chronoscale exports ${name}`);
  }
  for (const name of ['tensor', 'matmul', 'Module', 'AdamW', 'train', 'saveCheckpoint', 'readSafetensors']) {
    assert.not.ok(name in root, `${name} is in chronoscale/engine, not the root`);
  }
  // `new Linear(...)` from the root must never be the neural layer.
  assert.ok(!('Linear' in root) || (root as Record<string, unknown>).Linear !== engine.Linear, "the root's Linear is not nn's Linear");
});

test('chronoscale/time-moe holds the model, its generation and checkpoints, and the forecaster the root exports too', () => {
  for (const name of ['TimeMoE', 'generate', 'timeMoELoss', 'timeMoEParamGroups', 'timeMoEPresets', 'TimeMoEForecaster', 'timeMoEForecasterDefaults']) {
    assert.ok(name in timeMoE, `chronoscale/time-moe exports ${name}`);
  }
  assert.is((root as Record<string, unknown>).TimeMoEForecaster, timeMoE.TimeMoEForecaster);
});

test('one name per thing: no namespaces beside flat copies, no aliases', () => {
  for (const [entry, names] of Object.entries(entries)) {
    for (const name of ['nn', 'optim', 'loadForecastWith']) assert.not.ok(name in names, `${entry} exports ${name}`);
  }
  for (const name of ['Linear', 'AdamW', 'LayerNorm', 'warmupCosine', 'train']) assert.ok(name in engine, `chronoscale/engine exports ${name}`);
});

test('no entry exports a model family internal', () => {
  const internals = [
    'hermitianEigen',
    'attuneOutputMap',
    'denseRecurrence',
    'nplrLegS',
    'ssmInit',
    'normalizeL1',
    'predictSeries',
    'solvePositiveDefinite',
    'WindowForecaster',
    'intervalLevels',
    'findQuantile',
    'windowScale',
    'fineTune',
    'windowSequences',
  ];
  for (const [entry, names] of Object.entries(entries)) {
    for (const name of internals) assert.not.ok(name in names, `${entry} exports the internal ${name}`);
  }
});

test.run();
