/** Argument checks and the counting rule shared by the metrics. */

/** Options every metric accepts. */
export interface MetricOptions {
  /**
   * 1 where a value is counted, 0 where it is skipped (a missing target), aligned with the
   * target. Without a mask every position counts, and a NaN there makes the result NaN: missing
   * values are skipped only when masked, never silently.
   */
  mask?: ArrayLike<number>;
}

/** Throws unless every array has the target's length. */
export function checkLengths(metric: string, target: ArrayLike<number>, others: Record<string, ArrayLike<number> | undefined>): void {
  for (const [name, values] of Object.entries(others)) {
    if (values !== undefined && values.length !== target.length) {
      throw new RangeError(`${metric}: ${name} has ${values.length} values, the target ${target.length}`);
    }
  }
}

/** Whether position i counts under the mask (no mask: every position). */
export function counted(mask: ArrayLike<number> | undefined, i: number): boolean {
  return mask === undefined || mask[i] !== 0;
}

/**
 * Mean of `term(i)` over the counted positions, accumulated in float64. NaN when nothing is
 * counted: the metric is undefined on an empty set (e.g. a fully masked horizon).
 */
export function countedMean(length: number, mask: ArrayLike<number> | undefined, term: (i: number) => number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < length; i++) {
    if (!counted(mask, i)) continue;
    sum += term(i);
    n++;
  }
  return n === 0 ? NaN : sum / n;
}
