/**
 * The L1 normalisation SpaceTime applies to companion parameters (official `CompanionSSM.norm`
 * with ord = 1): x ← x / ||x||₁ per kernel, so that ||a||₁ ≤ 1 keeps every root of the companion
 * polynomial inside the closed unit disk (a stable, non-exploding kernel).
 *
 * Upstream skips the division when the mean norm over the kernels is ≤ 1e-4 (a Python `if` on
 * `.item()`); here the same test selects the divisor inside the graph, so no value is read back
 * while the model is built (model code stays synchronous).
 */
import { abs, greater, mean, sum, where, type Tensor } from '../../src/index.ts';

/** Below this mean L1 norm the parameters are left as they are (upstream's threshold). */
const smallestNorm = 1e-4;

/** x / ||x||₁ over the last axis, unless the mean norm is ≤ 1e-4: x [..., d] → [..., d]. */
export function normalizeL1(x: Tensor): Tensor {
  const norms = sum(abs(x), -1, { keepDims: true }); // [..., 1]
  const active = greater(mean(norms), smallestNorm); // [] 1 or 0
  return x.div(where(active, norms, 1)); // [..., d]
}
