// Layer norm and RMS norm over contiguous rows, four lanes at a time (the loops of
// kernels/norm.ts). Statistics accumulate in float64 pairs, each float promoted before it is
// added, as the reference does: a row whose mean is far from zero keeps its digits. Layer norm
// subtracts the mean as a float32 pair (hi + lo), so x − mean is as exact as float32 allows
// even when |mean| ≫ σ; the variance is a second pass over those differences.
//
// A row's last partial vector is read whole (the arena pads its regions: see
// ../rows-jobs.ts) and masked out of the sums; only its valid lanes are stored.

import { accumulate, laneMask, storeLanes } from './row-lanes';

/** acc + the squares of the four lanes of v, squared in float64 (no float32 overflow). */
// @ts-ignore: decorator
@inline
function accumulateSquares(acc: v128, v: v128): v128 {
  const a = f64x2.promote_low_f32x4(v);
  const b = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f64x2.add(f64x2.add(acc, f64x2.mul(a, a)), f64x2.mul(b, b));
}

// @ts-ignore: decorator
@inline
function total(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Σ x over the n floats at p, in float64. */
// @ts-ignore: decorator
@inline
function rowSum(p: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    s0 = accumulate(s0, v128.load(q));
    s1 = accumulate(s1, v128.load(q, 16));
  }
  for (; i + 4 <= n; i += 4) s0 = accumulate(s0, v128.load(p + (<usize>i << 2)));
  if (i < n) s1 = accumulate(s1, v128.and(v128.load(p + (<usize>i << 2)), laneMask(n - i)));
  return total(s0, s1);
}

/** Σ ((x − hi) − lo)² over the n floats at p, squared and summed in float64 (hi = lo = 0: Σ x²). */
// @ts-ignore: decorator
@inline
function rowSquares(p: usize, n: i32, hi: f32, lo: f32): f64 {
  const h = f32x4.splat(hi);
  const l = f32x4.splat(lo);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    const d0 = f32x4.sub(f32x4.sub(v128.load(q), h), l);
    const d1 = f32x4.sub(f32x4.sub(v128.load(q, 16), h), l);
    s0 = accumulateSquares(s0, d0);
    s1 = accumulateSquares(s1, d1);
  }
  for (; i + 4 <= n; i += 4) {
    const d = f32x4.sub(f32x4.sub(v128.load(p + (<usize>i << 2)), h), l);
    s0 = accumulateSquares(s0, d);
  }
  if (i < n) {
    const d = v128.and(f32x4.sub(f32x4.sub(v128.load(p + (<usize>i << 2)), h), l), laneMask(n - i));
    s1 = accumulateSquares(s1, d);
  }
  return total(s0, s1);
}

/** y = ((x − hi) − lo)·k·w + b over a row (b = 0: no shift). */
// @ts-ignore: decorator
@inline
function normaliseRow(p: usize, q: usize, w: usize, b: usize, n: i32, hi: f32, lo: f32, k: f32, shift: bool): void {
  const h = f32x4.splat(hi);
  const l = f32x4.splat(lo);
  const kv = f32x4.splat(k);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let y = f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(v128.load(p + o), h), l), kv), v128.load(w + o));
    if (shift) y = f32x4.add(y, v128.load(b + o));
    v128.store(q + o, y);
  }
  if (i < n) {
    const o = <usize>i << 2;
    let y = f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(v128.load(p + o), h), l), kv), v128.load(w + o));
    if (shift) y = f32x4.add(y, v128.load(b + o));
    storeLanes(q + o, y, n - i);
  }
}

function layerNormLoop(x: usize, w: usize, b: usize, out: usize, n: i32, r0: i32, r1: i32, eps: f64): void {
  for (let r = r0; r < r1; r++) {
    const p = x + (<usize>(<i64>r * n) << 2);
    const mean = rowSum(p, n) / n;
    const hi = <f32>mean;
    const lo = <f32>(mean - <f64>hi);
    const variance = rowSquares(p, n, hi, lo) / n;
    normaliseRow(p, out + (<usize>(<i64>r * n) << 2), w, b, n, hi, lo, <f32>(1 / Math.sqrt(variance + eps)), true);
  }
}

function rmsNormLoop(x: usize, w: usize, out: usize, n: i32, r0: i32, r1: i32, eps: f64): void {
  for (let r = r0; r < r1; r++) {
    const p = x + (<usize>(<i64>r * n) << 2);
    const meanSquare = rowSquares(p, n, 0, 0) / n;
    normaliseRow(p, out + (<usize>(<i64>r * n) << 2), w, 0, n, 0, 0, <f32>(1 / Math.sqrt(meanSquare + eps)), false);
  }
}

/**
 * Rows [r0, r1) of x [rows, n] into out, with weight w [n] (and bias b [n]): layer norm when
 * `layer` is nonzero, else RMS norm (b unused).
 */
export function normRows(layer: i32, x: usize, w: usize, b: usize, out: usize, n: i32, r0: i32, r1: i32, eps: f64): void {
  if (layer) layerNormLoop(x, w, b, out, n, r0, r1, eps);
  else rmsNormLoop(x, w, out, n, r0, r1, eps);
}
