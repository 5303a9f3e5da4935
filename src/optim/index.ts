/** Optimizers, clipping and schedules. */
export { Optimizer, type ParamGroup, type ResolvedGroup, type OptimizerState } from './optimizer.ts';
export { AdamW, type AdamWOptions } from './adamw.ts';
export { SGD, type SGDOptions } from './sgd.ts';
export { clipGradNorm } from './clip.ts';
export { warmupCosine, stepDecay, LrScheduler, ReduceOnPlateau, type Schedule } from './schedules.ts';
