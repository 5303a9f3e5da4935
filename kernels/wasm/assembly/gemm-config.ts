// Blocking constants of the matmul (BLIS-style loop nest, see matmul.ts).
//
// MR x NR is the register tile: 4 rows x 8 columns = 8 f32x4 accumulators, plus two B vectors
// and one broadcast A value: 11 of the 16 xmm registers V8 allocates on x64, so nothing spills.
// KC keeps one packed B micro-panel (KC x NR floats = 8 KiB) in L1 while packed A streams
// from L2; MC x KC floats of packed A (128 KiB) fit the 1 MiB L2 of the team's EPYC VMs;
// NC x KC floats of packed B (2 MiB) live in L3 and are reused by every row block.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 2048;

/** Bytes of per-thread scratch one matmul call needs: packed A, packed B and one edge tile. */
export const GEMM_WORK_BYTES: i32 = (MC * KC + KC * NC + MR * NR) * 4;
