/**
 * The SpaceTime network in its long-horizon (Informer) configuration (HazyResearch/spacetime
 * `model/network.py`, configs `embedding/repeat`, `encoder/default`, `decoder/default`,
 * `output/default`; the loss of `train/step/informer.py`; the `mean` data transform), as a
 * window network [B, L, C] → [B, H, C] with each channel forecast as its own series:
 *
 *   u = x − mean(x over the lookback)                      per window and channel  [N, L, 1]
 *   z = repeat(u) to D channels                            embedding 'repeat'      [N, L, D]
 *   z = encoder(z)     block 0: ResidualSSM → CompanionSSM (D/8 kernels × 8 heads) → MLP, + z;
 *                      blocks 1+: CompanionSSM (D kernels) → MLP, + input
 *   ŷ = output(decoder(z)) + mean                          closed loop, MLP D → 1  [N, H, 1]
 *
 * Training adds the decoder's open loop over the lookback: ŷ_o = output(y_o) + mean predicts
 * x_{t+1} from x_{≤t}, and û predicts the decoder's next input z_{t+1}. The loss is
 * w0·RMSE(ŷ, y) + w1·RMSE(ŷ_o[d−1:], [x, y][d : L+1]) + w2·RMSE(û[d−1 : −1], z[d:]) with
 * d = kernelDim (upstream's informer_rmse; weights 1, 1, 1 in the README runs).
 *
 * Deviations: multivariate data run channel-independently with shared weights (upstream's
 * `--features M` path is reported broken); the output MLP's dropout defaults to 0 (upstream
 * 0.2, applied to the forecast itself); when the lookback is not longer than d, the one-step
 * terms start at L − 1 instead of d; missing context values (fed as 0) are not masked out of
 * the one-step terms. Upstream's `--n_blocks` off-by-one does not exist here: `encoderBlocks`
 * is the number of encoder blocks (the README runs have 1).
 *
 * Shapes: B batch, L lookback, H horizon, C channels, N = B·C series, D width (modelDim).
 */
import { Module, Random, concat, expand, mseLoss, narrow, ones, permute, reshape, type Tensor } from '../../src/index.ts';
import { spaceTimeDefaults as defaults } from './defaults.ts';
import { ClosedLoopCompanionSSM } from './closed-loop.ts';
import { CompanionSSM } from './companion-ssm.ts';
import { Decoder, Encoder, EncoderBlock, PreActivationMLP } from './block.ts';
import { ResidualSSM } from './preprocess.ts';

export interface SpaceTimeNetworkConfig {
  lookback: number;
  horizon: number;
  channels: number;
  /** D, a multiple of the 8 preprocessing kernels. Every default: `spaceTimeDefaults` (defaults.ts). */
  modelDim?: number;
  /** d, every SSM's state size. */
  kernelDim?: number;
  /** Encoder blocks. */
  encoderBlocks?: number;
  /** Dropout of the encoder MLPs (the README's `--dropout`). */
  dropout?: number;
  /** Dropout after the output layer. */
  outputDropout?: number;
  /** L1-normalise the companion parameters. */
  normOrder?: 0 | 1;
  /** Longest moving-average window of the preprocessing. */
  maxAvgWindow?: number;
  /** Subtract each window's lookback mean (upstream's `mean` transform). */
  subtractMean?: boolean;
  /** Weights of the horizon, one-step and next-input terms. */
  criterionWeights?: readonly [number, number, number];
  /** Generator of the initial weights and windows (default: seeded with `spaceTimeDefaults.seed`). */
  rng?: Random;
}

/** Preprocessing kernels per repeat group (4 differencing orders + 4 moving-average residuals). */
const preprocessKernels = 8;

/** The training outputs of one batch of series. */
export interface SpaceTimeOutputs {
  /** Closed-loop forecast [N, H, 1]. */
  forecast: Tensor;
  /** Open-loop next-step predictions over the lookback [N, L, 1] (training only). */
  oneStep: Tensor | null;
  /** The decoder's predicted next inputs [N, L, D] and its actual inputs [N, L, D] (training only). */
  nextInputs: Tensor | null;
  decoderInputs: Tensor;
}

const rmse = (prediction: Tensor, target: Tensor, mask?: Tensor): Tensor => mseLoss(prediction, target, mask ? { mask } : {}).sqrt();

export class SpaceTimeNetwork extends Module {
  encoder: Encoder;
  decoder: Decoder;
  output: PreActivationMLP;
  readonly lookback: number;
  readonly horizon: number;
  readonly channels: number;
  readonly modelDim: number;
  readonly kernelDim: number;
  readonly subtractMean: boolean;
  readonly criterionWeights: readonly [number, number, number];

  constructor(config: SpaceTimeNetworkConfig) {
    super();
    const {
      lookback,
      horizon,
      channels,
      modelDim = defaults.modelDim,
      kernelDim = defaults.kernelDim,
      encoderBlocks = defaults.encoderBlocks,
      dropout = defaults.dropout,
      normOrder = defaults.normOrder,
    } = config;
    if (modelDim % preprocessKernels !== 0) throw new RangeError(`SpaceTimeNetwork: modelDim ${modelDim} must be a multiple of ${preprocessKernels}`);
    if (encoderBlocks < 1) throw new RangeError('SpaceTimeNetwork: at least one encoder block');
    const rng = config.rng ?? new Random(defaults.seed);
    this.lookback = lookback;
    this.horizon = horizon;
    this.channels = channels;
    this.modelDim = modelDim;
    this.kernelDim = kernelDim;
    this.subtractMean = config.subtractMean ?? defaults.subtractMean;
    this.criterionWeights = config.criterionWeights ?? defaults.criterionWeights;
    const groups = modelDim / preprocessKernels;
    const mlp = (): PreActivationMLP => new PreActivationMLP({ inputDim: modelDim, outputDim: modelDim, dropout, skipConnection: true, rng });
    const blocks = [
      new EncoderBlock({
        pre: new ResidualSSM({ nKernels: preprocessKernels, kernelRepeat: groups, maxAvgWindow: config.maxAvgWindow ?? defaults.maxAvgWindow, rng }),
        ssm: new CompanionSSM({ nKernels: groups, nHeads: preprocessKernels, kernelDim, normOrder, rng }),
        mlp: mlp(),
      }),
    ];
    for (let i = 1; i < encoderBlocks; i++)
      blocks.push(new EncoderBlock({ pre: null, ssm: new CompanionSSM({ nKernels: modelDim, kernelDim, normOrder, rng }), mlp: mlp() }));
    this.encoder = new Encoder(blocks);
    this.decoder = new Decoder(new ClosedLoopCompanionSSM({ width: modelDim, horizon, kernelDim, normOrder, rng }));
    this.output = new PreActivationMLP({ inputDim: modelDim, outputDim: 1, dropout: config.outputDropout ?? defaults.outputDropout, rng });
  }

  /** x [B, L, C] → series [B·C, L, 1], channel-independent. */
  private series(x: Tensor): Tensor {
    const [batch, length, channels] = x.shape;
    if (x.rank !== 3 || length !== this.lookback || channels !== this.channels)
      throw new RangeError(`SpaceTimeNetwork: expected x [B, ${this.lookback}, ${this.channels}], got [${x.shape.join(', ')}]`);
    return reshape(permute(x, [0, 2, 1]), [batch * channels, length, 1]); // [N, L, 1]
  }

  /** Series [N, L, 1] → forecasts, and in training mode the open-loop outputs. */
  run(series: Tensor): SpaceTimeOutputs {
    const [count, length] = series.shape;
    const level = this.subtractMean ? series.mean(1, { keepDims: true }) : null; // [N, 1, 1]
    const u = level ? series.sub(level) : series; // [N, L, 1]
    const z = this.encoder.forward(expand(u, [count, length, this.modelDim])); // [N, L, D]
    const restore = (y: Tensor): Tensor => (level ? y.add(level) : y);
    const forecast = restore(this.output.forward(this.decoder.ssm.forward(z))); // [N, H, 1]
    if (!this.training) return { forecast, oneStep: null, nextInputs: null, decoderInputs: z };
    const open = this.decoder.ssm.openLoop(z);
    return { forecast, oneStep: restore(this.output.forward(open.y)), nextInputs: open.nextInputs, decoderInputs: z };
  }

  /** x [B, L, C] → [B, H, C] (the closed-loop forecast). */
  forward(x: Tensor): Tensor {
    const [batch] = x.shape;
    const { forecast } = this.run(this.series(x)); // [N, H, 1]
    return permute(reshape(forecast, [batch, this.channels, this.horizon]), [0, 2, 1]); // [B, H, C]
  }

  /**
   * The training objective for windows x [B, L, C] and targets y [B, H, C] (mask: 1 where y is
   * observed): the weighted sum of the horizon, one-step and next-input RMSEs (see above).
   * In eval mode only the horizon term.
   */
  loss(x: Tensor, y: Tensor, mask?: Tensor): Tensor {
    const { lookback: L, horizon: H } = this;
    const series = this.series(x); // [N, L, 1]
    const count = series.shape[0];
    const seriesOf = (t: Tensor): Tensor => reshape(permute(t, [0, 2, 1]), [count, H, 1]); // [N, H, 1]
    const target = seriesOf(y);
    const targetMask = mask ? seriesOf(mask) : undefined;
    const out = this.run(series);
    const [w0, w1, w2] = this.criterionWeights;
    const horizonLoss = rmse(out.forecast, target, targetMask);
    if (!out.oneStep || !out.nextInputs) return horizonLoss.mul(w0);
    const offset = Math.max(1, Math.min(this.kernelDim, L - 1));
    const steps = L - offset + 1;
    const oneStepTarget = concat([narrow(series, 1, offset, L - offset), narrow(target, 1, 0, 1)], 1); // [N, steps, 1]
    const oneStepMask = targetMask ? concat([ones([count, L - offset, 1]), narrow(targetMask, 1, 0, 1)], 1) : undefined; // [N, steps, 1]
    const oneStepLoss = rmse(narrow(out.oneStep, 1, offset - 1, steps), oneStepTarget, oneStepMask);
    const inputLoss = rmse(narrow(out.nextInputs, 1, offset - 1, L - offset), narrow(out.decoderInputs, 1, offset, L - offset));
    return horizonLoss.mul(w0).add(oneStepLoss.mul(w1)).add(inputLoss.mul(w2));
  }
}
