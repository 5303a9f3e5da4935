// Zero-shot evaluation by Time-MoE's official protocol (run_eval.py, benchmark_dataset.py;
// shared/reference/benchmarks.md §4.1): TSLib split borders with the context length as the
// lookback, a StandardScaler (per channel, population std) fit on the training rows and applied
// to the test segment, each channel an independent univariate series, windows at every offset
// `for offset in range(context + horizon, n)` (the very last window excluded, as upstream),
// `generate` on the scaled values, MSE and MAE over every element on the scaled data.
// Beside it, on exactly the same windows and context: naive (last value), seasonal naive (one
// day) and the univariate ridge linear model fitted on the same data set's training split.

import path from 'node:path';
import { loadPanel, protocolFor, splitRanges, tensor, type Panel } from '../../src/index.ts';
import { RidgeLinear } from '../../models/baselines/index.ts';
import { generate, type TimeMoE } from '../../models/time-moe/index.ts';

export interface ZeroShotRow {
  model: string;
  mse: number;
  mae: number;
}

export interface ZeroShotResult {
  dataset: string;
  context: number;
  horizon: number;
  /** Windows per channel by the protocol, and how many were evaluated (every `stride`-th). */
  windowsPerChannel: number;
  evaluatedPerChannel: number;
  stride: number;
  channels: number;
  rows: ZeroShotRow[];
  /** The baselines on every window (cheap), to show the strided subset is representative. */
  allWindows: ZeroShotRow[];
  seconds: number;
}

/** Seasonal period in steps of one day, by file. */
const dayOf: Record<string, number> = { ETTh1: 24, ETTh2: 24, ETTm1: 96, ETTm2: 96 };

/** Scaled channels of a data set: train rows (for fitting) and the test segment (with its lookback). */
async function scaledChannels(file: string, context: number): Promise<{ name: string; train: Float32Array[]; test: Float32Array[] }> {
  const { panel } = await loadPanel(file);
  const name = path.basename(file).replace(/\..*$/, '');
  const c = panel.channels.length;
  const s = panel.series[0];
  const ranges = splitRanges(s.time.length, { protocol: protocolFor(name), lookback: context });
  const train: Float32Array[] = [];
  const test: Float32Array[] = [];
  for (let ch = 0; ch < c; ch++) {
    const column = (start: number, end: number): Float64Array => {
      const out = new Float64Array(end - start);
      for (let t = start; t < end; t++) {
        if (s.mask[t * c + ch] !== 1) throw new Error(`${file}: row ${t + 1}, column ${panel.channels[ch]} is missing`);
        out[t - start] = s.values[t * c + ch];
      }
      return out;
    };
    const fit = column(...ranges.train);
    let mean = 0;
    for (const v of fit) mean += v;
    mean /= fit.length;
    let variance = 0;
    for (const v of fit) variance += (v - mean) ** 2;
    const std = Math.sqrt(variance / fit.length) || 1; // sklearn's StandardScaler: population std, 1 for a constant
    const scale = (x: Float64Array) => Float32Array.from(x, (v) => (v - mean) / std);
    train.push(scale(fit));
    test.push(scale(column(...ranges.test)));
  }
  return { name, train, test };
}

/** One metric accumulator per model. */
class Errors {
  sq = 0;
  abs = 0;
  n = 0;
  add(prediction: ArrayLike<number>, target: ArrayLike<number>): void {
    for (let i = 0; i < target.length; i++) {
      const e = prediction[i] - target[i];
      this.sq += e * e;
      this.abs += Math.abs(e);
    }
    this.n += target.length;
  }
  row(model: string): ZeroShotRow {
    return { model, mse: this.sq / this.n, mae: this.abs / this.n };
  }
}

/** A panel of univariate series for RidgeLinear.fit (one series per channel). */
function univariatePanel(channels: Float32Array[]): Panel {
  return {
    channels: ['value'],
    frequency: { kind: 'fixed', ms: 1 }, // unused by the fit
    timeZone: 'UTC',
    series: channels.map((values, i) => ({
      id: `channel-${i}`,
      time: Float64Array.from(values, (_, t) => t),
      values,
      mask: new Uint8Array(values.length).fill(1),
    })),
  };
}

/**
 * Evaluates `model` (null: baselines only) zero-shot on one data set. `stride` > 1 evaluates
 * every stride-th window of the protocol (the model only; the baselines also on all windows).
 */
export async function zeroShot(
  file: string,
  model: TimeMoE | null,
  options: { context: number; horizon: number; stride: number; batch?: number; log?: (line: string) => void },
): Promise<ZeroShotResult> {
  const started = performance.now();
  const { context: l, horizon: h, stride } = options;
  const batch = options.batch ?? 64;
  const { name, train, test } = await scaledChannels(file, l);
  const period = dayOf[name] ?? 24;
  const ridge = new RidgeLinear({ lookback: l, horizon: h });
  await ridge.fit({ train: univariatePanel(train) });

  const n = test[0].length;
  const windows = n - (l + h); // offsets l + h … n − 1, as range(window_length, n_points)
  const starts: number[] = [];
  for (let s = 0; s < windows; s += stride) starts.push(s);
  const subset = { naive: new Errors(), seasonal: new Errors(), ridge: new Errors(), model: new Errors() };
  const all = { naive: new Errors(), seasonal: new Errors(), ridge: new Errors() };

  const baselines = async (series: Float32Array, at: number[], into: typeof all): Promise<void> => {
    const contexts = new Float32Array(at.length * l);
    at.forEach((s, i) => contexts.set(series.subarray(s, s + l), i * l));
    const ridgeOut = await ridge.forecast(
      { count: at.length, length: l, channels: 1, values: contexts, mask: new Uint8Array(contexts.length).fill(1) },
      { horizon: h },
    );
    const naive = new Float32Array(h);
    const seasonal = new Float32Array(h);
    at.forEach((s, i) => {
      const target = series.subarray(s + l, s + l + h);
      naive.fill(series[s + l - 1]);
      for (let t = 0; t < h; t++) seasonal[t] = series[s + l - period + (t % period)];
      into.naive.add(naive, target);
      into.seasonal.add(seasonal, target);
      into.ridge.add(ridgeOut.point.subarray(i * h, (i + 1) * h), target);
    });
  };

  for (let ch = 0; ch < test.length; ch++) {
    const series = test[ch];
    const every = Array.from({ length: windows }, (_, s) => s);
    for (let i = 0; i < every.length; i += 4096) await baselines(series, every.slice(i, i + 4096), all);
    await baselines(series, starts, subset);
    if (!model) continue;
    for (let i = 0; i < starts.length; i += batch) {
      const chunk = starts.slice(i, i + batch);
      const contexts = new Float32Array(chunk.length * l);
      chunk.forEach((s, j) => contexts.set(series.subarray(s, s + l), j * l));
      const out = await (await generate(model, tensor(contexts, [chunk.length, l]), h)).data();
      chunk.forEach((s, j) => subset.model.add(out.subarray(j * h, (j + 1) * h), series.subarray(s + l, s + l + h)));
      options.log?.(
        `${name} channel ${ch + 1}/${test.length}: ${Math.min(i + batch, starts.length)}/${starts.length} windows, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  }
  const rows = [subset.naive.row('naive'), subset.seasonal.row(`seasonal naive (${period})`), subset.ridge.row('ridge linear, in-domain')];
  if (model) rows.push(subset.model.row('Time-MoE cpu preset, zero-shot'));
  return {
    dataset: name,
    context: l,
    horizon: h,
    windowsPerChannel: windows,
    evaluatedPerChannel: starts.length,
    stride,
    channels: test.length,
    rows,
    allWindows: [all.naive.row('naive'), all.seasonal.row(`seasonal naive (${period})`), all.ridge.row('ridge linear, in-domain')],
    seconds: (performance.now() - started) / 1000,
  };
}
