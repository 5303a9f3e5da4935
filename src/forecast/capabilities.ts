/** Capabilities of the common case, so each model states only where it differs. */
import type { Capabilities } from './types.ts';

/**
 * A channel-independent point forecaster of 1-D series without covariates, trained on the
 * target data, with a horizon fixed at construction; override what differs.
 */
export function seriesCapabilities(overrides: Partial<Capabilities> = {}): Capabilities {
  return {
    multivariate: false,
    futureCovariates: false,
    pastCovariates: false,
    probabilistic: 'none',
    zeroShot: false,
    horizon: 'fixed',
    context: null,
    signal: '1d',
    ...overrides,
  };
}
