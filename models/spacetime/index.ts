/** The SpaceTime family (companion SSMs, the closed-loop decoder, the network and its forecaster): the package's `chronoscale/spacetime` entry. */
export { CompanionSSM, ShiftSSM, type CompanionSSMConfig, type SsmLayerConfig } from './companion-ssm.ts';
export { ResidualSSM, differencingKernels, movingAverageResidualKernels, type ResidualSSMConfig } from './preprocess.ts';
export { ClosedLoopCompanionSSM, type ClosedLoopCompanionSSMConfig, type OpenLoopOutputs } from './closed-loop.ts';
export { Gelu, PreActivationMLP, EncoderBlock, Encoder, DecoderBlock, Decoder, type PreActivationMLPConfig } from './block.ts';
export { SpaceTimeNetwork, type SpaceTimeNetworkConfig, type SpaceTimeOutputs } from './network.ts';
export { SpaceTimeForecaster, type SpaceTimeForecasterConfig } from './forecaster.ts';
export { spaceTimeDefaults, spaceTimePresets } from './defaults.ts';
