/**
 * The official zero-shot evaluation (`run_eval.py`, reference benchmarks.md §4.1): the context it
 * reads at each horizon, and how our `bench lstf` run of it differs.
 */

const officialContexts: Readonly<Record<number, number>> = { 96: 512, 192: 1024, 336: 2048, 720: 3072 };

/** run_eval's default context length at a horizon: 96 → 512, 192 → 1024, 336 → 2048, 720 → 3072, else 4·H. */
export function timeMoEContextLength(horizon: number): number {
  return officialContexts[horizon] ?? 4 * horizon;
}

/** What `bench lstf --model timeMoE` follows of run_eval, and where it differs. */
export const timeMoEBenchmarkNote =
  "Time-MoE's run_eval protocol: each channel a univariate series (MSE/MAE over all channels equal their mean), train-split z-scores and no per-window normalisation (normalization 'none'), context 512/1024/2048/3072 at H 96/192/336/720 (else 4·H) unless --lookback is given; unlike run_eval the last test window is scored too (it skips it) and the weights run in float32 (run_eval: the checkpoint's bfloat16)";
