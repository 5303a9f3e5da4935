// How a call's work is cut into one contiguous share per thread.

import type { WasmCall } from './pool.ts';

/**
 * Below this many floating-point operations a call runs on one thread. Handing work to a
 * worker and hearing back took about 110 us on the team's 2-core VMs (postMessage both ways,
 * each waking a sleeping thread), and the second core adds about half a core's throughput
 * there, so threads only pay from about 16 MFLOP (measured crossover of a 256x128x256 matmul).
 */
export const PARALLEL_MIN_FLOPS = 2 ** 24;

/** Threads worth using for `flops` of work, at most `threads`. */
export function threadsFor(flops: number, threads: number): number {
  return flops < PARALLEL_MIN_FLOPS ? 1 : threads;
}

/** Splits [0, total) into `parts` contiguous ranges whose inner bounds are multiples of `align`. */
export function ranges(total: number, parts: number, align = 1): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let t = 0; t < parts; t++) {
    const end = t === parts - 1 ? total : Math.min(total, Math.ceil(((t + 1) * total) / parts / align) * align);
    out.push([start, Math.max(start, end)]);
    start = Math.max(start, end);
  }
  return out;
}

/**
 * Per-thread matmul calls. Rows of all batches form one space of batch * m rows, cut evenly
 * (a share may span batches: one call per batch piece, full batches merged). Every thread
 * packs the B panels its rows need and the A panels of its rows, so cutting rows repeats B's
 * packing per thread and cutting columns repeats A's: columns are cut instead when there are
 * fewer rows than columns (or too few rows to share). makeCall(b0, b1, i0, i1, j0, j1, t).
 */
export function splitMatmul(
  batch: number,
  m: number,
  n: number,
  threads: number,
  makeCall: (b0: number, b1: number, i0: number, i1: number, j0: number, j1: number, t: number) => WasmCall,
): WasmCall[][] {
  const rows = batch * m;
  if ((rows >= n && rows >= 4 * threads) || n < 16 * threads) {
    return ranges(rows, threads, 4).map(([r0, r1], t) => {
      const calls: WasmCall[] = [];
      let r = r0;
      while (r < r1) {
        const b = Math.floor(r / m);
        const i0 = r - b * m;
        if (i0 === 0 && r1 - r >= m) {
          const full = Math.floor((r1 - r) / m);
          calls.push(makeCall(b, b + full, 0, m, 0, n, t));
          r += full * m;
        } else {
          const i1 = Math.min(m, i0 + (r1 - r));
          calls.push(makeCall(b, b + 1, i0, i1, 0, n, t));
          r += i1 - i0;
        }
      }
      return calls;
    });
  }
  return ranges(n, threads, 8).map(([j0, j1], t) => (j1 > j0 ? [makeCall(0, batch, 0, m, j0, j1, t)] : []));
}

/** Per-thread calls over `count` units (row groups, kernel patterns): one range each. */
export function splitUnits(count: number, threads: number, makeCall: (u0: number, u1: number, t: number) => WasmCall): WasmCall[][] {
  return ranges(count, threads).map(([u0, u1], t) => (u1 > u0 ? [makeCall(u0, u1, t)] : []));
}
