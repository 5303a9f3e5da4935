/** Scans. */
import { normalizeAxis } from '../../kernels/index.ts';
import { apply } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';

export interface CumsumOptions {
  /** Exclude the current element (the sum of the elements before it). */
  exclusive?: boolean;
  /** Sum from the end of the axis towards its start. */
  reverse?: boolean;
}

/** Running sum along an axis. */
export function cumsum(x: Tensor, axis: number, options: CumsumOptions = {}): Tensor {
  return apply('cumsum', [x], {
    axis: normalizeAxis('cumsum', axis, x.rank, [x.shape]),
    exclusive: options.exclusive ?? false,
    reverse: options.reverse ?? false,
  });
}
