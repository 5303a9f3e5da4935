// 4x4 transposes of float32 blocks held in four v128 rows.
//
// Both the matmul packers and the FFT's "four rows in the four lanes" layout need to turn
// four row-major runs of four floats into four lane vectors (and back). Doing it with eight
// shuffles is far cheaper than sixteen scalar lane inserts.

/**
 * Stores the transpose of the 4x4 block whose rows are r0..r3: column q goes to dq.
 * Pass d0, d0 + 16, d0 + 32, d0 + 48 for a contiguous 64-byte destination.
 */
// @ts-ignore: decorator
@inline
export function storeTransposed(
  r0: v128, r1: v128, r2: v128, r3: v128,
  d0: usize, d1: usize, d2: usize, d3: usize,
): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // r0[2] r1[2] r0[3] r1[3]
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d0, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5)); // column 0: r0[0] r1[0] r2[0] r3[0]
  v128.store(d1, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(d2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(d3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** Loads four floats from each of s0..s3 and stores the transposed block contiguously at dst. */
// @ts-ignore: decorator
@inline
export function transpose4x4(s0: usize, s1: usize, s2: usize, s3: usize, dst: usize): void {
  storeTransposed(v128.load(s0), v128.load(s1), v128.load(s2), v128.load(s3), dst, dst + 16, dst + 32, dst + 48);
}

/** Loads 64 contiguous bytes at src as four rows and stores column q at dq. */
// @ts-ignore: decorator
@inline
export function scatterTransposed(src: usize, d0: usize, d1: usize, d2: usize, d3: usize): void {
  storeTransposed(v128.load(src), v128.load(src, 16), v128.load(src, 32), v128.load(src, 48), d0, d1, d2, d3);
}
