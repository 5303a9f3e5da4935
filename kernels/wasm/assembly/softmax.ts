// Softmax and log-softmax over contiguous rows, four lanes at a time (the loop of
// kernels/softmax.ts): a pass for the row's maximum, one for e^(x − max) and its sum, one to
// scale (or, for log-softmax, to subtract max + log sum). The sum adds each group of sixteen
// exponentials in float32 and accumulates the groups in float64, as close to the reference's
// float64 sum as a row of any length needs, for the price of a few lane ops per group.
//
// A row's last partial vector is read whole (the arena pads its regions: see ../rows-jobs.ts)
// and masked: lanes past the row take part in neither the maximum nor the sum, and are not
// stored. -Infinity entries (masks) give e^(−∞) = 0; a row whose maximum is ±Infinity or NaN
// gives NaN everywhere, as the reference does (∞ − ∞).

import { accumulate, laneMask, storeLanes } from './row-lanes';
import { expShifted4 } from './simd-math';

/** max over the n floats at p (NaN if any is NaN; −∞ for an all −∞ row). */
// @ts-ignore: decorator
@inline
function rowMax(p: usize, n: i32): f32 {
  const low = f32x4.splat(-Infinity);
  let m0 = low, m1 = low, m2 = low, m3 = low;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const q = p + (<usize>i << 2);
    m0 = f32x4.max(m0, v128.load(q));
    m1 = f32x4.max(m1, v128.load(q, 16));
    m2 = f32x4.max(m2, v128.load(q, 32));
    m3 = f32x4.max(m3, v128.load(q, 48));
  }
  for (; i + 4 <= n; i += 4) m0 = f32x4.max(m0, v128.load(p + (<usize>i << 2)));
  if (i < n) m1 = f32x4.max(m1, v128.bitselect(v128.load(p + (<usize>i << 2)), low, laneMask(n - i)));
  let m = f32x4.max(f32x4.max(m0, m1), f32x4.max(m2, m3));
  m = f32x4.max(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  m = f32x4.max(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(m, 0);
}

/**
 * Σ e^(x − m) over the n floats at p, in float64; stores each exponential at q when `keep`
 * (softmax keeps them to scale, log-softmax only needs the sum).
 */
// @ts-ignore: decorator
@inline
function expSum(p: usize, q: usize, n: i32, m: f32, keep: bool): f64 {
  const mv = f32x4.splat(m);
  let acc = f64x2.splat(0);
  let i = 0;
  // Four independent exponentials per iteration: exp's dependency chain is long.
  for (; i + 16 <= n; i += 16) {
    const s = p + (<usize>i << 2);
    const e0 = expShifted4(f32x4.sub(v128.load(s), mv));
    const e1 = expShifted4(f32x4.sub(v128.load(s, 16), mv));
    const e2 = expShifted4(f32x4.sub(v128.load(s, 32), mv));
    const e3 = expShifted4(f32x4.sub(v128.load(s, 48), mv));
    if (keep) {
      const d = q + (<usize>i << 2);
      v128.store(d, e0);
      v128.store(d, e1, 16);
      v128.store(d, e2, 32);
      v128.store(d, e3, 48);
    }
    acc = accumulate(acc, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
  }
  for (; i + 4 <= n; i += 4) {
    const e = expShifted4(f32x4.sub(v128.load(p + (<usize>i << 2)), mv));
    if (keep) v128.store(q + (<usize>i << 2), e);
    acc = accumulate(acc, e);
  }
  if (i < n) {
    const e = v128.and(expShifted4(f32x4.sub(v128.load(p + (<usize>i << 2)), mv)), laneMask(n - i));
    if (keep) storeLanes(q + (<usize>i << 2), e, n - i);
    acc = accumulate(acc, e);
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/** q[i] = q[i]·k over n floats (softmax's normalisation, in place). */
// @ts-ignore: decorator
@inline
function scaleRow(q: usize, n: i32, k: f32): void {
  const kv = f32x4.splat(k);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const d = q + (<usize>i << 2);
    v128.store(d, f32x4.mul(v128.load(d), kv));
    v128.store(d, f32x4.mul(v128.load(d, 16), kv), 16);
    v128.store(d, f32x4.mul(v128.load(d, 32), kv), 32);
    v128.store(d, f32x4.mul(v128.load(d, 48), kv), 48);
  }
  for (; i + 4 <= n; i += 4) v128.store(q + (<usize>i << 2), f32x4.mul(v128.load(q + (<usize>i << 2)), kv));
  for (; i < n; i++) store<f32>(q + (<usize>i << 2), load<f32>(q + (<usize>i << 2)) * k);
}

/**
 * q[i] = (p[i] − m) − c over n floats (log-softmax): in two steps, since x − m is exact for
 * the entries near the maximum that matter, where m + c rounded to float32 would not be.
 */
// @ts-ignore: decorator
@inline
function shiftRow(p: usize, q: usize, n: i32, m: f32, c: f32): void {
  const mv = f32x4.splat(m);
  const cv = f32x4.splat(c);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(q + (<usize>i << 2), f32x4.sub(f32x4.sub(v128.load(p + (<usize>i << 2)), mv), cv));
  for (; i < n; i++) store<f32>(q + (<usize>i << 2), load<f32>(p + (<usize>i << 2)) - m - c);
}

/** Whether m is ±∞ or NaN: the row's result is then NaN throughout. */
// @ts-ignore: decorator
@inline
function nonFinite(m: f32): bool {
  return m - m != 0;
}

function fillNaN(q: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(q + (<usize>i << 2), NaN);
}

function softmaxLoop(x: usize, out: usize, n: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const p = x + (<usize>(<i64>r * n) << 2);
    const q = out + (<usize>(<i64>r * n) << 2);
    const m = rowMax(p, n);
    if (nonFinite(m)) {
      fillNaN(q, n);
      continue;
    }
    const sum = expSum(p, q, n, m, true);
    scaleRow(q, n, <f32>(1 / sum));
  }
}

function logSoftmaxLoop(x: usize, out: usize, n: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const p = x + (<usize>(<i64>r * n) << 2);
    const q = out + (<usize>(<i64>r * n) << 2);
    const m = rowMax(p, n);
    if (nonFinite(m)) {
      fillNaN(q, n);
      continue;
    }
    const sum = expSum(p, q, n, m, false);
    shiftRow(p, q, n, m, <f32>Math.log(sum));
  }
}

/**
 * Rows [r0, r1) of x [rows, n] (row-major float32) into out: softmax, or log-softmax when
 * `log` is nonzero. x and out may be the same address.
 */
export function softmaxRows(log: i32, x: usize, out: usize, n: i32, r0: i32, r1: i32): void {
  if (log) logSoftmaxLoop(x, out, n, r0, r1);
  else softmaxLoop(x, out, n, r0, r1);
}
