/**
 * The package entry: the engine and forecasting API (src/) and every model family (models/).
 * `import { Forecast, DLinear, SeasonalNaive } from 'chronoscale'`.
 */
export * from './src/index.ts';
export * from './models/index.ts';
