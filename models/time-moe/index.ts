/** The Time-MoE family (the decoder, its heads and generation, the training loss, Hugging Face checkpoints). */
export { parseTimeMoEConfig, timeMoEDefaults, timeMoEPresets, type TimeMoEConfig, type TimeMoEArchitecture } from './config.ts';
export { selectHead, generationPlan, type HeadChoice } from './heads.ts';
export {
  Projection,
  InputEmbedding,
  TemporalBlock,
  Attention,
  SparseExpertsLayer,
  DecoderLayer,
  rotaryTables,
  applyRotary,
  type LayerCache,
  type WeightInit,
} from './layers.ts';
export {
  TimeMoE,
  TimeMoEBackbone,
  OutputLayer,
  splitHorizon,
  type TimeMoECache,
  type TimeMoEHidden,
  type TimeMoEForwardOptions,
  type TimeMoEOptions,
} from './model.ts';
export { timeMoELoss, loadBalancingLoss, headLoss, shiftedTargets, HUBER_DELTA, type TimeMoELoss } from './loss.ts';
export { generate, type GenerateOptions } from './generate.ts';
export { routedDecode } from './routed.ts';
export { timeMoEParamGroups } from './param-groups.ts';
export { TimeMoEForecaster, type TimeMoEForecasterConfig, type TimeMoEFitSummary } from './forecaster.ts';
export { timeMoEForecasterDefaults } from './forecaster-defaults.ts';
export type { TimeMoENormalization } from './normalization.ts';
export { timeMoEContextLength } from './evaluation.ts';
export { packWindows, windowOffsets, zeroScale, type PackedWindow } from './pretrain-data.ts';
export { timeMoECpuPreset, type TimeMoEPretrainPreset } from './pretrain-preset.ts';
