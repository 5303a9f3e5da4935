// Helpers of the row kernels (softmax.ts, norm.ts): the partial last vector of a row (fewer
// than four floats left) is loaded whole, masked out of the sums and stored lane by lane; sums
// are kept in float64 so that long rows lose nothing to float32 rounding.

/** All-ones in the lanes below `count` (0-4), zero above. */
// @ts-ignore: decorator
@inline
export function laneMask(count: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
}

/** Stores the first `count` (1-3) lanes of v at p. */
// @ts-ignore: decorator
@inline
export function storeLanes(p: usize, v: v128, count: i32): void {
  v128.store_lane<f32>(p, v, 0);
  if (count > 1) v128.store_lane<f32>(p, v, 1, 4);
  if (count > 2) v128.store_lane<f32>(p, v, 2, 8);
}

/** acc (two float64 lanes) + the four lanes of v, promoted to float64. */
// @ts-ignore: decorator
@inline
export function accumulate(acc: v128, v: v128): v128 {
  return f64x2.add(f64x2.add(acc, f64x2.promote_low_f32x4(v)), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
}
