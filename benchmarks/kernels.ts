// The kernel benchmark: what the engine's kernel path does on this machine, per backend, against
// TensorFlow.js (the JavaScript peer) and numpy (the native reference).
//
//   npm run bench:kernels -- [--json] [--quick] [--only matmul,conv,softmax,layerNorm]
//                            [--runs N] [--threads N] [--skip tfjs-wasm,tfjs-cpu,numpy,gpu.js]
//
// Every contender of ours is `runKernel` on a backend from `createBackend` (GPU.js webasm with
// worker threads, webasm on one thread, cpu; webgpu and headlessgl when they work), async, with
// fast-path outputs drawn from a BufferPool, as a realisation runs it. Per backend: the served
// path (the WebAssembly fast path where one exists), the same with a fresh output per call
// (what buffer reuse saves), and the GPU.js body alone (fastPaths: false) for contrast.
// Figures: matmul GFLOP/s, causal convolution ms, softmax and layerNorm GB/s (bytes read +
// written per second). Method: benchmarks/README.md and ./harness.ts. Tables go to stdout;
// with --json they go to stderr and stdout gets one JSON object with the same figures.

import { createRequire } from 'node:module';
import os from 'node:os';
import { numel, runKernel } from '../kernels/index.ts';
import { measure } from './harness.ts';
import type { Contender } from './harness.ts';
import { checker, opSpecs } from './kernels/cases.ts';
import type { OpCase, OpName } from './kernels/cases.ts';
import { backendContenders, hasOwnPath, openBackends } from './kernels/contenders.ts';
import type { KernelContender } from './kernels/contenders.ts';
import { describeMachine, finishRun, machineRecord, otherLoadMeter } from './machine.ts';
import { evaluateTargets, formatTable, reuseLines } from './kernels/report.ts';
import type { KernelRow, OpResult } from './kernels/report.ts';
import { numpyPeer } from './peers/numpy.ts';
import type { NumpyPeer } from './peers/numpy.ts';
import { tfjsPeer } from './peers/tfjs.ts';
import type { TfjsPeer } from './peers/tfjs.ts';

const started = performance.now();
const runLoad = otherLoadMeter();
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const list = (name: string) =>
  (option(name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const json = args.includes('--json');
const quick = args.includes('--quick');
// --quick is a smoke check (small sizes, 3 rounds); reported figures come from >= 5 rounds.
const runs = Number(option('--runs') ?? 5);
const rounds = quick ? 3 : Math.max(5, runs);
const budgetMs = quick ? 1000 : 3000;
const TOLERANCE = 1e-4;
const aliases: Record<string, OpName> = { matmul: 'matmul', conv: 'causalConv', causalConv: 'causalConv', softmax: 'softmax', layerNorm: 'layerNorm' };
const skippable = ['tfjs-wasm', 'tfjs-cpu', 'numpy', 'gpu.js'];
const threads = Number(option('--threads') ?? os.availableParallelism());
for (const [flag, values, allowed] of [
  ['--only', list('--only'), Object.keys(aliases)],
  ['--skip', list('--skip'), skippable],
] as const) {
  const unknown = values.filter((v) => !allowed.includes(v));
  if (unknown.length) usage(`${flag} takes ${allowed.join(', ')}; not ${unknown.join(', ')}`);
}
if (!Number.isInteger(threads) || threads < 1) usage(`--threads takes a positive integer, not ${option('--threads')}`);
if (!Number.isInteger(runs) || runs < 1) usage(`--runs takes a positive integer, not ${option('--runs')}`);
const skip = new Set(list('--skip'));
const selected = new Set(list('--only').map((name) => aliases[name]));

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run bench:kernels -- [--json] [--quick] [--only ${Object.keys(aliases).join(',')}] [--runs N] [--threads N] [--skip ${skippable.join(',')}]`,
  );
  process.exit(2);
}

/** Tables and headings: stdout, or stderr when stdout carries the JSON. */
const print = (line = '') => (json ? console.error(line) : console.log(line));
const progress = (line: string) => console.error(`  .. ${line}`);

function packageVersion(name: string): string {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const machine = machineRecord();
const { entries, unavailable } = await openBackends(threads);
const skipped = { unavailable: 'skipped (--skip)' };
const peers: Record<string, TfjsPeer | NumpyPeer | { unavailable: string }> = {
  'tfjs-wasm': skip.has('tfjs-wasm') ? skipped : await tfjsPeer('wasm'),
  'tfjs-cpu': skip.has('tfjs-cpu') ? skipped : await tfjsPeer('cpu'),
  numpy: skip.has('numpy') ? skipped : await numpyPeer(),
};
const tfjsVersion = `tfjs ${packageVersion('@tensorflow/tfjs')}, tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}`;
const numpy = peers.numpy as NumpyPeer | { unavailable: string };
const numpyStatus = 'unavailable' in numpy ? `numpy UNAVAILABLE (${numpy.unavailable}): no native reference in this run` : numpy.version;

print(`chronoscale kernel benchmark${quick ? ' (--quick: a smoke check, not figures to report)' : ''}`);
print(describeMachine(machine));
print('backends (runKernel on createBackend; fast-path outputs from a BufferPool):');
for (const e of entries) print(`  ${e.label}: ${e.backend.describe()}`);
for (const reason of unavailable) print(`  not available: ${reason}`);
print(`peers: ${tfjsVersion} (tfjs-wasm is XNNPACK with SIMD, single-threaded in Node); ${numpyStatus}`);
print(`method: outputs validated before timing (float64 reference, rel. tolerance ${TOLERANCE}); medians of ${rounds} interleaved rounds;`);
print(`  contenders slower than ${budgetMs / 1000} s per run are estimated from a slice of the case (marked ~)`);

const peerContenders = (make: OpCase['peer']): Contender[] =>
  Object.entries(peers).map(([name, peer]) => ({
    name,
    estimable: true,
    run: (opts) => ('unavailable' in peer ? Promise.resolve({ unsupported: `unavailable: ${peer.unavailable}` }) : make(peer, opts.slice ?? false, opts)),
  }));

const results: OpResult[] = [];
for (const spec of opSpecs(quick)) {
  if (selected.size && !selected.has(spec.name)) continue;
  const hopeless = new Set<string>();
  const rows: KernelRow[] = [];
  for (const { label, make } of spec.cases) {
    const caseStart = performance.now();
    const otherLoad = otherLoadMeter();
    progress(`${spec.name} ${label}: inputs, float64 reference, validation`);
    const c = make();
    const sample = c.sample();
    // What every output must also agree with: the first backend's fast path where there is one
    // (the GPU.js-only ops are checked against a full float64 reference instead).
    const first = entries.find((e) => hasOwnPath(e.backend, c.full.name));
    const { name, inputs, shapes, attrs, outShape } = c.full;
    const ours = first ? (await runKernel(first.backend, name, inputs, shapes, attrs as never, outShape, { sync: false })).slice() : null;
    const oursContenders: KernelContender[] = entries.flatMap((e) => backendContenders(e, c.full, c.part, { reuse: c.reuse, gpuBodies: !skip.has('gpu.js') }));
    progress(`${spec.name} ${label}: timing ${oursContenders.length + Object.keys(peers).length} contenders`);
    const cells = await measure([...oursContenders, ...peerContenders(c.peer)], {
      rounds,
      budgetMs,
      slice: c.slice,
      flops: c.flops,
      bytes: c.bytes,
      hopeless,
      check: checker(sample, ours, numel(c.full.outShape), numel(c.part.outShape), TOLERANCE),
    });
    for (const k of oursContenders) {
      const servedBy = k.servedBy();
      if (servedBy && cells[k.name]) cells[k.name].servedBy = servedBy;
    }
    const row: KernelRow = { case: label, cells, otherLoad: otherLoad() };
    rows.push(row);
    const load = row.otherLoad === null ? '' : `; other processes took ${Math.round(100 * row.otherLoad)}% of the CPUs`;
    progress(`${spec.name} ${label}: done in ${((performance.now() - caseStart) / 1000).toFixed(0)} s${load}`);
  }
  const result: OpResult = { name: spec.name, title: spec.title, note: spec.note, unit: spec.unit, rows };
  results.push(result);
  print();
  for (const line of [
    ...formatTable(result, rounds),
    ...reuseLines(
      result,
      entries.map((e) => e.label),
    ),
  ])
    print(line);
}

const targets = evaluateTargets(
  results,
  entries.map((e) => e.label),
);
print();
print(`targets (this run${quick ? ', --quick sizes only' : ''}):`);
for (const line of targets.lines) print(`  ${line}`);
const mismatches = results.flatMap((r) =>
  r.rows.flatMap((row) =>
    Object.entries(row.cells)
      .filter(([, cell]) => cell.check && cell.check !== 'ok')
      .map(([name]) => `${r.name} ${row.case} ${name}`),
  ),
);
print(mismatches.length ? `validation: ${mismatches.length} MISMATCHES: ${mismatches.join('; ')}` : 'validation: every timed output matched');
print(finishRun(machine, runLoad, started));

if (json) {
  console.log(
    JSON.stringify({
      benchmark: 'kernels',
      args,
      quick,
      rounds,
      budgetMs,
      tolerance: TOLERANCE,
      machine,
      backends: entries.map((e) => ({
        label: e.label,
        describe: e.backend.describe(),
        threads: e.backend.threads,
        fastPathThreads: e.backend.wasm?.threads ?? null,
      })),
      unavailableBackends: unavailable,
      peers: {
        tfjs: tfjsVersion,
        numpy: numpyStatus,
        ...Object.fromEntries(
          Object.entries(peers)
            .filter(([, p]) => 'unavailable' in p)
            .map(([n, p]) => [n, (p as { unavailable: string }).unavailable]),
        ),
      },
      operations: Object.fromEntries(results.map((r) => [r.name, { title: r.title, unit: r.unit, rows: r.rows }])),
      targets: targets.checks,
      mismatches,
      elapsedS: Math.round((performance.now() - started) / 1000),
    }),
  );
}
for (const e of entries) e.backend.dispose();
process.exitCode = mismatches.length ? 1 : 0;
