/**
 * Every model family, and the registry that builds and rebuilds them (registry.ts).
 */
export * from './baselines/index.ts';
export * from './s4/index.ts';
export * from './spacetime/index.ts';
export * from './time-moe/index.ts';
export { modelFamilies, modelKeys, loadForecast, type ModelKey } from './registry.ts';
export type { ModelFamily, ModelSettings } from './family.ts';
