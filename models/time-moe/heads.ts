/**
 * Which output head Time-MoE uses, and the chunks its greedy generation predicts: the rule of
 * the official `TimeMoeForPrediction.forward(max_horizon_length=m)` and `_greedy_search`
 * (time_moe/models/modeling_time_moe.py, ts_generation_mixin.py).
 */

/** The head a forward pass evaluates, and how many of its steps it keeps. */
export interface HeadChoice {
  /** Index into `horizon_lengths` (and `lm_heads`). */
  index: number;
  /** The head's horizon. */
  horizon: number;
  /** Steps kept: the head's horizon, or `maxHorizon` when even the first head is longer. */
  keep: number;
}

/**
 * The largest head not longer than `maxHorizon`, starting from `horizonLengths[0]` (so a
 * `maxHorizon` below the first head keeps the first head, truncated to `maxHorizon` steps).
 * Upstream walks the list and stops at the first longer head; the list is ascending (the
 * config reader checks it), so that is the largest one that fits.
 */
export function selectHead(horizonLengths: readonly number[], maxHorizon: number): HeadChoice {
  if (!Number.isSafeInteger(maxHorizon) || maxHorizon < 1) throw new RangeError(`Time-MoE: maxHorizon must be a positive integer, got ${maxHorizon}`);
  let index = 0;
  for (let i = 1; i < horizonLengths.length; i++) {
    if (horizonLengths[i] > maxHorizon) break;
    index = i;
  }
  const horizon = horizonLengths[index];
  return { index, horizon, keep: Math.min(horizon, maxHorizon) };
}

/**
 * The chunk lengths greedy generation appends, in order, to forecast `horizon` steps: each pass
 * asks for what remains and keeps what its head gives (heads 1, 8, 32, 64: 96 → 64 + 32,
 * 720 → 11 × 64 + 8 + 8).
 */
export function generationPlan(horizonLengths: readonly number[], horizon: number): number[] {
  if (!Number.isSafeInteger(horizon) || horizon < 1) throw new RangeError(`Time-MoE: the horizon must be a positive integer, got ${horizon}`);
  const plan: number[] = [];
  for (let done = 0; done < horizon; ) {
    const { keep } = selectHead(horizonLengths, horizon - done);
    plan.push(keep);
    done += keep;
  }
  return plan;
}
