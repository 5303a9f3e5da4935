/**
 * The most common value of a list, the statistic frequency inference and grid anchors rest on.
 * Ties matter: between steps of 1 and 2 periods seen equally often the step is 1 (the 2s are
 * gaps), between days 31 and 30 of month-end dates the anchor is 31 (30 is a clamp).
 */
export function mostCommon(values: Iterable<number>, ties: 'smaller' | 'larger'): number {
  const counts = new Map<number, number>();
  let best = NaN;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && (ties === 'smaller' ? v < best : v > best))) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
