/**
 * The S4 family: S4 (DPLR), S4D (diagonal) and SGConv kernels, FFTConv, S4Block, the deep
 * SequenceModel of the papers' classification experiments, and the S4 forecaster: the package's
 * `chronoscale/s4` entry. Internals (HiPPO matrices, initialisation, the eigensolver, the
 * discrete DPLR recurrence) are imported from their files.
 */
export { FFTConv, fftConvolve, type ConvolutionKernel, type RecurrentKernel, type KernelRecurrence, type FFTConvOptions } from './conv.ts';
export {
  S4DKernel,
  createS4D,
  continuousSystem,
  s4dConvolutionKernel,
  s4dPresets,
  type S4D,
  type S4DConfig,
  type S4DKernelConfig,
  type S4DKernelSettings,
  type SsmParameters,
  type SsmTransforms,
} from './s4d.ts';
export { S4Kernel, createS4, s4ConvolutionKernel, type S4, type S4Config, type S4KernelConfig } from './s4.ts';
export { SGConvKernel, createSGConv, type SGConv, type SGConvConfig, type SGConvKernelConfig, type Interpolation } from './sgconv.ts';
export {
  S4Block,
  createS4Block,
  s4ParamGroups,
  type S4BlockConfig,
  type S4BlockOptions,
  type S4LayerConfig,
  type S4ParamGroupOptions,
  type BlockActivation,
} from './block.ts';
export { loadOfficialS4StateDict, loadMinimalS4DStateDict, type SourceTensor, type OfficialLoadOptions, type LoadReport } from './official.ts';
export {
  SequenceModel,
  SequenceResidualBlock,
  createSequenceModel,
  sequenceParamGroups,
  s4LayerConfig,
  type SequenceModelConfig,
  type SequenceLayerConfig,
  type SequenceParamGroupOptions,
} from './sequence-model.ts';
export { S4ForecastNetwork, type S4ForecastNetworkConfig } from './forecast-network.ts';
export { S4Forecaster, type S4ForecasterConfig } from './forecaster.ts';
export { s4ForecasterDefaults } from './forecaster-defaults.ts';
