// Four-lane float32 math for the elementwise kernels: exp (Cephes expf: a degree-7
// polynomial on |r| <= ln2/2 and an exponent add, within 1.2e-7 relative), the erf of
// Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7, float32's resolution near 1) that
// the GPU.js bodies use too (kernels/math.ts), for GELU's derivative, which needs its
// e^{−z²} anyway, and A&S 7.1.28 (no exp, half the work) for GELU itself.

// @ts-ignore: decorator
@inline
function fmadd(a: v128, b: v128, c: f32): v128 {
  return f32x4.add(f32x4.mul(a, b), f32x4.splat(c));
}

/** kn = x·log2 e + 1.5·2^23 per lane: the sum's low mantissa bits are n = round(x·log2 e). */
// @ts-ignore: decorator
@inline
function expRound4(x: v128): v128 {
  return f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(12582912.0));
}

/**
 * e^r per lane for r = x − n·ln2, n from `kn` (expRound4), ln2 split in two so that n·ln2_hi is
 * exact: 1 + r + r²·(c0 + c1 r + … + c5 r⁵), Cephes' coefficients in Estrin's form.
 */
// @ts-ignore: decorator
@inline
function expReduced4(x: v128, kn: v128): v128 {
  const fx = f32x4.sub(kn, f32x4.splat(12582912.0));
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const p01 = fmadd(r, f32x4.splat(1.6666665459e-1), 5.0000001201e-1);
  const p23 = fmadd(r, f32x4.splat(8.3334519073e-3), 4.1665795894e-2);
  const p45 = fmadd(r, f32x4.splat(1.9875691500e-4), 1.3981999507e-3);
  const p = f32x4.add(f32x4.add(p01, f32x4.mul(p23, r2)), f32x4.mul(p45, r4));
  return f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1));
}

/**
 * e^x per lane: +Infinity above 88.7228 (float32 overflow), 0 below -86.6 (the exact value is
 * below 2.4e-38, where float32 goes subnormal), NaN for NaN. n = round(x·log2 e) comes from
 * adding 1.5·2^23 (the sum's low mantissa bits are n), r = x − n·ln2 with ln2 split in two so
 * that n·ln2_hi is exact, e^r by Cephes' polynomial in Estrin's form (a short dependency
 * chain), and 2^n as 2·2^(n−1) through the exponent field, so n = 128 needs no special case.
 */
// @ts-ignore: decorator
@inline
export function exp4(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-86.6)), f32x4.splat(88.72283));
  const kn = expRound4(xc);
  let y = expReduced4(xc, kn);
  // bits(kn) − bits(1.5·2^23) = n, so (bits(kn) − bits(1.5·2^23) + 126) << 23 is 2^(n−1)
  const pow2 = i32x4.shl(i32x4.sub(kn, i32x4.splat(0x4b400000 - 126)), 23);
  y = f32x4.mul(f32x4.add(y, y), pow2);
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, f32x4.splat(88.72283)));
  y = v128.andnot(y, f32x4.lt(x, f32x4.splat(-86.6)));
  return v128.bitselect(x, y, f32x4.ne(x, x));
}

/** erf(z) per lane, given e = e^{−z²} (which GELU's derivative needs as well). */
// @ts-ignore: decorator
@inline
export function erf4(z: v128, e: v128): v128 {
  const t = f32x4.div(f32x4.splat(1), fmadd(f32x4.abs(z), f32x4.splat(0.3275911), 1));
  let p = fmadd(f32x4.splat(1.061405429), t, -1.453152027);
  p = fmadd(p, t, 1.421413741);
  p = fmadd(p, t, -0.284496736);
  p = fmadd(p, t, 0.254829592);
  const m = f32x4.sub(f32x4.splat(1), f32x4.mul(f32x4.mul(p, t), e));
  // copysign(m, z): m ≥ 0, so or-ing in z's sign bit is enough
  return v128.or(m, v128.and(z, f32x4.splat(-0.0)));
}

/**
 * erf(z) per lane without an exp: Abramowitz & Stegun 7.1.28, 1 − (1 + a1|z| + … + a6|z|⁶)^−16
 * (absolute error below 3e-7; about 1e-6 near 0 in float32, where GELU scales it by |x|/2).
 */
// @ts-ignore: decorator
@inline
export function erfPoly4(z: v128): v128 {
  const a = f32x4.abs(z);
  let p = fmadd(f32x4.splat(0.0000430638), a, 0.0002765672);
  p = fmadd(p, a, 0.0001520143);
  p = fmadd(p, a, 0.0092705272);
  p = fmadd(p, a, 0.0422820123);
  p = fmadd(p, a, 0.0705230784);
  p = fmadd(p, a, 1);
  p = f32x4.mul(p, p); // ^2
  p = f32x4.mul(p, p); // ^4
  p = f32x4.mul(p, p); // ^8
  p = f32x4.mul(p, p); // ^16 (overflows to Infinity for |z| above ~13, where the result is 1)
  const m = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(1), p));
  return v128.or(m, v128.and(z, f32x4.splat(-0.0)));
}

/** tanh per lane, as sign(u)·(1 − e)/(1 + e) with e = e^{−2|u|} (no overflow). */
// @ts-ignore: decorator
@inline
export function tanh4(u: v128): v128 {
  const e = exp4(f32x4.mul(f32x4.abs(u), f32x4.splat(-2)));
  const t = f32x4.div(f32x4.sub(f32x4.splat(1), e), f32x4.add(f32x4.splat(1), e));
  return v128.or(t, v128.and(u, f32x4.splat(-0.0)));
}

/** Below this, e^x is under float32's smallest normal, 2^−126 (ln 2^−126 = −87.3365). */
const EXP_SHIFTED_MIN: f32 = -87.33654;

/**
 * e^x per lane for x in [−∞, 0], as after softmax's max subtraction: exp4's range reduction
 * and polynomial without its overflow and NaN handling (a row's NaN or infinite maximum is
 * dealt with before), 0 below 2^−126 (−∞ from masks included). n = round(x·log2 e) lies in
 * [−126, 0], so 2^n is a normal float built directly in the exponent field.
 */
// @ts-ignore: decorator
@inline
export function expShifted4(x: v128): v128 {
  const xc = f32x4.max(x, f32x4.splat(EXP_SHIFTED_MIN));
  const kn = expRound4(xc);
  const y = expReduced4(xc, kn);
  // bits(kn) − bits(1.5·2^23) = n, so (bits(kn) − bits(1.5·2^23) + 127) << 23 is 2^n
  const pow2 = i32x4.shl(i32x4.sub(kn, i32x4.splat(0x4b400000 - 127)), 23);
  return v128.andnot(f32x4.mul(y, pow2), f32x4.lt(x, f32x4.splat(EXP_SHIFTED_MIN)));
}
