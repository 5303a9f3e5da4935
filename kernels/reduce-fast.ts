/**
 * CPU fast paths of sum, mean, max and min: one pass over the input in memory order,
 * accumulating into the output (float64 accumulators, as the references), instead of one
 * GPU.js thread per output walking its subspace with strided reads. Reducing leading axes
 * (a bias gradient: [B, L, F] → [F]) thus adds whole contiguous rows, and reducing trailing
 * axes sums contiguous runs. Large sums run in the WebAssembly runtime (the same loop, four
 * lanes read at a time into float64 pairs) where it is loaded.
 */
import { numel, stridesOf, type Shape } from './shape.ts';
import { coalesce } from './strided.ts';
import type { FastPathContext } from './types.ts';
import { hasElementwise } from './wasm/elementwise-jobs.ts';
import { WASM_MIN_ELEMENTS } from './elementwise-fast.ts';

export type Accumulation = 'sum' | 'mean' | 'max' | 'min';

/**
 * Reduces x over `axes` into out (its kept axes in order). The input is walked row by row of
 * its simplified layout; each row's elements land on one output (a reduced innermost axis) or
 * on a contiguous run of outputs (a kept one).
 */
export function reduceInto(
  x: Float32Array,
  shape: Shape,
  axes: readonly number[],
  how: Accumulation,
  out: Float32Array,
  ctx?: FastPathContext,
): boolean | Promise<boolean> {
  const count = out.length;
  const reducedCount = numel(axes.map((a) => shape[a]));
  // Output offset of each input axis: the kept axes' dense strides, 0 on reduced axes.
  const keptStrides = stridesOf(shape.filter((_, a) => !axes.includes(a)));
  let k = 0;
  const outStrides = shape.map((_, a) => (axes.includes(a) ? 0 : keptStrides[k++]));
  const view = coalesce(shape, [stridesOf(shape), outStrides]);
  const { dims } = view;
  if ((how === 'sum' || how === 'mean') && ctx && x.length >= WASM_MIN_ELEMENTS && hasElementwise(ctx.wasm)) {
    const loop = { dims, strides: [view.strides[1]] };
    const scale = how === 'mean' ? 1 / reducedCount : 1;
    if (!ctx.allowAsync) return (ctx.wasm.sumSync(x, out, loop, scale), true);
    return ctx.wasm.sum(x, out, loop, scale).then(() => true);
  }
  const rank = dims.length;
  const initial = how === 'max' ? -Infinity : how === 'min' ? Infinity : 0;
  const acc = new Float64Array(count).fill(initial);
  if (reducedCount > 0) {
    const n = rank === 0 ? 1 : dims[rank - 1];
    const step = rank === 0 ? 0 : view.strides[1][rank - 1];
    const index = new Array<number>(rank).fill(0);
    let o = 0;
    const total = x.length;
    for (let p = 0; p < total; p += n) {
      if (step === 0) {
        let s = acc[o];
        if (how === 'sum' || how === 'mean') for (let i = 0; i < n; i++) s += x[p + i];
        else if (how === 'max') for (let i = 0; i < n; i++) s = Math.max(s, x[p + i]);
        else for (let i = 0; i < n; i++) s = Math.min(s, x[p + i]);
        acc[o] = s;
      } else if (how === 'sum' || how === 'mean') {
        for (let i = 0; i < n; i++) acc[o + i] += x[p + i];
      } else if (how === 'max') {
        for (let i = 0; i < n; i++) acc[o + i] = Math.max(acc[o + i], x[p + i]);
      } else {
        for (let i = 0; i < n; i++) acc[o + i] = Math.min(acc[o + i], x[p + i]);
      }
      for (let d = rank - 2; d >= 0; d--) {
        if (++index[d] < dims[d]) {
          o += view.strides[1][d];
          break;
        }
        index[d] = 0;
        o -= view.strides[1][d] * (dims[d] - 1);
      }
    }
  }
  const scale = how === 'mean' ? 1 / reducedCount : 1;
  for (let i = 0; i < count; i++) out[i] = acc[i] * scale;
  return true;
}
