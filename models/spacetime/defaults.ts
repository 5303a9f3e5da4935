/**
 * SpaceTime's defaults, read by the network (network.ts), the forecaster and its training
 * (forecaster.ts) and, through the registry, the CLI; presets are named overrides of them.
 *
 * They are sized for CPUs (D 64, d 32, dropout 0.1, learning rate 1e-2: upstream's 1e-3 is meant
 * for up to 500 epochs and barely moves in the few a CPU affords, README.md);
 * `spaceTimePresets.official` is the README's configuration.
 */
export const spaceTimeDefaults = {
  /** D, a multiple of the 8 preprocessing kernels (upstream 128). */
  modelDim: 64,
  /** d, every SSM's state size (upstream 64). */
  kernelDim: 32,
  /** Encoder blocks (1: the README configuration). */
  encoderBlocks: 1,
  /** Dropout of the encoder MLPs (upstream 0.25). */
  dropout: 0.1,
  /** Dropout after the output layer (upstream 0.2, applied to the forecast itself). */
  outputDropout: 0,
  /** L1-normalise the companion parameters. */
  normOrder: 1,
  /** Longest moving-average window of the preprocessing. */
  maxAvgWindow: 64,
  /** Subtract each window's lookback mean (upstream's `mean` transform). */
  subtractMean: true,
  /** Weights of the horizon, one-step and next-input loss terms. */
  criterionWeights: [1, 1, 1],
  /** Seed of the initial weights and moving-average windows. */
  seed: 0,
  batchSize: 32,
  learningRate: 1e-2,
  /** AdamW's, as upstream. */
  weightDecay: 1e-4,
  maxEpochs: 10,
  patience: 3,
  /** Upstream's `timm_cosine`, with warmup. */
  schedule: 'cosine',
} as const;

/** Named overrides of `spaceTimeDefaults`. */
export const spaceTimePresets = {
  /** The README's ETT command: D 128, d 64, one encoder block, dropout 0.25, lr 1e-3, wd 1e-4, batch 50. */
  official: { modelDim: 128, kernelDim: 64, encoderBlocks: 1, dropout: 0.25, outputDropout: 0.2, learningRate: 1e-3, weightDecay: 1e-4, batchSize: 50 },
} as const satisfies Record<string, Partial<Record<keyof typeof spaceTimeDefaults, unknown>>>;
