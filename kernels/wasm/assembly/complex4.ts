// Small inline helpers for lane-layout complex elements (see fft-layout.ts): each element is
// four complex numbers, real parts in one v128 and imaginary parts in the next.

/** Stores (re + i im) at dst. */
// @ts-ignore: decorator
@inline
export function storeC(dst: usize, re: v128, im: v128): void {
  v128.store(dst, re);
  v128.store(dst, im, 16);
}

/** Stores (re + i im) * (wr + i wi) at dst. */
// @ts-ignore: decorator
@inline
export function storeMul(dst: usize, re: v128, im: v128, wr: v128, wi: v128): void {
  v128.store(dst, f32x4.sub(f32x4.mul(re, wr), f32x4.mul(im, wi)));
  v128.store(dst, f32x4.add(f32x4.mul(re, wi), f32x4.mul(im, wr)), 16);
}

/** Multiplies the element at p in place by the complex element at q (lane by lane). */
// @ts-ignore: decorator
@inline
export function mulInPlace(p: usize, q: usize): void {
  storeMul(p, v128.load(p), v128.load(p, 16), v128.load(q), v128.load(q, 16));
}

/** Multiplies the element at p in place by the scalar complex pair (cos, sin) at w, for all lanes. */
// @ts-ignore: decorator
@inline
export function mulInPlaceScalar(p: usize, w: usize): void {
  storeMul(p, v128.load(p), v128.load(p, 16), v128.load32_splat(w), v128.load32_splat(w, 4));
}
