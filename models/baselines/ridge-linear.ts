/**
 * Closed-form linear forecaster: ridge regression from the last L values to the next H,
 * shared across channels and series, with a bias. It is DLinear's "Linear" variant (Zeng et
 * al. 2023) fitted exactly instead of by gradient descent:
 *   ŷ = Wᵀ x + b,   [W; b] = (XᵀX + λ I)⁻¹ XᵀY,   λ = ridge · rows(X)
 * with one row per training window and channel; the bias is not penalised.
 */
import {
  predictSeries,
  seriesCapabilities,
  solvePositiveDefinite,
  tensor,
  matmul,
  permute,
  reshape,
  noGrad,
  type Capabilities,
  type ContextWindows,
  type PredictOptions,
  type Series,
  type SeriesForecaster,
  type SeriesTrainingData,
  type SignalForecast,
  type StepsHorizon,
  type WindowForecasts,
} from '../../src/index.ts';
import type { ModelFamily } from '../family.ts';
import { accumulateChannel, accumulateWindows, emptyGram, type WindowGram } from './window-gram.ts';

export interface RidgeLinearConfig {
  lookback: number;
  horizon: number;
  /** λ relative to the number of training rows (default 1e-3). */
  ridge?: number;
}

export class RidgeLinear implements SeriesForecaster {
  readonly name: string = ridgeLinearFamily.name;
  readonly family: string = ridgeLinearFamily.key;
  readonly capabilities: Capabilities;
  readonly lookback: number;
  readonly horizon: number;
  private readonly ridge: number;
  /** [L, H] and [H] once fitted. */
  private weight: Float32Array | null = null;
  private bias: Float32Array | null = null;

  constructor(config: RidgeLinearConfig) {
    this.lookback = config.lookback;
    this.horizon = config.horizon;
    this.ridge = config.ridge ?? 1e-3;
    this.capabilities = seriesCapabilities({ context: config.lookback });
    if (!(this.ridge >= 0)) throw new RangeError(`ridge ${this.ridge} must be non-negative`);
  }

  get config(): RidgeLinearConfig {
    return { lookback: this.lookback, horizon: this.horizon, ridge: this.ridge };
  }

  async fit(data: SeriesTrainingData): Promise<void> {
    const { lookback: l, horizon: h } = this;
    const gram = emptyGram(l + h);
    const c = data.train.channels.length;
    for (const series of data.train.series) {
      const steps = series.time.length;
      for (let ch = 0; ch < c; ch++) {
        const complete = series.mask.every((m, i) => i % c !== ch || m === 1);
        if (complete) accumulateChannel(gram, series.values, steps, c, ch);
        else accumulateWindows(gram, series.values, series.mask, steps, c, ch);
      }
    }
    if (gram.count === 0) throw new Error(`${this.name}: no complete training window of ${l + h} steps`);
    this.solve(gram);
  }

  /** Builds the (L+1) × (L+1) normal equations from the window statistics and solves them. */
  private solve(gram: WindowGram): void {
    const { lookback: l, horizon: h } = this;
    const w = gram.width;
    const n = l + 1;
    const a = new Float64Array(n * n);
    const b = new Float64Array(n * h);
    const lambda = this.ridge * gram.count;
    for (let i = 0; i < l; i++) {
      for (let j = 0; j < l; j++) a[i * n + j] = gram.products[i * w + j];
      a[i * n + i] += lambda;
      a[i * n + l] = a[l * n + i] = gram.sums[i];
      for (let k = 0; k < h; k++) b[i * h + k] = gram.products[i * w + l + k];
    }
    a[l * n + l] = gram.count;
    for (let k = 0; k < h; k++) b[l * h + k] = gram.sums[l + k];
    const solution = solvePositiveDefinite(a, b, n, h);
    this.weight = Float32Array.from(solution.subarray(0, l * h));
    this.bias = Float32Array.from(solution.subarray(l * h));
  }

  async forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    if (!this.weight || !this.bias) throw new Error(`${this.name}: fit the model before forecasting`);
    if (options.horizon !== this.horizon) throw new Error(`${this.name} forecasts ${this.horizon} steps, not ${options.horizon}`);
    const { count, length, channels: c } = windows;
    if (length !== this.lookback) throw new Error(`${this.name} reads ${this.lookback} steps, got windows of ${length}`);
    const y = noGrad(() => {
      const x = permute(tensor(windows.values, [count, length, c]), [0, 2, 1]); // [N, C, L]
      const out = matmul(x, tensor(this.weight!, [length, this.horizon])).add(tensor(this.bias!, [this.horizon])); // [N, C, H]
      return reshape(permute(out, [0, 2, 1]), [count, this.horizon, c]); // [N, H, C]
    });
    return { horizon: this.horizon, point: await y.data(), quantiles: new Map() };
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  state() {
    if (!this.weight || !this.bias) return new Map();
    return new Map([
      ['weight', { shape: [this.lookback, this.horizon], data: this.weight }],
      ['bias', { shape: [this.horizon], data: this.bias }],
    ]);
  }

  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    const weight = state.get('weight');
    const bias = state.get('bias');
    if (!weight || !bias || weight.data.length !== this.lookback * this.horizon || bias.data.length !== this.horizon) {
      throw new Error(`${this.name}: the saved state does not match lookback ${this.lookback}, horizon ${this.horizon}`);
    }
    this.weight = weight.data.slice();
    this.bias = bias.data.slice();
  }
}

/** The registry entry of RidgeLinear. */
export const ridgeLinearFamily = {
  name: 'RidgeLinear',
  key: 'ridgeLinear',
  description: 'closed-form ridge regression on the lookback',
  trained: false,
  create: ({ lookback, horizon }) => new RidgeLinear({ lookback, horizon }),
  load: (config) => new RidgeLinear(config as RidgeLinearConfig),
} as const satisfies ModelFamily;
