// What the kernel benchmarks share: seeded inputs, validation helpers, and `measure`, which
// times contenders in interleaved rounds and estimates hopelessly slow ones from a slice.
//
// Method (benchmarks/README.md): every contender's first output is validated before any timing.
// Then each contender runs once per round, in rotating order, and its figure is the median
// over the rounds; interleaving keeps a shared VM's slow spells from landing on one contender.
// A contender marked `estimable` (a peer, a GPU.js body) is first tried on a 1/slice part of
// the case: when that predicts more than the budget per run, it takes part in the rounds on
// the slice and its figure is the slice's median times the slice factor, marked as an estimate
// (from a single slice run when one slice alone exceeds the budget). A contender whose estimate
// exceeds `hopelessBudgets` budgets is skipped at the later (larger) cases.

import { median } from './peers/timing.ts';
import type { PeerResult, TimingOptions } from './peers/timing.ts';

/** One figure of a table: a median time, its rate where one applies, and how it was checked. */
export interface Cell {
  ms?: number;
  /** Fastest and slowest of the timed rounds (how much the machine's speed swung). */
  minMs?: number;
  maxMs?: number;
  gflops?: number;
  /** Bytes read plus bytes written per second, in GB/s. */
  gbps?: number;
  runs?: number;
  /** 'ok', or what did not match. */
  check?: string;
  /** Estimated, slow, skipped or unsupported, and why. */
  note?: string;
  /** Set when the figure is the slice's median times the slice factor. */
  estimated?: boolean;
  /** Which implementation ran (for ours: runKernel's report, 'fast path' or 'gpu.js'). */
  servedBy?: string;
}

/** One case (a size) of one operation, with a cell per contender. */
export interface Row {
  case: string;
  cells: Record<string, Cell>;
}

/** A way to run one case: its time and first output, on the full case or on a slice of it. */
export interface Contender {
  name: string;
  /** Try a slice first and estimate from it when the full case would exceed the budget. */
  estimable?: boolean;
  run(opts: TimingOptions & { slice?: boolean }): Promise<PeerResult>;
}

export interface MeasureOptions {
  /** Interleaved timed rounds. */
  rounds: number;
  /** Most milliseconds one full run may take before the contender is estimated from a slice. */
  budgetMs: number;
  /** The slice is 1/slice of the case; its time scales by `slice`. */
  slice: number;
  /** Validates a contender's first output ('ok' or what is wrong); `sliced` for slice outputs. */
  check(output: Float32Array, sliced: boolean): string;
  /** Floating-point operations per full run, for GFLOP/s. */
  flops?: number;
  /** Bytes read plus written per full run, for GB/s. */
  bytes?: number;
  /** Contenders that were far over budget at a smaller case; they are skipped and added to. */
  hopeless: Set<string>;
  /** Estimates above this many budgets mark a contender hopeless for the larger cases (default 10). */
  hopelessBudgets?: number;
}

/** Uniform floats in [-1, 1) from a linear congruential generator: the same inputs every run. */
export function random(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Largest difference over `indices` (default all) relative to the largest |expected|. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, indices?: Iterable<number>): number {
  let err = 0;
  let scale = 1e-30;
  const check = (i: number) => {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  };
  if (indices) for (const i of indices) check(i);
  else for (let i = 0; i < expected.length; i++) check(i);
  return err / scale; // NaN (which fails every verdict) when any output is NaN
}

export const verdict = (err: number, tolerance: number) => (err <= tolerance ? 'ok' : `MISMATCH (relative error ${err.toExponential(1)})`);

/** Times every contender on one case; see the file header for the method. */
export async function measure(contenders: Contender[], opts: MeasureOptions): Promise<Record<string, Cell>> {
  const { budgetMs, slice, hopeless } = opts;
  const hopelessMs = (opts.hopelessBudgets ?? 10) * budgetMs;
  const cells: Record<string, Cell> = {};
  const withRate = (cell: Cell): Cell => {
    if (!cell.ms) return cell;
    return {
      ...cell,
      ...(opts.flops ? { gflops: opts.flops / cell.ms / 1e6 } : {}),
      ...(opts.bytes ? { gbps: opts.bytes / cell.ms / 1e6 } : {}),
    };
  };
  const active: Array<{ contender: Contender; sliced: boolean }> = [];
  for (const c of contenders) {
    if (hopeless.has(c.name)) {
      cells[c.name] = { note: `skipped: over ${hopelessMs / 1000} s per run at a smaller size` };
      continue;
    }
    if (c.estimable) {
      // Probe the slice without a warm-up; if it looks too slow, probe again warm (the first
      // run compiled and tiered up), unless one cold slice alone already exceeds the budget.
      let part = await c.run({ slice: true, runs: 1, warmup: false });
      if (!('unsupported' in part) && part.medianMs * slice > budgetMs && part.medianMs <= budgetMs) {
        part = await c.run({ slice: true, runs: 1, warmup: false });
      }
      if ('unsupported' in part) {
        cells[c.name] = { note: `unsupported: ${part.unsupported.split('\n')[0]}` };
        continue;
      }
      if (part.medianMs * slice > budgetMs) {
        if (part.medianMs * slice > hopelessMs) hopeless.add(c.name);
        const check = opts.check(part.output, true);
        if (part.medianMs > budgetMs) {
          cells[c.name] = withRate({ ms: part.medianMs * slice, runs: 1, check, estimated: true, note: `estimated from one 1/${slice} run (slow)` });
        } else {
          cells[c.name] = { check, estimated: true, note: `estimated from 1/${slice} slices` };
          active.push({ contender: c, sliced: true });
        }
        continue;
      }
    }
    const first = await c.run({ runs: 1 });
    if ('unsupported' in first) {
      cells[c.name] = { note: `unsupported: ${first.unsupported.split('\n')[0]}` };
      continue;
    }
    cells[c.name] = withRate({ ms: first.medianMs, runs: 1, check: opts.check(first.output, false) });
    if (first.medianMs <= budgetMs) active.push({ contender: c, sliced: false });
    else cells[c.name].note = 'one run (slow)';
  }
  const times = new Map(active.map((a) => [a, [] as number[]]));
  for (let r = 0; r < opts.rounds; r++) {
    for (let i = 0; i < active.length; i++) {
      const a = active[(i + r) % active.length];
      const result = await a.contender.run({ runs: 1, warmup: false, slice: a.sliced });
      if (!('unsupported' in result)) times.get(a)!.push(result.medianMs * (a.sliced ? slice : 1));
    }
  }
  for (const [a, ts] of times) {
    if (ts.length) {
      cells[a.contender.name] = withRate({ ...cells[a.contender.name], ms: median(ts), minMs: Math.min(...ts), maxMs: Math.max(...ts), runs: ts.length });
    }
  }
  return cells;
}
