/**
 * `chronoscale/engine`: the lazy tensor engine underneath the forecasters, for building and
 * training models of your own: tensors and their ops, autograd, `nn` layers, `optim`
 * optimizers and schedules, the training loop, safetensors checkpoints, backend selection and
 * the kernel self-check. Every name is flat (`Linear`, `AdamW`): one name per thing.
 *
 * ```ts
 * import { tensor, Linear, AdamW, mseLoss } from 'chronoscale/engine';
 * ```
 */
export { Tensor, type TensorLike, type TensorOp } from './tensor.ts';
export { init, backend, shutdown, noGrad, isGradEnabled, type EngineOptions } from './engine/context.ts';
export type { PoolStats } from './engine/pool.ts';
export { realise } from './engine/realise.ts';
export { backward, zeroGrad, type BackwardOptions } from './autograd/backward.ts';
export { Random, manualSeed, globalRandom, deriveSeed } from './random.ts';
export { ShapeError, backendNames, kernelNames, type Shape, type BackendName, type KernelName, type Backend } from '../kernels/index.ts';

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

export * from './nn/index.ts';
export * from './optim/index.ts';
export * from './train/index.ts';
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
export {
  downloadHubSnapshot,
  resolveCheckpointDir,
  selectSafetensorsCheckpoint,
  SAFETENSORS_CHECKPOINT_HINT,
  defaultCacheDir,
  HubError,
  HubOfflineError,
  HubIntegrityError,
  type HubDownloadOptions,
  type HubProgress,
} from './io/hub.ts';
export { checkKernels, type KernelCheck } from './diagnostics/self-check.ts';
export { trainingDemo, type DemoResult } from './diagnostics/training-demo.ts';
