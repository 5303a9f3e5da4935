/**
 * DLinear as a forecaster: the decomposition-linear network trained by gradient descent on
 * sliding windows, with TSLib's defaults for the long-horizon benchmarks (`dlinearDefaults`:
 * batch 32, Adam, learning rate halved each epoch, early stopping with patience 3 on validation
 * MSE).
 */
import {
  fitNetwork,
  forecastNetwork,
  predictSeries,
  seriesCapabilities,
  type Capabilities,
  type ContextWindows,
  type FitOptions,
  type FitSummary,
  type ModelState,
  type NeuralFitConfig,
  type PredictOptions,
  type Series,
  type SeriesForecaster,
  type SeriesTrainingData,
  type SignalForecast,
  type StepsHorizon,
  type WindowForecasts,
} from '../../src/index.ts';
import type { ModelFamily } from '../family.ts';
import { dlinearDefaults } from './dlinear-defaults.ts';
import { DLinearNetwork } from './dlinear-network.ts';

export interface DLinearConfig extends NeuralFitConfig {
  /** Moving-average window of the decomposition (default `dlinearDefaults.kernel`, 25). */
  kernel?: number;
}

export class DLinear implements SeriesForecaster {
  readonly name: string = dlinearFamily.name;
  readonly family: string = dlinearFamily.key;
  readonly capabilities: Capabilities;
  readonly lookback: number;
  readonly horizon: number;
  readonly config: DLinearConfig;
  private readonly network: DLinearNetwork;
  /** How the last fit trained (steps, time, stop reason). */
  lastFit: FitSummary | null = null;

  constructor(config: DLinearConfig) {
    this.config = { ...dlinearDefaults, ...config };
    this.lookback = config.lookback;
    this.horizon = config.horizon;
    this.network = new DLinearNetwork({ lookback: config.lookback, horizon: config.horizon, kernel: this.config.kernel });
    this.capabilities = seriesCapabilities({ context: config.lookback });
  }

  async fit(data: SeriesTrainingData, options?: FitOptions): Promise<void> {
    this.lastFit = await fitNetwork(this.network, data, this.config, options);
  }

  forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    if (options.horizon !== this.horizon) throw new Error(`${this.name} forecasts ${this.horizon} steps, not ${options.horizon}`);
    return forecastNetwork(this.network, windows, this.horizon);
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  state(): ModelState {
    return this.network.stateDict();
  }

  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    this.network.loadStateDict(state);
  }
}

/** The registry entry of DLinear. */
export const dlinearFamily = {
  name: 'DLinear',
  key: 'dlinear',
  description: 'trend and remainder, each mapped linearly',
  trained: true,
  create: ({ lookback, horizon }) => new DLinear({ lookback, horizon }),
  load: (config) => new DLinear(config as DLinearConfig),
} as const satisfies ModelFamily;
