/**
 * DLinear's defaults, read by the network (dlinear-network.ts), the forecaster (dlinear.ts) and,
 * through the registry, the CLI: TSLib's settings for the long-horizon benchmarks.
 */
export const dlinearDefaults = {
  /** Moving-average window of the trend (odd; 25 as the paper). */
  kernel: 25,
  batchSize: 32,
  learningRate: 5e-3,
  maxEpochs: 10,
  /** Early stopping on validation MSE. */
  patience: 3,
  /** The learning rate halves each epoch (TSLib's `type1` adjustment). */
  schedule: 'halveEachEpoch',
} as const;
