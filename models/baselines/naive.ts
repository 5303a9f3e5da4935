/**
 * Naive and seasonal-naive forecasts: the reference points every benchmark table needs
 * (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, §5.2).
 *   naive:          ŷ[t+h] = y[t]
 *   seasonal naive: ŷ[t+h] = y[t + h − m·⌈h/m⌉]   (the last observed value of the same season)
 * Channel-independent, rule-based (no fitting), any horizon.
 */
import type { ModelFamily } from '../family.ts';
import {
  predictSeries,
  seriesCapabilities,
  type ContextWindows,
  type SeriesForecaster,
  type Series,
  type StepsHorizon,
  type PredictOptions,
  type WindowForecasts,
  type SignalForecast,
} from '../../src/index.ts';

const capabilities = seriesCapabilities({ zeroShot: true, horizon: 'any' });

/** Shared body: ŷ[h] = context[lookback − period + (h mod period)] per channel. */
abstract class RepeatLast implements SeriesForecaster {
  abstract readonly name: string;
  abstract readonly family: string;
  readonly capabilities = capabilities;

  constructor(
    readonly horizon: number,
    /** How many trailing steps repeat (1 for naive, the season for seasonal naive). */
    protected readonly period: number,
  ) {
    if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon ${horizon} must be a positive integer`);
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`season ${period} must be a positive integer`);
  }

  get lookback(): number {
    return this.period;
  }

  abstract get config(): object;

  async fit(): Promise<void> {}

  async forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    const { count, length, channels: c, values } = windows;
    const h = options.horizon;
    const point = new Float32Array(count * h * c);
    for (let n = 0; n < count; n++) {
      for (let step = 0; step < h; step++) {
        const source = (n * length + length - this.period + (step % this.period)) * c;
        point.set(values.subarray(source, source + c), (n * h + step) * c);
      }
    }
    return { horizon: h, point, quantiles: new Map() };
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  state() {
    return new Map();
  }

  loadState(): void {}
}

export class Naive extends RepeatLast {
  readonly name: string = naiveFamily.name;
  readonly family: string = naiveFamily.key;

  constructor(options: { horizon: number }) {
    super(options.horizon, 1);
  }

  get config() {
    return { horizon: this.horizon };
  }
}

export class SeasonalNaive extends RepeatLast {
  readonly name: string = seasonalNaiveFamily.name;
  readonly family: string = seasonalNaiveFamily.key;

  constructor(options: { horizon: number; season: number }) {
    super(options.horizon, options.season);
  }

  get config() {
    return { horizon: this.horizon, season: this.period };
  }
}

/** The registry entry of Naive. */
export const naiveFamily = {
  name: 'Naive',
  key: 'naive',
  description: 'the last observed value, repeated',
  trained: false,
  create: ({ horizon }) => new Naive({ horizon }),
  load: (config) => new Naive(config as { horizon: number }),
} as const satisfies ModelFamily;

/** The registry entry of SeasonalNaive. */
export const seasonalNaiveFamily = {
  name: 'SeasonalNaive',
  key: 'seasonalNaive',
  description: 'the last observed season, repeated (--season)',
  trained: false,
  create: ({ horizon, season }) => new SeasonalNaive({ horizon, season }),
  load: (config) => new SeasonalNaive(config as { horizon: number; season: number }),
} as const satisfies ModelFamily;
