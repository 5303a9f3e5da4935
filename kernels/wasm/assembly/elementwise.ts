// Elementwise kernels, four lanes at a time: unary maps over a range of a flat array, and
// binary maps over a broadcast loop (the simplified layout of kernels/strided.ts: dims with
// each operand's element strides, the output dense), whose innermost axis runs with both
// operands contiguous, one of them fixed, or (scalar) general strides.
//
// Op codes: keep in sync with UNARY_OPS / BINARY_OPS in ../elementwise-jobs.ts.

import { exp4, erf4, erfPoly4, tanh4 } from './simd-math';

const NEG = 0;
const EXP = 1;
const SIGMOID = 2;
const TANH = 3;
const SILU = 4;
const GELU = 5;
const GELU_TANH = 6;
const GELU_GRAD = 7;
const GELU_GRAD_TANH = 8;
const RELU = 9;
const ABS = 10;
const SQUARE = 11;
const SQRT = 12;
const RSQRT = 13;
const RECIPROCAL = 14;

const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MAX = 4;
const MIN = 5;

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_CUBIC: f32 = 0.044715;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

// @ts-ignore: decorator
@inline
function one(): v128 {
  return f32x4.splat(1);
}

// @ts-ignore: decorator
@inline
function unary(op: i32, v: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(v);
    case EXP: return exp4(v);
    case SIGMOID: return f32x4.div(one(), f32x4.add(one(), exp4(f32x4.neg(v))));
    case TANH: return tanh4(v);
    case SILU: return f32x4.div(v, f32x4.add(one(), exp4(f32x4.neg(v))));
    case GELU: {
      const z = f32x4.mul(v, f32x4.splat(0.7071067811865476));
      return f32x4.mul(f32x4.mul(f32x4.splat(0.5), v), f32x4.add(one(), erfPoly4(z)));
    }
    case GELU_TANH: {
      const u = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(v, f32x4.mul(f32x4.splat(GELU_CUBIC), f32x4.mul(v, f32x4.mul(v, v)))));
      return f32x4.mul(f32x4.mul(f32x4.splat(0.5), v), f32x4.add(one(), tanh4(u)));
    }
    case GELU_GRAD: {
      // Φ(x) + x·φ(x), φ(x) = e^{−x²/2}/√(2π) = e^{−z²}/√(2π) with z = x/√2
      const z = f32x4.mul(v, f32x4.splat(0.7071067811865476));
      const e = exp4(f32x4.neg(f32x4.mul(z, z)));
      const cdf = f32x4.mul(f32x4.splat(0.5), f32x4.add(one(), erf4(z, e)));
      return f32x4.add(cdf, f32x4.mul(v, f32x4.mul(e, f32x4.splat(INV_SQRT_2PI))));
    }
    case GELU_GRAD_TANH: {
      const v2 = f32x4.mul(v, v);
      const t = tanh4(f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(v, f32x4.mul(f32x4.splat(GELU_CUBIC), f32x4.mul(v, v2)))));
      const slope = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(one(), f32x4.mul(f32x4.splat(3 * GELU_CUBIC), v2)));
      const half = f32x4.mul(f32x4.splat(0.5), f32x4.add(one(), t));
      return f32x4.add(half, f32x4.mul(f32x4.mul(f32x4.mul(f32x4.splat(0.5), v), f32x4.sub(one(), f32x4.mul(t, t))), slope));
    }
    case RELU: return f32x4.max(v, f32x4.splat(0));
    case ABS: return f32x4.abs(v);
    case SQUARE: return f32x4.mul(v, v);
    case SQRT: return f32x4.sqrt(v);
    case RSQRT: return f32x4.div(one(), f32x4.sqrt(v));
    default: return f32x4.div(one(), v); // RECIPROCAL
  }
}

// @ts-ignore: decorator
@inline
function binary(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAX: return f32x4.max(a, b);
    default: return f32x4.min(a, b); // MIN
  }
}

/** Stores the first `count` (1-3) lanes of v at p. */
// @ts-ignore: decorator
@inline
function storeLanes(p: usize, v: v128, count: i32): void {
  v128.store_lane<f32>(p, v, 0);
  if (count > 1) v128.store_lane<f32>(p, v, 1, 4);
  if (count > 2) v128.store_lane<f32>(p, v, 2, 8);
}

// @ts-ignore: decorator
@inline
function unaryLoop(op: i32, x: usize, out: usize, start: i32, end: i32): void {
  let i = start;
  // Four independent vectors per iteration: V8 overlaps little across iterations, and exp's
  // dependency chain is long (measured 2x faster than one vector per iteration).
  for (; i + 16 <= end; i += 16) {
    const p = x + (<usize>i << 2);
    const q = out + (<usize>i << 2);
    const v0 = unary(op, v128.load(p));
    const v1 = unary(op, v128.load(p, 16));
    const v2 = unary(op, v128.load(p, 32));
    const v3 = unary(op, v128.load(p, 48));
    v128.store(q, v0);
    v128.store(q, v1, 16);
    v128.store(q, v2, 32);
    v128.store(q, v3, 48);
  }
  for (; i + 4 <= end; i += 4) v128.store(out + (<usize>i << 2), unary(op, v128.load(x + (<usize>i << 2))));
  // The last partial vector reads past `end` inside the arena (regions are 64-byte padded).
  if (i < end) storeLanes(out + (<usize>i << 2), unary(op, v128.load(x + (<usize>i << 2))), end - i);
}

// One function per op (not inlined into unaryRange: one loop with every op's body behind a
// br_table inside it ran half as fast).
function negRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(NEG, x, out, s, e); }
function expRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(EXP, x, out, s, e); }
function sigmoidRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(SIGMOID, x, out, s, e); }
function tanhRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(TANH, x, out, s, e); }
function siluRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(SILU, x, out, s, e); }
function geluRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(GELU, x, out, s, e); }
function geluTanhRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(GELU_TANH, x, out, s, e); }
function geluGradRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(GELU_GRAD, x, out, s, e); }
function geluGradTanhRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(GELU_GRAD_TANH, x, out, s, e); }
function reluRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(RELU, x, out, s, e); }
function absRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(ABS, x, out, s, e); }
function squareRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(SQUARE, x, out, s, e); }
function sqrtRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(SQRT, x, out, s, e); }
function rsqrtRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(RSQRT, x, out, s, e); }
function reciprocalRange(x: usize, out: usize, s: i32, e: i32): void { unaryLoop(RECIPROCAL, x, out, s, e); }

/** out[i] = op(x[i]) for i in [start, end). */
export function unaryRange(op: i32, x: usize, out: usize, start: i32, end: i32): void {
  switch (op) {
    case NEG: negRange(x, out, start, end); break;
    case EXP: expRange(x, out, start, end); break;
    case SIGMOID: sigmoidRange(x, out, start, end); break;
    case TANH: tanhRange(x, out, start, end); break;
    case SILU: siluRange(x, out, start, end); break;
    case GELU: geluRange(x, out, start, end); break;
    case GELU_TANH: geluTanhRange(x, out, start, end); break;
    case GELU_GRAD: geluGradRange(x, out, start, end); break;
    case GELU_GRAD_TANH: geluGradTanhRange(x, out, start, end); break;
    case RELU: reluRange(x, out, start, end); break;
    case ABS: absRange(x, out, start, end); break;
    case SQUARE: squareRange(x, out, start, end); break;
    case SQRT: sqrtRange(x, out, start, end); break;
    case RSQRT: rsqrtRange(x, out, start, end); break;
    default: reciprocalRange(x, out, start, end);
  }
}

/** One innermost row: n outputs at o, operands from pa and pb with element strides ia and ib. */
// @ts-ignore: decorator
@inline
function binaryRow(op: i32, pa: usize, pb: usize, o: usize, n: i32, ia: i32, ib: i32): void {
  let i = 0;
  if (ia == 1 && ib == 1) {
    for (; i + 4 <= n; i += 4) {
      const k = <usize>i << 2;
      v128.store(o + k, binary(op, v128.load(pa + k), v128.load(pb + k)));
    }
  } else if (ia == 1 && ib == 0) {
    const y = v128.load32_splat(pb);
    for (; i + 4 <= n; i += 4) {
      const k = <usize>i << 2;
      v128.store(o + k, binary(op, v128.load(pa + k), y));
    }
  } else if (ia == 0 && ib == 1) {
    const y = v128.load32_splat(pa);
    for (; i + 4 <= n; i += 4) {
      const k = <usize>i << 2;
      v128.store(o + k, binary(op, y, v128.load(pb + k)));
    }
  }
  // the rest (and every element of general strides), one lane at a time
  for (; i < n; i++) {
    const a = f32x4.splat(load<f32>(pa + (<usize>(i * ia) << 2)));
    const b = f32x4.splat(load<f32>(pb + (<usize>(i * ib) << 2)));
    store<f32>(o + (<usize>i << 2), f32x4.extract_lane(binary(op, a, b), 0));
  }
}

// @ts-ignore: decorator
@inline
function binaryLoop(op: i32, a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void {
  // desc: i32 dims[rank], strides of a[rank], strides of b[rank]
  const n = load<i32>(desc + (<usize>(rank - 1) << 2));
  const ia = load<i32>(desc + (<usize>(2 * rank - 1) << 2));
  const ib = load<i32>(desc + (<usize>(3 * rank - 1) << 2));
  // offsets of row r0: unravel it over the outer axes
  let pa: i64 = 0, pb: i64 = 0;
  let rest = r0;
  for (let d = rank - 2; d >= 0; d--) {
    const dim = load<i32>(desc + (<usize>d << 2));
    const q = rest % dim;
    rest /= dim;
    pa += <i64>q * load<i32>(desc + (<usize>(rank + d) << 2));
    pb += <i64>q * load<i32>(desc + (<usize>(2 * rank + d) << 2));
  }
  for (let r = r0; r < r1; r++) {
    binaryRow(
      op,
      a + (<usize>(pa + <i64>c0 * ia) << 2), b + (<usize>(pb + <i64>c0 * ib) << 2),
      out + (<usize>(<i64>r * n + c0) << 2), c1 - c0, ia, ib,
    );
    // next row: odometer over the outer axes
    let next = r + 1;
    for (let d = rank - 2; d >= 0; d--) {
      const dim = load<i32>(desc + (<usize>d << 2));
      const sa = load<i32>(desc + (<usize>(rank + d) << 2));
      const sb = load<i32>(desc + (<usize>(2 * rank + d) << 2));
      if (next % dim != 0) {
        pa += sa;
        pb += sb;
        break;
      }
      pa -= <i64>sa * (dim - 1);
      pb -= <i64>sb * (dim - 1);
      next /= dim;
    }
  }
}

function addRows(a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void { binaryLoop(ADD, a, b, out, desc, rank, r0, r1, c0, c1); }
function subRows(a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void { binaryLoop(SUB, a, b, out, desc, rank, r0, r1, c0, c1); }
function mulRows(a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void { binaryLoop(MUL, a, b, out, desc, rank, r0, r1, c0, c1); }
function divRows(a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void { binaryLoop(DIV, a, b, out, desc, rank, r0, r1, c0, c1); }
function maxRows(a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void { binaryLoop(MAX, a, b, out, desc, rank, r0, r1, c0, c1); }
function minRows(a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void { binaryLoop(MIN, a, b, out, desc, rank, r0, r1, c0, c1); }

/**
 * out[r, c] = op(a[...], b[...]) for outer rows [r0, r1) and innermost columns [c0, c1) of
 * the loop described at desc (see binaryLoop); a row is dims[rank − 1] outputs long.
 */
export function binaryRows(op: i32, a: usize, b: usize, out: usize, desc: usize, rank: i32, r0: i32, r1: i32, c0: i32, c1: i32): void {
  switch (op) {
    case ADD: addRows(a, b, out, desc, rank, r0, r1, c0, c1); break;
    case SUB: subRows(a, b, out, desc, rank, r0, r1, c0, c1); break;
    case MUL: mulRows(a, b, out, desc, rank, r0, r1, c0, c1); break;
    case DIV: divRows(a, b, out, desc, rank, r0, r1, c0, c1); break;
    case MAX: maxRows(a, b, out, desc, rank, r0, r1, c0, c1); break;
    default: minRows(a, b, out, desc, rank, r0, r1, c0, c1);
  }
}
