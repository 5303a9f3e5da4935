/** Baseline forecasters: rule-based references and linear models. */
export { Naive, SeasonalNaive } from './naive.ts';
export { RidgeLinear, type RidgeLinearConfig } from './ridge-linear.ts';
export { DLinear, type DLinearConfig } from './dlinear.ts';
export { dlinearDefaults } from './dlinear-defaults.ts';
export { DLinearNetwork, movingAverageMatrix, type DLinearNetworkConfig } from './dlinear-network.ts';
