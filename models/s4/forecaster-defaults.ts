/**
 * The S4 forecaster's defaults, read by the network (forecast-network.ts), the forecaster and
 * its training (forecaster.ts) and, through the registry, the CLI. Sized for a CPU: upstream's
 * ETTh1 configuration is D = 128 and dropout 0.25 over 10 epochs; we train far fewer steps.
 */
export const s4ForecasterDefaults = {
  /** SSM kernel of each block. */
  kernel: 's4d',
  /** Width D. */
  dModel: 32,
  /** Residual blocks (2, as upstream). */
  layers: 2,
  dropout: 0.1,
  /** Post-norm, as upstream's forecasting configs. */
  prenorm: false,
  /** Per-window normalisation, RevIN-style. */
  normalize: true,
  /** A channel marking the future positions. */
  futureMask: true,
  /**
   * Each channel forecast as its own series with shared weights (false is upstream's one
   * encoder over all channels, which overfits ETTh1: see README.md).
   */
  channelIndependent: true,
  /** Seed of the initial weights. */
  seed: 0,
  batchSize: 16,
  learningRate: 0.004,
  weightDecay: 0.01,
  /** Learning rate of dt, A, B, without weight decay (upstream's `lr` of the SSM parameters). */
  ssmLearningRate: 0.001,
  maxEpochs: 10,
  patience: 3,
  schedule: 'halveEachEpoch',
} as const;
