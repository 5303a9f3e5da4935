// What every peer returns, and the median helper they share.

export interface TimingOptions {
  /** Timed runs after the warm-up (default 5). */
  runs?: number;
  /** Run once untimed first (default true); without it, `output` comes from the first timed run. */
  warmup?: boolean;
}

/**
 * A peer's timing: the median over `runs` runs after one warm-up run, and the warm-up's output
 * (the first run's without a warm-up) for the caller to validate against ours; or why the peer
 * cannot run the op.
 */
export type PeerResult = { medianMs: number; runs: number; output: Float32Array } | { unsupported: string };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
