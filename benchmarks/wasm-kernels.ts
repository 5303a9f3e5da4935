// Where the WebAssembly kernels stand against their peers on this machine.
//
//   node --import tsx benchmarks/wasm-kernels.ts [--json] [--runs N] [--threads N] [--skip NAME,...]
//
// matmul in GFLOP/s at 512^3, 1024^3 and the transformer shapes 4096x384 . 384x1536 and
// 4096x1536 . 1536x384; FFT causal convolution in ms at B=16, H=64 (rows 1024, k [64, L]) for
// L = 1024, 4096, 16384. Contenders: ours synchronous (one thread) and threaded, tfjs-wasm,
// tfjs-cpu, numpy. --skip takes contender names and `matmul` / `conv`.
//
// Method: ours is checked against a float64 reference and every peer against ours before
// timing. Then each contender runs once per round, in rotating order, for --runs rounds
// (default 5), and the figure is the median; interleaving keeps the shared VM's slow spells
// from landing on one contender. A peer is first tried on a 1/16 slice of the case; when that
// predicts more than 8 s per run it takes part in the rounds on the slice and is reported as an
// estimate (the slice's median x 16; from one slice run when a slice alone exceeds 8 s), and a
// full run over 8 s is reported from that one run; past 80 s per run a peer is skipped at larger
// sizes. `measure` in ./harness.ts implements this for both kernel benchmarks.
// --json prints the same figures as one JSON object.

import os from 'node:os';
import { loadWasmKernels } from '../kernels/wasm/runtime.ts';
import type { WasmKernels } from '../kernels/wasm/runtime.ts';
import { measure, random, relativeError, verdict } from './harness.ts';
import type { Contender, Row } from './harness.ts';
import { numpyPeer } from './peers/numpy.ts';
import type { NumpyPeer } from './peers/numpy.ts';
import { tfjsPeer } from './peers/tfjs.ts';
import type { TfjsPeer } from './peers/tfjs.ts';
import { median } from './peers/timing.ts';
import type { PeerResult, TimingOptions } from './peers/timing.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Math.max(5, Number(option('--runs') ?? 5));
const skip = new Set((option('--skip') ?? '').split(',').filter(Boolean));
const BUDGET_MS = 8000;
const SLICE = 16;

const log = (line: string) => {
  if (!json) console.log(line);
};

/** Ours as a contender: `call` runs the kernel into `out`; the slice is never needed. */
function ours(name: string, out: Float32Array, call: () => void | Promise<void>): Contender {
  return {
    name,
    async run(opts) {
      const times: number[] = [];
      if (opts.warmup ?? true) {
        // Two warm-ups: V8 tiers wasm functions up after their first heavy calls.
        await call();
        await call();
      }
      for (let r = 0; r < (opts.runs ?? 1); r++) {
        const start = performance.now();
        await call();
        times.push(performance.now() - start);
      }
      return { medianMs: median(times), runs: times.length, output: out };
    },
  };
}

/** measure() with the check every case here uses: against ours' output (already checked). */
function measureAgainst(contenders: Contender[], reference: Float32Array, sliceLength: number, tolerance: number, flops: number, hopeless: Set<string>) {
  return measure(contenders, {
    rounds,
    budgetMs: BUDGET_MS,
    slice: SLICE,
    flops,
    hopeless,
    check: (output, sliced) => verdict(relativeError(output, sliced ? reference.subarray(0, sliceLength) : reference), tolerance),
  });
}

function peerContenders(
  peers: Record<string, TfjsPeer | NumpyPeer | { unavailable: string }>,
  make: (peer: TfjsPeer | NumpyPeer, slice: boolean, opts: TimingOptions) => Promise<PeerResult>,
): Contender[] {
  return Object.entries(peers).map(([name, peer]) => ({
    name,
    estimable: true,
    run: (opts) => ('unavailable' in peer ? Promise.resolve({ unsupported: `unavailable: ${peer.unavailable}` }) : make(peer, opts.slice ?? false, opts)),
  }));
}

async function matmulRows(wasm: WasmKernels, peers: Record<string, TfjsPeer | NumpyPeer | { unavailable: string }>): Promise<Row[]> {
  const shapes: Array<[number, number, number]> = [
    [512, 512, 512],
    [1024, 1024, 1024],
    [4096, 384, 1536],
    [4096, 1536, 384],
  ];
  const rows: Row[] = [];
  const hopeless = new Set<string>();
  for (const [m, k, n] of shapes) {
    const a = random(m * k, m + k);
    const b = random(k * n, k + n);
    const out = new Float32Array(m * n);
    const d = { batch: 1, m, k, n };
    wasm.matmulSync(a, b, out, d);
    const sample = Array.from({ length: 256 }, (_, s) => ((s * 2654435761) >>> 0) % (m * n));
    const expected = new Float64Array(m * n);
    for (const idx of sample) {
      const i = Math.floor(idx / n);
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + (idx % n)];
      expected[idx] = sum;
    }
    const check = verdict(relativeError(out, expected, sample), 1e-5);
    const reference = out.slice();
    const sliceRows = m / SLICE;
    const contenders = [
      ours('ours sync', out, () => wasm.matmulSync(a, b, out, d)),
      ours(`ours ${wasm.threads} threads`, out, () => wasm.matmul(a, b, out, d)),
      ...peerContenders(peers, (peer, slice, opts) => peer.matmul(slice ? a.subarray(0, sliceRows * k) : a, b, { m: slice ? sliceRows : m, k, n }, opts)),
    ];
    const cells = await measureAgainst(contenders, reference, sliceRows * n, 1e-4, 2 * m * k * n, hopeless);
    for (const name of Object.keys(cells)) if (name.startsWith('ours')) cells[name].check = check;
    rows.push({ case: `${m}x${k} . ${k}x${n}`, cells });
    log(formatRow(rows[rows.length - 1], 'gflops'));
  }
  return rows;
}

async function convRows(wasm: WasmKernels, peers: Record<string, TfjsPeer | NumpyPeer | { unavailable: string }>): Promise<Row[]> {
  const heads = 64;
  const batch = 16;
  const rows = batch * heads;
  const out: Row[] = [];
  const hopeless = new Set<string>();
  for (const length of [1024, 4096, 16384]) {
    const u = random(rows * length, length);
    // A decaying kernel, like an S4 kernel, keeps the outputs' magnitudes comparable.
    const k = random(heads * length, length + 1).map((v, i) => v * Math.exp(-(i % length) / 256));
    const y = new Float32Array(rows * length);
    const d = { rows, length, kernelRows: heads, kernelLength: length };
    wasm.causalConvSync(u, k, y, d);
    let ownErr = 0;
    for (const r of [0, rows - 1]) {
      const expected = new Float64Array(length);
      const kr = (r % heads) * length;
      for (let l = 0; l < length; l++) {
        let s = 0;
        for (let j = 0; j <= l; j++) s += k[kr + j] * u[r * length + l - j];
        expected[l] = s;
      }
      ownErr = Math.max(ownErr, relativeError(y.subarray(r * length, (r + 1) * length), expected));
    }
    const check = verdict(ownErr, 1e-5);
    const reference = y.slice();
    // The slice is one batch element: B = 1.
    const contenders = [
      ours('ours sync', y, () => wasm.causalConvSync(u, k, y, d)),
      ours(`ours ${wasm.threads} threads`, y, () => wasm.causalConv(u, k, y, d)),
      ...peerContenders(peers, (peer, slice, opts) =>
        peer.causalConv(slice ? u.subarray(0, heads * length) : u, k, { rows: slice ? heads : rows, length, kernelRows: heads }, opts),
      ),
    ];
    const cells = await measureAgainst(contenders, reference, heads * length, 1e-4, 0, hopeless);
    for (const name of Object.keys(cells)) if (name.startsWith('ours')) cells[name].check = check;
    out.push({ case: `B=${batch} H=${heads} L=${length}`, cells });
    log(formatRow(out[out.length - 1], 'ms'));
  }
  return out;
}

function formatRow(row: Row, unit: 'gflops' | 'ms'): string {
  const parts = Object.entries(row.cells).map(([name, c]) => {
    if (c.ms === undefined) return `${name}: ${c.note}`;
    const value = unit === 'gflops' ? `${c.gflops!.toFixed(1)} GFLOP/s` : `${c.ms.toFixed(1)} ms`;
    const notes = [c.note, c.check === 'ok' ? undefined : c.check].filter(Boolean);
    return `${name}: ${value}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  });
  return `  ${row.case.padEnd(22)} ${parts.join(' | ')}`;
}

const wasm = await loadWasmKernels({ threads: option('--threads') ? Number(option('--threads')) : undefined });
if ('unavailable' in wasm) {
  console.error(`wasm kernels unavailable: ${wasm.unavailable}`);
  process.exit(1);
}
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, threads: wasm.threads, rounds };
const skipped = { unavailable: 'skipped (--skip)' };
const numpy = skip.has('numpy') ? skipped : await numpyPeer();
const peers: Record<string, TfjsPeer | NumpyPeer | { unavailable: string }> = {
  'tfjs-wasm': skip.has('tfjs-wasm') ? skipped : await tfjsPeer('wasm'),
  'tfjs-cpu': skip.has('tfjs-cpu') ? skipped : await tfjsPeer('cpu'),
  numpy,
};
const numpyVersion = 'unavailable' in numpy ? `numpy ${numpy.unavailable}` : numpy.version;
log(`wasm kernels vs peers on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; medians of ${rounds} interleaved rounds`);
log(`peers: tfjs 4.22 (its wasm backend is single-threaded in Node), ${numpyVersion}`);
log('matmul (GFLOP/s, higher is better)');
const matmul = skip.has('matmul') ? [] : await matmulRows(wasm, peers);
log('causal conv by FFT (ms, lower is better)');
const causalConv = skip.has('conv') ? [] : await convRows(wasm, peers);
await wasm.dispose();
if (json) console.log(JSON.stringify({ machine, peers: { tfjs: '4.22', numpy: numpyVersion }, matmul, causalConv }));
