/**
 * Bounds on what `forecast` and `backtest` may be asked, checked before anything is allocated:
 * a horizon of 10⁹ steps would otherwise grow memory for minutes before failing. Each bound is
 * said in terms of the flag and the data, with the largest value that would do.
 */
import type { FlagReader } from './args.ts';

/** Steps no horizon, lookback or season may exceed, whatever the data (about two years of minutes). */
export const MAX_STEPS = 1_000_000;

/** The step flags as read, before defaults. */
export interface StepFlags {
  horizon: number;
  lookback?: number;
  season?: number;
}

/** The absolute caps, checked as soon as the flags are read. */
export function checkStepCaps(parsed: StepFlags, flags: FlagReader): void {
  for (const [flag, value] of [
    ['horizon', parsed.horizon],
    ['lookback', parsed.lookback],
    ['season', parsed.season],
  ] as const) {
    if (value !== undefined && value > MAX_STEPS)
      flags.fail(`--${flag} ${value} is more than ${MAX_STEPS.toLocaleString('en-US')} steps; choose a smaller value`);
  }
}

/**
 * The bounds from the data: the steps `available` to the models (the shortest series, less what
 * a backtest holds out) must hold a lookback and a horizon, and the season must fit in them.
 * `what` names where `available` comes from, for the message.
 */
export function checkStepsFit(settings: { horizon: number; lookback: number; season: number }, available: number, what: string, flags: FlagReader): void {
  const { horizon, lookback, season } = settings;
  const steps = (n: number) => `${n.toLocaleString('en-US')} step${n === 1 ? '' : 's'}`;
  if (available < 2) flags.fail(`${what} leaves ${steps(Math.max(available, 0))} to fit on; use a shorter --horizon (or fewer --windows, a smaller --step)`);
  if (horizon >= available)
    flags.fail(`--horizon ${horizon} is not shorter than the ${steps(available)} ${what} leaves to fit on; choose at most ${available - 1}`);
  if (lookback + horizon > available) {
    flags.fail(
      `--lookback ${lookback} and --horizon ${horizon} need ${steps(lookback + horizon)} of history, but ${what} leaves ${steps(available)}; choose --lookback at most ${available - horizon}`,
    );
  }
  if (season > available) flags.fail(`--season ${season} is longer than the ${steps(available)} ${what} leaves; choose at most ${available}`);
}
