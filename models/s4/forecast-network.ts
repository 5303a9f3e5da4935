/**
 * S4ForecastNetwork: the S4 forecasting setup of state-spaces/s4 (Informer ETT / ECL / Weather:
 * `configs/experiment/forecasting/s4-informer-*.yaml`, `src/dataloaders/et.py`), as a window
 * network [B, L, C] → [B, H, C]:
 *
 *   z = (x − μ) / σ per window and channel           (optional, RevIN without affine; see below)
 *   u = [z ; 0_{H×C}]                                 the lookback followed by H zeros  [B, L+H, C]
 *   u = [u, m],  m_t = 1 for the H future steps       (optional mask channel)           [B, L+H, C+1]
 *   h = SequenceModel.features(u)                     linear encoder, causal S4/S4D blocks [B, L+H, D]
 *   ŷ = decoder(h[:, L:, :]) · σ + μ                  the last H positions, Linear(D → C) [B, H, C]
 *
 * Upstream's decoder is `sequence` with `mode: last` and `l_output = pred_len`, which is the
 * same slice. Deviations (documented in README.md "Forecasting"): the per-window normalisation
 * (upstream scales each channel globally, as the protocol here does too, and feeds the result
 * unnormalised; RevIN, Kim et al. 2022, helps with the level shifts between ETT splits); the
 * mask channel (upstream's zeros alone cannot be told from a true zero value); no time-feature
 * encoder (`timeenc`), as the long-horizon protocol feeds values only; the option to forecast
 * each channel as its own series with shared weights (`channelIndependent`, PatchTST-style;
 * upstream mixes all channels in its linear encoder).
 *
 * Shapes: B batch, L lookback, H horizon, C channels, D width (dModel).
 */
import { Module, buffer, concat, expand, narrow, pad, permute, reshape, type Random, type Tensor } from '../../src/index.ts';
import { s4ForecasterDefaults as defaults } from './forecaster-defaults.ts';
import { createSequenceModel, type SequenceLayerConfig, type SequenceModel } from './sequence-model.ts';

export interface S4ForecastNetworkConfig {
  lookback: number;
  horizon: number;
  channels: number;
  /** Width D (default 32; upstream 128). Defaults: `s4ForecasterDefaults`. */
  dModel?: number;
  /** Residual blocks (default 2, as upstream). */
  layers?: number;
  /** The SSM layer; `kernel` defaults to 's4d', `lMax` to lookback + horizon, and it is always causal. */
  layer?: Partial<SequenceLayerConfig>;
  /** Default 0.1 (upstream 0.25 over 10 epochs; our CPU budget trains for far fewer). */
  dropout?: number;
  /** Default false (post-norm, as upstream's forecasting configs). */
  prenorm?: boolean;
  /** Per-window normalisation, RevIN-style (default true). */
  normalize?: boolean;
  /** Append a channel marking the H future positions (default true). */
  futureMask?: boolean;
  /**
   * Forecast each channel as its own univariate series with shared weights (default true,
   * PatchTST/DLinear-style; false is upstream's one linear encoder over all channels).
   */
  channelIndependent?: boolean;
  rng?: Random;
}

/** Variance floor of the per-window normalisation (RevIN's eps). */
const eps = 1e-5;

export class S4ForecastNetwork extends Module {
  /** The backbone: encoder Linear(C(+1) → D), blocks, decoder Linear(D → C). */
  model: SequenceModel;
  /** m [1, L+H, 1]: 0 over the lookback, 1 over the horizon (a buffer, rebuilt from the config). */
  futureFlag: Tensor | null;
  readonly lookback: number;
  readonly horizon: number;
  readonly normalize: boolean;
  readonly channelIndependent: boolean;
  readonly channels: number;

  constructor(config: S4ForecastNetworkConfig) {
    super();
    const { lookback, horizon, channels, dModel = defaults.dModel, layers = defaults.layers, futureMask = defaults.futureMask } = config;
    this.lookback = lookback;
    this.horizon = horizon;
    this.normalize = config.normalize ?? defaults.normalize;
    this.channelIndependent = config.channelIndependent ?? defaults.channelIndependent;
    this.channels = channels;
    const width = this.channelIndependent ? 1 : channels;
    const length = lookback + horizon;
    this.model = createSequenceModel({
      input: { kind: 'real', channels: width + (futureMask ? 1 : 0) },
      dModel,
      layers,
      layer: { kernel: defaults.kernel, lMax: length, ...config.layer, bidirectional: false },
      dropout: config.dropout ?? defaults.dropout,
      prenorm: config.prenorm ?? defaults.prenorm,
      classes: width,
      rng: config.rng,
    });
    this.futureFlag = futureMask
      ? buffer(
          Float32Array.from({ length }, (_, t) => (t < lookback ? 0 : 1)),
          [1, length, 1],
        )
      : null;
  }

  /** x [B, L, C] → [B, H, C] */
  forward(x: Tensor): Tensor {
    const [batch, length, channels] = x.shape;
    const { lookback: L, horizon: H } = this;
    if (x.rank !== 3 || length !== L || channels !== this.channels)
      throw new RangeError(`S4ForecastNetwork: expected x [B, ${L}, ${this.channels}], got [${x.shape.join(', ')}]`);
    if (this.channelIndependent && channels > 1) {
      const series = reshape(permute(x, [0, 2, 1]), [batch * channels, L, 1]); // [B·C, L, 1]
      return permute(reshape(this.forecastWindows(series), [batch, channels, H]), [0, 2, 1]); // [B, H, C]
    }
    return this.forecastWindows(x);
  }

  /** x [B', L, C'] → [B', H, C'] with the backbone's channel count C'. */
  private forecastWindows(x: Tensor): Tensor {
    const [batch] = x.shape;
    const { lookback: L, horizon: H } = this;
    let z = x;
    let mean: Tensor | null = null;
    let std: Tensor | null = null;
    if (this.normalize) {
      mean = x.mean(1, { keepDims: true }); // [B, 1, C]
      std = x.var(1, { keepDims: true }).add(eps).sqrt(); // [B, 1, C]
      z = x.sub(mean).div(std); // [B, L, C]
    }
    let u = pad(z, [
      [0, 0],
      [0, H],
      [0, 0],
    ]); // [B, L+H, C]
    if (this.futureFlag) u = concat([u, expand(this.futureFlag, [batch, L + H, 1])], 2); // [B, L+H, C+1]
    const h = this.model.features(u); // [B, L+H, D]
    const y = this.model.decoder.forward(narrow(h, 1, L, H)); // [B, H, C]
    return mean && std ? y.mul(std).add(mean) : y;
  }
}
