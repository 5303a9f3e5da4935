// Moving four rows between row-major memory and the FFT's lane layout (fft-layout.ts).
//
// A run of four floats from each of four rows, transposed, is exactly two lane-layout complex
// elements when the floats are read as (re, im) pairs, so real rows packed as z_j =
// x_2j + i x_2j+1 and interleaved complex rows both load with one 4x4 transpose per 64 bytes.
// Row pointers of a partial group (fewer than four rows left) may repeat a valid row on load;
// stores take the number of valid rows and write only those.

import { ELEM } from './fft-layout';
import { storeTransposed, transpose4x4, scatterTransposed } from './lanes';

/**
 * buf[j] = (x[2j], x[2j+1]) per row for the `count` floats of each row, zero after them up to
 * `elems` elements (elems >= ceil(count / 2)).
 */
export function loadPairs(p0: usize, p1: usize, p2: usize, p3: usize, count: i32, elems: i32, buf: usize): void {
  const full = count >> 2;
  for (let t = 0; t < full; t++) {
    const o = <usize>t * 16;
    transpose4x4(p0 + o, p1 + o, p2 + o, p3 + o, buf + <usize>t * 2 * ELEM);
  }
  const filled = <usize>full * 2;
  if (<usize>elems > filled) memory.fill(buf + filled * ELEM, 0, (<usize>elems - filled) * ELEM);
  for (let f = full * 4; f < count; f++) {
    const slot = buf + <usize>(f >> 1) * ELEM + <usize>(f & 1) * 16;
    const o = <usize>f * 4;
    store<f32>(slot, load<f32>(p0 + o));
    store<f32>(slot, load<f32>(p1 + o), 4);
    store<f32>(slot, load<f32>(p2 + o), 8);
    store<f32>(slot, load<f32>(p3 + o), 12);
  }
}

/** buf[j] = (x[j], 0) per row for the `count` floats of each row, zero after them up to `elems`. */
export function loadReals(p0: usize, p1: usize, p2: usize, p3: usize, count: i32, elems: i32, buf: usize): void {
  memory.fill(buf, 0, <usize>elems * ELEM);
  const full = count >> 2;
  for (let t = 0; t < full; t++) {
    const o = <usize>t * 16;
    const d = buf + <usize>t * 4 * ELEM;
    storeTransposed(v128.load(p0 + o), v128.load(p1 + o), v128.load(p2 + o), v128.load(p3 + o), d, d + ELEM, d + 2 * ELEM, d + 3 * ELEM);
  }
  for (let f = full * 4; f < count; f++) {
    const slot = buf + <usize>f * ELEM;
    const o = <usize>f * 4;
    store<f32>(slot, load<f32>(p0 + o));
    store<f32>(slot, load<f32>(p1 + o), 4);
    store<f32>(slot, load<f32>(p2 + o), 8);
    store<f32>(slot, load<f32>(p3 + o), 12);
  }
}

/** Inverse of loadPairs: the first `count` floats of rows d0..d(valid-1) from buf. */
export function storePairs(buf: usize, count: i32, d0: usize, d1: usize, d2: usize, d3: usize, valid: i32): void {
  let f = 0;
  if (valid == 4) {
    const full = count >> 2;
    for (let t = 0; t < full; t++) {
      const o = <usize>t * 16;
      scatterTransposed(buf + <usize>t * 2 * ELEM, d0 + o, d1 + o, d2 + o, d3 + o);
    }
    f = full * 4;
  }
  for (; f < count; f++) {
    const slot = buf + <usize>(f >> 1) * ELEM + <usize>(f & 1) * 16;
    const o = <usize>f * 4;
    store<f32>(d0 + o, load<f32>(slot));
    if (valid > 1) store<f32>(d1 + o, load<f32>(slot, 4));
    if (valid > 2) store<f32>(d2 + o, load<f32>(slot, 8));
    if (valid > 3) store<f32>(d3 + o, load<f32>(slot, 12));
  }
}

/** Real parts times `scale` of the first `count` elements of buf into rows d0..d(valid-1). */
export function storeReals(buf: usize, count: i32, scale: f32, d0: usize, d1: usize, d2: usize, d3: usize, valid: i32): void {
  const k = f32x4.splat(scale);
  let f = 0;
  if (valid == 4) {
    const full = count >> 2;
    for (let t = 0; t < full; t++) {
      const o = <usize>t * 16;
      const e = buf + <usize>t * 4 * ELEM;
      storeTransposed(
        f32x4.mul(k, v128.load(e)), f32x4.mul(k, v128.load(e + ELEM)),
        f32x4.mul(k, v128.load(e + 2 * ELEM)), f32x4.mul(k, v128.load(e + 3 * ELEM)),
        d0 + o, d1 + o, d2 + o, d3 + o,
      );
    }
    f = full * 4;
  }
  for (; f < count; f++) {
    const slot = buf + <usize>f * ELEM;
    const o = <usize>f * 4;
    store<f32>(d0 + o, scale * load<f32>(slot));
    if (valid > 1) store<f32>(d1 + o, scale * load<f32>(slot, 4));
    if (valid > 2) store<f32>(d2 + o, scale * load<f32>(slot, 8));
    if (valid > 3) store<f32>(d3 + o, scale * load<f32>(slot, 12));
  }
}
