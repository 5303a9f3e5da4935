/**
 * The Time-MoE forecaster: a pretrained `TimeMoE` (a Hugging Face folder or Hub id, read by
 * `TimeMoE.fromPretrained`) behind the SeriesForecaster interface.
 *
 * - **Zero-shot** (the default, `fineTune: false`): `fit` loads the weights and trains nothing
 *   (its summary says so: `mode: 'zero-shot'`, 0 steps); the orchestrator keeps the history.
 * - **Fine-tuning** (`fineTune: true`): `fit` trains the weights on the data's windows with the
 *   official objective and optimiser defaults (fine-tune.ts), `maxSteps` / `maxEpochs` bounding it.
 * - **Forecasting**: every series and channel independently (channel-independent, as upstream):
 *   its context is normalised (`normalization`, normalization.ts), continued by `generate` (the
 *   official greedy loop over the multi-resolution heads), and denormalised. Any horizon works at
 *   predict time (autoregressive).
 * - **Multi-resolution view**: Time-MoE's heads (1, 8, 32, 64 steps) are forecasts of different
 *   lengths at full resolution, not coarse views of one horizon; `generate` chains them. The
 *   forecast's coarse-to-fine `scales` are therefore the pooled view of the point forecast, as for
 *   the other series models.
 * - **From scratch**: without `weights`, `architecture` (a config or a `timeMoEPresets` entry)
 *   builds a seeded random model, which `fit` must fine-tune.
 *
 * Persistence follows `loadForecast`'s convention: `state()` is the network's tensors by the
 * official names (what `save` writes into `models/<n>-timeMoE.safetensors`), `config` carries the
 * loaded `architecture`, so a saved forecast is rebuilt without the original weights.
 */
import {
  Random,
  predictSeries,
  seriesCapabilities,
  tensor,
  type Capabilities,
  type ContextWindows,
  type FitOptions,
  type FitSummary,
  type ModelState,
  type PredictOptions,
  type Series,
  type SeriesForecaster,
  type SeriesTrainingData,
  type SignalForecast,
  type StepsHorizon,
  type WindowForecasts,
} from '../../src/index.ts';
import type { ModelFamily } from '../family.ts';
import type { TimeMoEArchitecture, TimeMoEConfig } from './config.ts';
import { timeMoEBenchmarkNote, timeMoEContextLength } from './evaluation.ts';
import { fineTune } from './fine-tune.ts';
import { timeMoEForecasterDefaults } from './forecaster-defaults.ts';
import { generate } from './generate.ts';
import { TimeMoE } from './model.ts';
import { windowScale, type TimeMoENormalization } from './normalization.ts';

/** A field left out takes its value from `timeMoEForecasterDefaults` (forecaster-defaults.ts). */
export interface TimeMoEForecasterConfig {
  /** Display name, e.g. to run two checkpoints side by side. */
  name?: string;
  /** A Hugging Face checkpoint folder or a Hub id (`Maple728/TimeMoE-50M`), loaded at the first fit or forecast. */
  weights?: string;
  /**
   * The architecture (config.json keys). Without `weights`: the model to build and train from
   * scratch. After a load it is the checkpoint's config, which is what a saved forecast rebuilds.
   */
  architecture?: TimeMoEArchitecture & Partial<TimeMoEConfig>;
  /** Context steps read per forecast. */
  lookback: number;
  /** Default steps forecast (any horizon works at predict time). */
  horizon: number;
  /** 'window-unbiased' (README), 'window-population' (training scaler) or 'none' (run_eval): see normalization.ts. */
  normalization?: TimeMoENormalization;
  /** Train the weights on the data at `fit` (false: zero-shot). */
  fineTune?: boolean;
  experts?: 'routed' | 'dense';
  /** Series-channels per `generate` call (memory bound), or 'auto' (see the defaults). */
  predictBatchSize?: number | 'auto';
  batchSize?: number;
  learningRate?: number;
  minLearningRate?: number;
  weightDecay?: number;
  betas?: readonly [number, number];
  clipGradNorm?: number;
  maxEpochs?: number;
  maxSteps?: number;
  patience?: number;
  validationStride?: number;
  seed?: number;
}

type Settings = TimeMoEForecasterConfig & typeof timeMoEForecasterDefaults;

/** A fit's summary, saying whether it trained. */
export type TimeMoEFitSummary = FitSummary & { mode: 'zero-shot' | 'fine-tuned' };

export class TimeMoEForecaster implements SeriesForecaster {
  readonly name: string;
  readonly family: string = timeMoEFamily.key;
  readonly capabilities: Capabilities;
  readonly lookback: number;
  readonly horizon: number;
  lastFit: TimeMoEFitSummary | null = null;
  #settings: Settings;
  #network: TimeMoE | null = null;
  /** The network holds the random weights of an architecture, neither loaded nor trained yet. */
  #untrained = false;

  constructor(config: TimeMoEForecasterConfig) {
    const settings = { ...timeMoEForecasterDefaults, ...config } as Settings;
    for (const key of ['lookback', 'horizon'] as const) {
      if (!Number.isSafeInteger(settings[key]) || settings[key] < 1) throw new RangeError(`TimeMoE: ${key} must be a positive integer, got ${settings[key]}`);
    }
    if (settings.weights === undefined && settings.architecture === undefined) {
      throw new Error('TimeMoE: give `weights` (a checkpoint folder or a Hub id such as Maple728/TimeMoE-50M) or an `architecture` to train from scratch');
    }
    this.#settings = settings;
    this.name = settings.name ?? timeMoEFamily.name;
    this.lookback = settings.lookback;
    this.horizon = settings.horizon;
    this.capabilities = seriesCapabilities({ context: settings.lookback, zeroShot: settings.weights !== undefined, horizon: 'any' });
  }

  /** The construction options, with the network's `architecture` once it exists (what a save keeps). */
  get config(): TimeMoEForecasterConfig {
    return this.#network ? { ...this.#settings, architecture: { ...this.#network.config } } : this.#settings;
  }

  /** The network, loaded or built at the first fit or forecast (or by `loadState`). */
  get model(): TimeMoE {
    if (!this.#network) throw new Error(`${this.name}: fit the model (which loads its weights) before using it`);
    return this.#network;
  }

  /** Loads the weights (or builds the architecture) unless the network exists. */
  async ready(): Promise<TimeMoE> {
    if (this.#network) return this.#network;
    const { weights, architecture, seed } = this.#settings;
    this.#network = weights !== undefined ? await TimeMoE.fromPretrained(weights) : new TimeMoE(architecture!, { rng: new Random(seed) });
    this.#untrained = weights === undefined;
    return this.#network;
  }

  async fit(data: SeriesTrainingData, options: FitOptions = {}): Promise<void> {
    const started = performance.now();
    const network = await this.ready();
    const s = this.#settings;
    if (!s.fineTune || options.maxSteps === 0) {
      if (this.#untrained)
        throw new Error(`${this.name}: a model built from an architecture has random weights; fit it with fineTune: true (and maxSteps > 0)`);
      const seconds = (performance.now() - started) / 1000;
      this.lastFit = { mode: 'zero-shot', steps: 0, stepsPerEpoch: 0, seconds, stoppedBy: 'maxSteps', bestValidation: null, bestStep: null };
      return;
    }
    const summary = await fineTune(network, data, { ...s, betas: s.betas }, options);
    this.#untrained = false;
    this.lastFit = { mode: 'fine-tuned', ...summary };
  }

  /**
   * Forecasts each window's channels `horizon` steps ahead: normalised per context, generated,
   * denormalised. Missing context values are fed as the context's mean (0 once normalised).
   */
  async forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    const network = await this.ready();
    if (this.#untrained) throw new Error(`${this.name}: the model built from an architecture is untrained; fit it with fineTune: true before forecasting`);
    const { count, length: L, channels: C, values, mask } = windows;
    const { horizon: H } = options;
    const s = this.#settings;
    const rows = count * C;
    const scales = new Array<ReturnType<typeof windowScale>>(rows);
    const contexts = new Float32Array(rows * L);
    const context = new Float32Array(L);
    for (let n = 0; n < count; n++) {
      for (let c = 0; c < C; c++) {
        const row = n * C + c;
        const at = (t: number) => (n * L + t) * C + c;
        const observed = (t: number) => mask[at(t)] === 1 && !Number.isNaN(values[at(t)]);
        for (let t = 0; t < L; t++) context[t] = values[at(t)];
        const scale = windowScale(context, observed, s.normalization, () => `window ${n}, channel ${c}`);
        scales[row] = scale;
        for (let t = 0; t < L; t++) contexts[row * L + t] = ((observed(t) ? context[t] : scale.fill) - scale.shift) / scale.scale;
      }
    }
    const point = new Float32Array(count * H * C);
    const batch = s.predictBatchSize === 'auto' ? autoBatch(network, L + H) : s.predictBatchSize;
    for (let first = 0; first < rows; first += batch) {
      const size = Math.min(batch, rows - first);
      const x = tensor(contexts.slice(first * L, (first + size) * L), [size, L]);
      const y = await (await generate(network, x, H, { experts: s.experts })).data(); // [size, H]
      for (let r = 0; r < size; r++) {
        const row = first + r;
        const n = Math.floor(row / C);
        const c = row % C;
        const { shift, scale } = scales[row];
        for (let h = 0; h < H; h++) point[(n * H + h) * C + c] = y[r * H + h] * scale + shift;
      }
    }
    return { horizon: H, point, quantiles: new Map() };
  }

  predict(contexts: readonly Series[], horizon: StepsHorizon, options?: PredictOptions): Promise<SignalForecast<StepsHorizon>[]> {
    return predictSeries(this, contexts, horizon, options);
  }

  /** The network's tensors by the official names (a zero-initialised network from `architecture` if none is loaded yet). */
  state(): ModelState {
    return this.built().stateDict();
  }

  loadState(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    this.built().loadStateDict(state);
    this.#untrained = false;
  }

  /** The network, built synchronously from `architecture` when it does not exist (for persistence). */
  private built(): TimeMoE {
    if (this.#network) return this.#network;
    const { architecture } = this.#settings;
    if (!architecture) throw new Error(`${this.name}: fit the model (which loads its weights) before using its state`);
    this.#network = new TimeMoE(architecture, { init: 'zeros' });
    return this.#network;
  }
}

/** Rows per `generate` call that keep one layer's attention scores within 256 MB (2^26 floats), 1 to 4096. */
function autoBatch(network: TimeMoE, length: number): number {
  return Math.max(1, Math.min(4096, Math.floor(2 ** 26 / (network.config.num_attention_heads * length * length))));
}

/** The registry entry of the Time-MoE forecaster. */
export const timeMoEFamily = {
  name: 'TimeMoE',
  key: 'timeMoE',
  description: 'pretrained Time-MoE, zero-shot (models/time-moe) [--weights]',
  trained: false,
  pretrained: true,
  benchmark: { lookback: timeMoEContextLength, note: timeMoEBenchmarkNote },
  create: ({ horizon, lookback, weights, benchmark }) => {
    if (weights === undefined) {
      throw new Error(
        'timeMoE needs weights: pass --weights with a checkpoint folder (config.json + model.safetensors) or a Hugging Face Hub id such as Maple728/TimeMoE-50M',
      );
    }
    return new TimeMoEForecaster({ weights, horizon, lookback, ...(benchmark ? { normalization: 'none' as const } : {}) });
  },
  load: (config) => new TimeMoEForecaster(config as TimeMoEForecasterConfig),
} as const satisfies ModelFamily;
