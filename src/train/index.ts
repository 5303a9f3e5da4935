/** The training loop shared by every model family: `train(spec)` and its types. */
export { train } from './train.ts';
export { TrainingError, type TrainingFailure } from './errors.ts';
export type {
  TrainSpec,
  TrainResult,
  TrainEvent,
  HistoryEntry,
  StopReason,
  LossContext,
  EarlyStoppingOptions,
  PlateauOptions,
  CheckpointOptions,
  ExtraState,
  ProgressMode,
  ProgressOutput,
  SkippedCheckpoint,
} from './types.ts';
