/**
 * The long-horizon forecasting protocol of the Informer/Autoformer benchmarks as implemented by
 * Time-Series-Library (data_provider/data_loader.py, exp/exp_long_term_forecasting.py):
 * standard splits (ETTh 12/4/4 months, ETTm the same in 15-minute rows, others 70/10/20, with
 * validation and test reaching back by the lookback), a standard scaler fitted on the training
 * split only, every test window (stride 1, none dropped), and MSE/MAE over all windows, steps
 * and channels on the scaled values.
 */
import type { Panel } from '../data/types.ts';
import { StandardScaler } from '../data/scalers.ts';
import { splitPanel, type SplitProtocol, type SplitRatios } from '../data/splits.ts';
import { batches } from '../data/windows.ts';
import type { FitOptions, SeriesForecaster } from './types.ts';

export interface LongHorizonOptions {
  /** Selects the split protocol (ETTh1 → ETTh, ETTm1 → ETTm, anything else → ratio). */
  datasetName: string;
  protocol?: SplitProtocol;
  /** Train and test fractions of the ratio protocol (default 7:1:2). */
  ratios?: SplitRatios;
  fit?: FitOptions;
}

export interface LongHorizonResult {
  model: string;
  dataset: string;
  lookback: number;
  horizon: number;
  mse: number;
  mae: number;
  testWindows: number;
  trainSeconds: number;
  testSeconds: number;
}

/** Fits a model on the training split and scores it on every test window. */
export async function runLongHorizon(panel: Panel, model: SeriesForecaster, options: LongHorizonOptions): Promise<LongHorizonResult> {
  const { lookback, horizon } = model;
  const splits = splitPanel(panel, { lookback, protocol: options.protocol, datasetName: options.datasetName, ratios: options.ratios });
  const scaler = StandardScaler.fit(splits.train, { mode: 'global' });
  const [train, validation, test] = [splits.train, splits.val, splits.test].map((p) => scaler.transformPanel(p));
  const trainStart = performance.now();
  await model.fit({ train, validation }, options.fit);
  const testStart = performance.now();
  let squared = 0;
  let absolute = 0;
  let count = 0;
  let windows = 0;
  const c = panel.channels.length;
  for (const batch of batches(test, { lookback, horizon, batchSize: 512 })) {
    const forecast = await model.forecast(
      { count: batch.size, length: lookback, channels: c, values: batch.context, mask: batch.contextMask },
      { horizon, quantiles: [] },
    );
    for (let i = 0; i < forecast.point.length; i++) {
      if (batch.targetMask[i] === 0) continue;
      const error = forecast.point[i] - batch.target[i];
      squared += error * error;
      absolute += Math.abs(error);
      count++;
    }
    windows += batch.size;
  }
  return {
    model: model.name,
    dataset: options.datasetName,
    lookback,
    horizon,
    mse: squared / count,
    mae: absolute / count,
    testWindows: windows,
    trainSeconds: (testStart - trainStart) / 1000,
    testSeconds: (performance.now() - testStart) / 1000,
  };
}
