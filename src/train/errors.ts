/** Errors of a training run that started: a diverged update or data that broke its contract. */

export type TrainingFailure = 'nonFiniteLoss' | 'nonFiniteGradient' | 'nonFiniteWeights' | 'emptyEpoch' | 'emptyValidation' | 'badLoss';

/**
 * Training stopped on an error at `step` (the 1-based update that failed). For a non-finite
 * loss or gradient the update was not applied: the model holds the weights after step − 1.
 * Nothing was written for the failed step: `lastCheckpoint` is the newest good checkpoint,
 * untouched.
 */
export class TrainingError extends Error {
  override name = 'TrainingError';

  constructor(
    readonly reason: TrainingFailure,
    readonly step: number,
    /** 0-based epoch index. */
    readonly epoch: number,
    readonly lastCheckpoint: string | null,
    what: string,
  ) {
    super(`${what} at step ${step} (epoch ${epoch})${lastCheckpoint ? `; the last good checkpoint is ${lastCheckpoint}` : '; no checkpoint was written'}`);
  }
}
