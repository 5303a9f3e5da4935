/**
 * chronoscale: deep sequence forecasting on a lazy tensor engine with GPU.js kernels.
 * The public API; models, examples and benchmarks import from here only.
 */
export { Tensor, type TensorLike, type TensorOp } from './tensor.ts';
export { init, backend, shutdown, noGrad, isGradEnabled, type EngineOptions } from './engine/context.ts';
export type { PoolStats } from './engine/pool.ts';
export { realise } from './engine/realise.ts';
export { backward, zeroGrad, type BackwardOptions } from './autograd/backward.ts';
export { Random } from './random.ts';

export * from './ops/creation.ts';
export * from './ops/elementwise.ts';
export * from './ops/reduce.ts';
export * from './ops/shape.ts';
export * from './ops/indexing.ts';
export * from './ops/linalg.ts';
export * from './ops/functional.ts';
export * from './ops/attention.ts';
export * from './ops/loss.ts';
export * from './ops/scan.ts';
export * from './ops/complex.ts';
export * from './ops/fft.ts';
export * from './ops/ssm.ts';
export * from './ops/companion.ts';

export { ShapeError, type Shape } from '../kernels/index.ts';
export { kernelNames, backendNames, type KernelName, type BackendName, type Backend } from '../kernels/index.ts';

export * as nn from './nn/index.ts';
export * as optim from './optim/index.ts';
export { Module, Linear, Embedding, LayerNorm, RMSNorm, Dropout, MLP, SwiGLU, MultiHeadAttention, parameter, buffer, type StateTensor } from './nn/index.ts';
export { BatchNorm1d, type BatchNormOptions } from './nn/index.ts';
export { Optimizer, AdamW, SGD, clipGradNorm, warmupCosine, stepDecay, LrScheduler, ReduceOnPlateau, type ParamGroup } from './optim/index.ts';
export { manualSeed, globalRandom } from './random.ts';
export { saveCheckpoint, loadCheckpoint, type CheckpointMetadata, type LoadedCheckpoint } from './io/checkpoint.ts';
export {
  readSafetensors,
  readSafetensorsHeader,
  writeSafetensors,
  encodeSafetensors,
  decodeSafetensors,
  SafetensorsError,
  type SafetensorsFile,
  type StoredTensor,
} from './io/safetensors.ts';

export type * from './forecast/types.ts';
export { pooledScales, poolSteps, scaleSizes } from './forecast/scales.ts';
export { predictSeries, lastWindows, levelsToQuantiles } from './forecast/series-predict.ts';
export { solvePositiveDefinite } from './linalg/cholesky.ts';
export * from './train/index.ts';
export * from './data/index.ts';
export * from './forecast/metrics.ts';
export * from './plot/index.ts';
export { fitNetwork, forecastNetwork, type WindowNetwork, type NeuralFitConfig } from './forecast/neural.ts';
export { WindowForecaster, type WindowForecasterConfig } from './forecast/window-forecaster.ts';
export { runLongHorizon, type LongHorizonOptions, type LongHorizonResult } from './forecast/long-horizon.ts';
export { Forecast, type ForecastConfig, type ForecastFitOptions, type ForecastPredictOptions } from './forecast/forecast.ts';
export { ForecastResult, quantileColumn } from './forecast/result.ts';
export { crossValidation, type CrossValidationOptions, type CrossValidationResult, type CrossValidationWindow } from './forecast/cross-validation.ts';
export { saveForecast, loadForecast as loadForecastWith, type ModelFactory } from './forecast/persist.ts';
export { toPanel, type ForecastInput } from './forecast/input.ts';
export { seriesCapabilities } from './forecast/capabilities.ts';
export { deriveSeed } from './random.ts';
export { ConformalIntervals, type ConformalOptions } from './forecast/conformal.ts';
