// Movement kernels that a plain block copy cannot do: transposes (4x4 register transposes
// inside 64x64 tiles, so that reads and writes both stay within a few cache lines) and
// reversed rows (flip along the last axis).

import { storeTransposed } from './lanes';

const TILE = 64;

/**
 * For each unit u in [u0, u1) (u = pair · rowTiles + row tile): with (from, to) = pairs[pair]
 * (two i32 element offsets), out[to + r·rowStride + c] = x[from + r + c·colStride] for the rows
 * r of that tile (TILE rows of `rows`) and every column c < cols.
 *
 * Inside a tile the 4x4 blocks advance along the side whose stride is the larger: with strides
 * of a power of two KiB (an S4 layer's L), the lines of the other side's 4x4 blocks all fall in
 * one L1 set, and walking across them thrashes it (measured up to 2x slower).
 */
export function transposeUnits(x: usize, out: usize, pairs: usize, rows: i32, cols: i32, colStride: i32, rowStride: i32, u0: i32, u1: i32): void {
  const rowTiles = (rows + TILE - 1) / TILE;
  const colBytes = <usize>colStride << 2;
  const rowBytes = <usize>rowStride << 2;
  const alongRows = colStride > rowStride;
  for (let u = u0; u < u1; u++) {
    const pair = u / rowTiles;
    const from = x + (<usize>load<i32>(pairs + (<usize>pair << 3)) << 2);
    const to = out + (<usize>load<i32>(pairs + (<usize>pair << 3), 4) << 2);
    const r0 = (u % rowTiles) * TILE;
    const r1 = min(rows, r0 + TILE);
    const fullRows = r0 + ((r1 - r0) & ~3);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = min(cols, c0 + TILE);
      const fullCols = c0 + ((c1 - c0) & ~3);
      if (alongRows) {
        for (let c = c0; c < fullCols; c += 4) {
          for (let r = r0; r < fullRows; r += 4) block4(from, to, r, c, colBytes, rowBytes);
        }
      } else {
        for (let r = r0; r < fullRows; r += 4) {
          for (let c = c0; c < fullCols; c += 4) block4(from, to, r, c, colBytes, rowBytes);
        }
      }
      // partial blocks: the last columns of full row blocks, then the last rows
      for (let r = r0; r < fullRows; r++) {
        for (let c = fullCols; c < c1; c++) element(from, to, r, c, colBytes, rowBytes);
      }
      for (let r = fullRows; r < r1; r++) {
        for (let c = c0; c < c1; c++) element(from, to, r, c, colBytes, rowBytes);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function block4(from: usize, to: usize, r: i32, c: i32, colBytes: usize, rowBytes: usize): void {
  const s = from + (<usize>r << 2) + <usize>c * colBytes;
  const d = to + <usize>r * rowBytes + (<usize>c << 2);
  storeTransposed(
    v128.load(s), v128.load(s + colBytes), v128.load(s + 2 * colBytes), v128.load(s + 3 * colBytes),
    d, d + rowBytes, d + 2 * rowBytes, d + 3 * rowBytes,
  );
}

// @ts-ignore: decorator
@inline
function element(from: usize, to: usize, r: i32, c: i32, colBytes: usize, rowBytes: usize): void {
  store<f32>(to + <usize>r * rowBytes + (<usize>c << 2), load<f32>(from + (<usize>r << 2) + <usize>c * colBytes));
}

/** out[r·n + i] = x[from_r − i] for rows r in [r0, r1), i < n; from_r = starts[r] (i32 offsets). */
export function reverseRows(x: usize, out: usize, starts: usize, n: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const last = x + (<usize>load<i32>(starts + (<usize>r << 2)) << 2); // x[from_r]
    const dst = out + (<usize>(<i64>r * n) << 2);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(last - (<usize>(i + 3) << 2)); // x[from − i − 3 .. from − i]
      v128.store(dst + (<usize>i << 2), v128.shuffle<f32>(v, v, 3, 2, 1, 0));
    }
    for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(last - (<usize>i << 2)));
  }
}

/**
 * Rows [0, rows): dst row r (dstStride floats apart) is `before` fills, n floats of src row r
 * (srcStride floats apart), `after` fills. A slice of the last axis, or its padding.
 */
export function copyRows(src: usize, dst: usize, rows: i32, n: i32, srcStride: i32, dstStride: i32, before: i32, after: i32, fill: f32): void {
  const value = f32x4.splat(fill);
  for (let r = 0; r < rows; r++) {
    const d = dst + (<usize>(<i64>r * dstStride) << 2);
    fillRun(d, before, value);
    memory.copy(d + (<usize>before << 2), src + (<usize>(<i64>r * srcStride) << 2), <usize>n << 2);
    fillRun(d + (<usize>(before + n) << 2), after, value);
  }
}

// @ts-ignore: decorator
@inline
function fillRun(d: usize, count: i32, value: v128): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(d + (<usize>i << 2), value);
  for (; i < count; i++) store<f32>(d + (<usize>i << 2), f32x4.extract_lane(value, 0));
}
