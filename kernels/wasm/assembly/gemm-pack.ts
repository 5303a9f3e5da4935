// Packing of A row blocks and B column blocks into the layouts the 4x8 micro-kernel streams.
//
// Packing copies each block once per use site into contiguous, zero-padded micro-panels, so the
// micro-kernel never branches on edges or strides, and transposed operands cost nothing extra:
// a transposed A is already k-major (the packed layout), a transposed B is gathered by 4x4
// lane transposes.

import { MR, NR } from './gemm-config';
import { transpose4x4, storeTransposed } from './lanes';

/**
 * Packs rows [i0, i0 + mc) and depth [p0, p0 + kc) of op(A) into ceil(mc / 4) panels of [kc][4].
 * op(A)[i, p] = A[i * lda + p] (plain, A is [M, K]) or A[p * lda + i] (transA, A is [K, M]).
 */
export function packA(a: usize, lda: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const panel = dst + <usize>(i * kc) * 4;
    if (transA) packPanelKMajor(a, lda, i0 + i, rows, p0, kc, panel);
    else packPanelRowMajor(a, lda, i0 + i, rows, p0, kc, panel);
  }
}

/** A is [M, K]: four rows are read in runs of four k and transposed into k-major order. */
function packPanelRowMajor(a: usize, lda: i32, i: i32, rows: i32, p0: i32, kc: i32, panel: usize): void {
  if (rows < MR) {
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        const v: f32 = r < rows ? load<f32>(a + (<usize>(i + r) * lda + p0 + p) * 4) : 0;
        store<f32>(panel + <usize>(p * MR + r) * 4, v);
      }
    }
    return;
  }
  const s0 = a + (<usize>i * lda + p0) * 4;
  const stride = <usize>lda * 4;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const off = <usize>p * 4;
    transpose4x4(s0 + off, s0 + stride + off, s0 + 2 * stride + off, s0 + 3 * stride + off, panel + off * 4);
  }
  for (; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      store<f32>(panel + <usize>(p * MR + r) * 4, load<f32>(s0 + <usize>r * stride + <usize>p * 4));
    }
  }
}

/** A is [K, M]: each k already holds four consecutive rows. */
function packPanelKMajor(a: usize, lda: i32, i: i32, rows: i32, p0: i32, kc: i32, panel: usize): void {
  for (let p = 0; p < kc; p++) {
    const src = a + (<usize>(p0 + p) * lda + i) * 4;
    const out = panel + <usize>p * 16;
    if (rows == MR) v128.store(out, v128.load(src));
    else for (let r = 0; r < MR; r++) store<f32>(out + r * 4, r < rows ? load<f32>(src + r * 4) : 0);
  }
}

/**
 * Packs depth [p0, p0 + kc) and columns [j0, j0 + nc) of op(B) into ceil(nc / 8) panels of [kc][8].
 * op(B)[p, j] = B[p * ldb + j] (plain, B is [K, N]) or B[j * ldb + p] (transB, B is [N, K]).
 */
export function packB(b: usize, ldb: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const panel = dst + <usize>(j * kc) * 4;
    if (transB) packPanelColumnMajor(b, ldb, j0 + j, cols, p0, kc, panel);
    else packPanelKRows(b, ldb, j0 + j, cols, p0, kc, panel);
  }
}

/** B is [K, N]: each k row contributes eight consecutive floats. */
function packPanelKRows(b: usize, ldb: i32, j: i32, cols: i32, p0: i32, kc: i32, panel: usize): void {
  for (let p = 0; p < kc; p++) {
    const src = b + (<usize>(p0 + p) * ldb + j) * 4;
    const out = panel + <usize>p * 32;
    if (cols == NR) {
      v128.store(out, v128.load(src));
      v128.store(out, v128.load(src, 16), 16);
    } else {
      for (let c = 0; c < NR; c++) store<f32>(out + c * 4, c < cols ? load<f32>(src + c * 4) : 0);
    }
  }
}

/** B is [N, K]: eight rows of B are read in runs of four k and transposed, two 4x4 blocks per step. */
function packPanelColumnMajor(b: usize, ldb: i32, j: i32, cols: i32, p0: i32, kc: i32, panel: usize): void {
  const stride = <usize>ldb * 4;
  const s0 = b + (<usize>j * ldb + p0) * 4;
  let p = 0;
  if (cols == NR) {
    for (; p + 4 <= kc; p += 4) {
      const src = s0 + <usize>p * 4;
      const out = panel + <usize>p * 32;
      storeTransposed(
        v128.load(src), v128.load(src + stride), v128.load(src + 2 * stride), v128.load(src + 3 * stride),
        out, out + 32, out + 64, out + 96,
      );
      const src4 = src + 4 * stride;
      storeTransposed(
        v128.load(src4), v128.load(src4 + stride), v128.load(src4 + 2 * stride), v128.load(src4 + 3 * stride),
        out + 16, out + 48, out + 80, out + 112,
      );
    }
  }
  for (; p < kc; p++) {
    const out = panel + <usize>p * 32;
    for (let c = 0; c < NR; c++) {
      store<f32>(out + c * 4, c < cols ? load<f32>(s0 + <usize>c * stride + <usize>p * 4) : 0);
    }
  }
}
