// Batched matmul with optional transposes: out[b] = op(A[b]) . op(B[b]).
//
// Shapes (row-major float32): A [batch, M, K] ([batch, K, M] when transA), B [batch, K, N]
// ([batch, N, K] when transB), C [batch, M, N]. Batch b of A starts at a + b * aBatchStride
// floats (0 broadcasts one matrix over the batch), likewise for B; C is dense.
//
// Loop nest (Goto / BLIS): columns in NC blocks -> depth in KC blocks (pack B) -> rows in MC
// blocks (pack A) -> 8-column micro-panels -> 4-row micro-panels -> register tile. A thread is
// handed a range of batches, rows and columns of C and never writes outside it, so threads
// need no synchronisation; each packs its own panels into its own work area.

import { MR, NR, KC, MC, NC, GEMM_WORK_BYTES } from './gemm-config';
import { packA, packB } from './gemm-pack';
import { microKernel4x8 } from './gemm-microkernel';

/** Bytes of scratch each thread must pass as `work` to matmul. */
export function matmulWorkBytes(): i32 {
  return GEMM_WORK_BYTES;
}

/**
 * Computes C[b, i, j] for b in [b0, b1), i in [i0, i1), j in [j0, j1).
 * work: GEMM_WORK_BYTES of thread-private scratch (16-byte aligned).
 */
export function matmul(
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  transA: bool, transB: bool,
  aBatchStride: i32, bBatchStride: i32,
  b0: i32, b1: i32, i0: i32, i1: i32, j0: i32, j1: i32,
  work: usize,
): void {
  const packedA = work;
  const packedB = packedA + <usize>(MC * KC) * 4;
  const tile = packedB + <usize>(KC * NC) * 4;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let batch = b0; batch < b1; batch++) {
    const ab = a + <usize>batch * <usize>aBatchStride * 4;
    const bb = b + <usize>batch * <usize>bBatchStride * 4;
    const cb = c + <usize>batch * <usize>m * <usize>n * 4;
    if (k == 0) {
      zeroBlock(cb, n, i0, i1, j0, j1);
      continue;
    }
    for (let jc = j0; jc < j1; jc += NC) {
      const nc = min(NC, j1 - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = min(KC, k - pc);
        packB(bb, ldb, transB, pc, kc, jc, nc, packedB);
        for (let ic = i0; ic < i1; ic += MC) {
          const mc = min(MC, i1 - ic);
          packA(ab, lda, transA, ic, mc, pc, kc, packedA);
          macroKernel(mc, nc, kc, packedA, packedB, cb + (<usize>ic * n + jc) * 4, n, pc > 0, tile);
        }
      }
    }
  }
}

/** C block [mc, nc] (row stride ldc floats) (+)= packed A block . packed B block. */
function macroKernel(
  mc: i32, nc: i32, kc: i32, packedA: usize, packedB: usize,
  c: usize, ldc: i32, accumulate: bool, tile: usize,
): void {
  const ldcBytes = <usize>ldc * 4;
  for (let jr = 0; jr < nc; jr += NR) {
    const bp = packedB + <usize>(jr * kc) * 4;
    const cols = min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const ap = packedA + <usize>(ir * kc) * 4;
      const rows = min(MR, mc - ir);
      const ct = c + <usize>ir * ldcBytes + <usize>jr * 4;
      if (rows == MR && cols == NR) {
        microKernel4x8(kc, ap, bp, ct, ldcBytes, accumulate);
      } else {
        // Edge tile: compute the full padded tile aside and copy the valid corner.
        microKernel4x8(kc, ap, bp, tile, NR * 4, false);
        for (let r = 0; r < rows; r++) {
          for (let q = 0; q < cols; q++) {
            const dst = ct + <usize>r * ldcBytes + <usize>q * 4;
            const v = load<f32>(tile + <usize>(r * NR + q) * 4);
            store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
          }
        }
      }
    }
  }
}

function zeroBlock(c: usize, n: i32, i0: i32, i1: i32, j0: i32, j1: i32): void {
  for (let i = i0; i < i1; i++) {
    memory.fill(c + (<usize>i * n + j0) * 4, 0, <usize>(j1 - j0) * 4);
  }
}
