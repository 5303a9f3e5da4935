/**
 * Strided views for the CPU fast paths of the memory-bound kernels (elementwise, movement,
 * reduce): a loop over an output shape reading one or more inputs at affine offsets,
 * offset_k = base_k + Σ_a o_a · strides_k[a], simplified before it runs.
 *
 * Simplification (what makes the loops fast): axes of size 1 add nothing to any offset and are
 * dropped; neighbouring axes a, a + 1 whose strides chain in every operand
 * (strides[a] = strides[a + 1] · dims[a + 1]) are one axis. A broadcast add of [B, H, L] and
 * [H, 1] thus becomes [B, H, L] with strides [H·L, L, 1] and [0, 1, 0], a same-shape add one
 * flat loop, and the last (innermost) axis is the one the fast paths specialise on.
 */
import type { Shape } from './shape.ts';

/** Dimensions and, per operand, its element strides along them (the output is dense row-major). */
export interface StridedLoop {
  dims: number[];
  strides: number[][];
}

/** Drops size-1 axes and merges neighbours whose strides chain in every operand. */
export function coalesce(dims: Shape, strides: readonly (readonly number[])[]): StridedLoop {
  const out: StridedLoop = { dims: [], strides: strides.map(() => []) };
  for (let a = 0; a < dims.length; a++) {
    const d = dims[a];
    if (d === 1) continue;
    const last = out.dims.length - 1;
    if (last >= 0 && strides.every((s, k) => out.strides[k][last] === s[a] * d)) {
      out.dims[last] *= d;
      strides.forEach((s, k) => (out.strides[k][last] = s[a]));
    } else {
      out.dims.push(d);
      strides.forEach((s, k) => out.strides[k].push(s[a]));
    }
  }
  return out;
}

/** Row-major strides of a dense shape (as numbers, for the loops below). */
export function denseStrides(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length);
  let s = 1;
  for (let a = dims.length - 1; a >= 0; a--) {
    strides[a] = s;
    s *= dims[a];
  }
  return strides;
}

/**
 * Calls `row(offsets)` once per innermost row of `loop` (every index of the outer axes, in
 * row-major order), with each operand's offset of that row's first element. The caller's row
 * function runs the innermost axis (loop.dims[last]) itself. A loop of rank 0 is one row.
 */
export function forEachRow(loop: StridedLoop, row: (offsets: Int32Array | Float64Array, index: number) => void, bases?: readonly number[]): void {
  const rank = loop.dims.length;
  const operands = loop.strides.length;
  // Offsets can exceed 2^31 only for arrays no engine allocates; float64 keeps them exact anyway.
  const offsets = new Float64Array(operands);
  if (bases) for (let k = 0; k < operands; k++) offsets[k] = bases[k];
  const outer = rank <= 1 ? 1 : loop.dims.slice(0, rank - 1).reduce((p, d) => p * d, 1);
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let r = 0; r < outer; r++) {
    row(offsets, r);
    for (let a = rank - 2; a >= 0; a--) {
      index[a]++;
      const dim = loop.dims[a];
      if (index[a] < dim) {
        for (let k = 0; k < operands; k++) offsets[k] += loop.strides[k][a];
        break;
      }
      index[a] = 0;
      for (let k = 0; k < operands; k++) offsets[k] -= loop.strides[k][a] * (dim - 1);
    }
  }
}
