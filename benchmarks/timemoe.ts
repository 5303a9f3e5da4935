// The Time-MoE benchmark: the TimeMoE-50M architecture with seeded random weights, forward and
// generate, ours against the same model with the same weights in PyTorch on the CPU.
//
//   npm run bench:timemoe -- [--json] [--runs N] [--threads N] [--small]
//                            [--cases forward1,forward8,generate96,generate720]
//                            [--experts routed,dense] [--backend webasm|cpu] [--python PATH]
//
// Cases (context T = 512): forward at B = 1 and B = 8 (head 1 at every position), generate of
// 96 and 720 points after a B = 1 context (the official greedy loop with a key/value cache).
// The weights are drawn here, saved as a Hugging Face folder (F32) in a temporary directory, and
// both sides load that folder. Each side runs each case in a process of its own
// (./timemoe/workers.ts), so that the peak RSS it reports is that case's. Validation before
// timing: the first output of every case on each side is compared with torch's. Timing:
// warm-ups, then interleaved rounds, medians. `--small` is a 2-layer, 64-wide model of the same
// shape family, for a quick check. Method and figures: benchmarks/README.md. Tables go to stdout;
// with --json they go to stderr and stdout gets one JSON object. Exit status 1 on a mismatch.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { init, shutdown } from '../index.ts';
import { Random } from '../src/engine.ts';
import { TimeMoE, timeMoEPresets } from '../models/time-moe/index.ts';
import { random } from './harness.ts';
import { describeMachine, finishRun, machineRecord, otherLoadMeter } from './machine.ts';
import { median } from './peers/timing.ts';
import { CaseWorker, type CaseSpec } from './timemoe/workers.ts';

const started = performance.now();
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ALL_CASES = ['forward1', 'forward8', 'generate96', 'generate720'] as const;
type CaseName = (typeof ALL_CASES)[number];
const json = args.includes('--json');
const small = args.includes('--small');
const rounds = Number(option('--runs') ?? 5);
const threads = Number(option('--threads') ?? 2);
const caseNames = (option('--cases') ?? ALL_CASES.join(',')).split(',') as CaseName[];
const expertPaths = (option('--experts') ?? 'routed').split(',') as Array<'routed' | 'dense'>;
const backendName = option('--backend');
const python = option('--python') ?? '/usr/bin/python3';
const CONTEXT = 512;
const SEED = 2026;
/** Largest |ours − torch| relative to the largest |torch| of the output; see benchmarks/README.md. */
const TOLERANCE = { forward: 1e-4, generate: 1e-4 };
/** The 50M architecture, or a 2-layer, 64-wide one of the same family for a quick check. */
const config = small
  ? { ...timeMoEPresets.timeMoE50M, hidden_size: 64, intermediate_size: 256, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 4 }
  : timeMoEPresets.timeMoE50M;

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run bench:timemoe -- [--json] [--runs N] [--threads N] [--small] [--cases ${ALL_CASES.join(',')}] [--experts routed,dense] [--backend webasm|cpu] [--python PATH]`,
  );
  process.exit(2);
}
if (!Number.isInteger(rounds) || rounds < 1) usage(`--runs takes a positive integer, not ${option('--runs')}`);
if (!Number.isInteger(threads) || threads < 1) usage(`--threads takes a positive integer, not ${option('--threads')}`);
for (const c of caseNames) if (!ALL_CASES.includes(c)) usage(`--cases: unknown case ${c}`);
for (const e of expertPaths) if (e !== 'routed' && e !== 'dense') usage(`--experts takes routed and/or dense, not ${e}`);
if (backendName && backendName !== 'webasm' && backendName !== 'cpu') usage(`--backend takes webasm or cpu, not ${backendName}`);

const print = (line = '') => (json ? console.error(line) : console.log(line));
const progress = (line: string) => console.error(`  .. ${line}`);

// ---- the model and the inputs, on disk for both sides

const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-bench-timemoe-'));
const modelDir = path.join(dir, 'model');
await init({ threads: 1 });
const built = new TimeMoE(config, { rng: new Random(SEED) });
const parameters = built.parameters().reduce((n, p) => n + p.size, 0);
await built.save(modelDir);
await shutdown();

/** Context rows: a daily and a weekly cycle at hourly sampling, a phase per row, and noise. */
function contexts(batch: number): Float32Array {
  const noise = random(batch * CONTEXT, SEED);
  const x = new Float32Array(batch * CONTEXT);
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < CONTEXT; t++)
      x[b * CONTEXT + t] = Math.sin((2 * Math.PI * t) / 24 + b) + 0.5 * Math.sin((2 * Math.PI * t) / 168) + 0.2 * noise[b * CONTEXT + t];
  return x;
}

const CASES: Record<CaseName, Omit<CaseSpec, 'input'> & { label: string }> = {
  forward1: { kind: 'forward', batch: 1, context: CONTEXT, horizon: 1, label: `forward B=1 T=${CONTEXT}` },
  forward8: { kind: 'forward', batch: 8, context: CONTEXT, horizon: 1, label: `forward B=8 T=${CONTEXT}` },
  generate96: { kind: 'generate', batch: 1, context: CONTEXT, horizon: 96, label: `generate 96 from T=${CONTEXT}` },
  generate720: { kind: 'generate', batch: 1, context: CONTEXT, horizon: 720, label: `generate 720 from T=${CONTEXT}` },
};

const machine = machineRecord();
const runLoad = otherLoadMeter();
print(
  `chronoscale Time-MoE benchmark: ${small ? 'a small config (--small: ' : 'the TimeMoE-50M config ('}H=${config.hidden_size}, I=${config.intermediate_size}, ` +
    `${config.num_hidden_layers} layers, ${config.num_experts} experts top-${config.num_experts_per_tok}, heads ${config.horizon_lengths.join('/')}; ` +
    `${(parameters / 1e6).toFixed(1)}M parameters, seeded random weights), context ${CONTEXT}`,
);
print(describeMachine(machine));
print(
  `method: both sides load the same Hugging Face folder (F32); one process per side and case; outputs validated against torch's before timing; ` +
    `2 warm-ups, then medians of ${rounds} interleaved rounds; ${threads} threads each side`,
);

// ---- the cases

interface Side {
  name: string;
  describe: string;
  loadMs: number;
  /** RSS with the model loaded, before the case, and the peak over the case (MiB). */
  loadedRssMiB: number;
  peakRssMiB: number;
  ms?: number;
  minMs?: number;
  maxMs?: number;
  times: number[];
  /** Points per second (generate). */
  pointsPerS?: number;
  /** Against torch's output: largest |difference| and that relative to the largest |torch|. */
  maxAbs?: number;
  maxRel?: number;
  check: string;
}

interface CaseResult {
  case: CaseName;
  label: string;
  sides: Side[];
  otherLoad: number | null;
}

const results: CaseResult[] = [];
let torchUnavailable: string | null = null;
let torchDescribe = '';
const ourDescribe: Record<string, string> = {};
let mismatches = 0;

for (const name of caseNames) {
  const spec = CASES[name];
  const input = path.join(dir, `input-${spec.batch}.f32`);
  const x = contexts(spec.batch);
  await writeFile(input, new Uint8Array(x.buffer));
  const otherLoad = otherLoadMeter();
  progress(`${spec.label}: starting the workers (each loads the model)`);
  const workers: CaseWorker[] = [];
  for (const experts of expertPaths) {
    workers.push(await CaseWorker.ours(`ours ${experts}`, modelDir, { threads, experts, ...(backendName ? { backend: backendName } : {}) }));
    ourDescribe[`ours ${experts}`] = workers.at(-1)!.ready.describe;
  }
  let torch: CaseWorker | null = null;
  if (!torchUnavailable) {
    try {
      torch = await CaseWorker.torch(modelDir, { threads, python });
      torchDescribe = torch.ready.describe;
      workers.push(torch);
    } catch (e) {
      const message = (e as Error).message;
      torchUnavailable = /No module named .?torch/.test(message) ? `torch is not installed for ${python}` : message;
    }
  }
  try {
    // Validation: the first run of each side, compared with torch's output.
    const outputs = new Map<CaseWorker, Float32Array>();
    for (const w of workers) {
      await w.prepare({ ...spec, input });
      const file = path.join(dir, `output-${name}-${w.name.replace(' ', '-')}.f32`);
      await w.output(file);
      const b = await readFile(file);
      outputs.set(w, new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
    }
    const reference = torch ? outputs.get(torch)! : null;
    const sides: Side[] = workers.map((w) => {
      const side: Side = {
        name: w.name,
        describe: w.ready.describe,
        loadMs: w.ready.loadMs,
        loadedRssMiB: w.ready.rssMiB,
        peakRssMiB: 0,
        times: [],
        check: 'ok',
      };
      if (w === torch) return side;
      if (!reference) return { ...side, check: 'not validated (no torch)' };
      const out = outputs.get(w)!;
      let maxAbs = out.length === reference.length ? 0 : Number.NaN;
      let scale = 0;
      for (let i = 0; i < reference.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(out[i] - reference[i])); // NaN stays NaN through Math.max
        scale = Math.max(scale, Math.abs(reference[i]));
      }
      const maxRel = maxAbs / scale;
      const ok = maxRel <= TOLERANCE[spec.kind];
      if (!ok) mismatches++;
      return { ...side, maxAbs, maxRel, check: ok ? 'ok' : `MISMATCH (relative ${maxRel.toExponential(1)} > ${TOLERANCE[spec.kind]})` };
    });
    if (sides.every((s) => s.check === 'ok' || s.check.startsWith('not validated'))) {
      progress(`${spec.label}: validated; warm-up, then ${rounds} rounds`);
      for (const w of workers) await w.time(); // second warm-up: V8 tiering up, pools filled
      for (let r = 0; r < rounds; r++)
        for (let i = 0; i < workers.length; i++) {
          const k = (i + r) % workers.length;
          sides[k].times.push(await workers[k].time());
        }
      for (const s of sides) {
        s.ms = median(s.times);
        s.minMs = Math.min(...s.times);
        s.maxMs = Math.max(...s.times);
        if (spec.kind === 'generate') s.pointsPerS = (spec.horizon * spec.batch) / (s.ms / 1000);
      }
    } else progress(`${spec.label}: MISMATCH, not timed`);
    for (const [i, w] of workers.entries()) sides[i].peakRssMiB = (await w.memory()).peakMiB;
    await Promise.all(workers.map((w) => w.close()));
    results.push({ case: name, label: spec.label, sides, otherLoad: otherLoad() });
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
await rm(dir, { recursive: true, force: true });

// ---- report

const fmt = (v: number | undefined) => (v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const spread = (s: Side | undefined) => (s?.ms === undefined ? '-' : `${fmt(s.ms)} (${fmt(s.minMs)}-${fmt(s.maxMs)})`);
interface TargetCheck {
  case: CaseName;
  ours: string;
  /** ours / torch median time (≤ 1 meets the target) and peak RSS. */
  timeRatio?: number;
  rssRatio?: number;
  met: boolean | null;
}
const targets: TargetCheck[] = results.flatMap((r) => {
  const torch = r.sides.find((s) => s.name === 'torch');
  return r.sides
    .filter((s) => s.name !== 'torch')
    .map((s) => {
      const timeRatio = s.ms !== undefined && torch?.ms !== undefined ? s.ms / torch.ms : undefined;
      const rssRatio = torch ? s.peakRssMiB / torch.peakRssMiB : undefined;
      return { case: r.case, ours: s.name, timeRatio, rssRatio, met: timeRatio === undefined ? null : timeRatio <= 1 };
    });
});

print(`ours: ${[...new Set(Object.values(ourDescribe))].join('; ')}`);
print(`peer: ${torchUnavailable ? `torch UNAVAILABLE (${torchUnavailable}): outputs not validated, no ratios` : torchDescribe}`);
print();
print(`Time-MoE (ms per call, lower is better; medians of ${rounds} interleaved rounds, fastest-slowest in brackets; generate also in points/s)`);
const header = ['case', 'side', 'time ms', 'points/s', 'ours/torch', 'peak RSS MiB', 'loaded MiB', 'ours/torch RSS', 'target'];
const rows: string[][] = [];
for (const r of results) {
  for (const s of r.sides) {
    const t = targets.find((x) => x.case === r.case && x.ours === s.name);
    rows.push([
      r.label,
      s.name,
      spread(s),
      fmt(s.pointsPerS),
      t?.timeRatio === undefined ? '-' : `${t.timeRatio.toFixed(2)}x`,
      s.peakRssMiB.toFixed(0),
      s.loadedRssMiB.toFixed(0),
      t?.rssRatio === undefined ? '-' : `${t.rssRatio.toFixed(2)}x`,
      s.name === 'torch' ? '' : t?.met === null || t === undefined ? 'not checked' : t.met ? 'MET' : 'MISSED',
    ]);
  }
}
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
for (const row of [header, ...rows]) print(`  ${row.map((v, c) => (c < 2 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ')}`);
const loads = results.filter((r) => r.otherLoad !== null).map((r) => `${r.case} ${Math.round(100 * r.otherLoad!)}%`);
if (loads.length) print(`  CPU taken by other processes on this machine meanwhile: ${loads.join(', ')}`);
print(
  '  peak RSS: VmHWM of the case\'s own process, reset after loading the model (so: the loaded model + what the case needed); "loaded": RSS before the case',
);
print('  target: ours no slower than torch (best CPU configuration) in the same run, on each case');
print();
print('validation (ours against torch on the same input, first run; relative = largest |difference| / largest |torch output|):');
for (const r of results)
  for (const s of r.sides.filter((x) => x.name !== 'torch'))
    print(
      `  ${r.label}, ${s.name}: ${s.check}${s.maxAbs === undefined ? '' : ` (max abs ${s.maxAbs.toExponential(1)}, relative ${s.maxRel!.toExponential(1)}; tolerance ${TOLERANCE[CASES[r.case].kind]})`}`,
    );
const decided = targets.filter((t) => t.met !== null);
print(
  decided.length
    ? `target: ${decided.every((t) => t.met) ? 'MET' : 'MISSED'} (${decided.filter((t) => t.met).length} of ${decided.length} cases)`
    : 'target: NOT CHECKED (no torch timing in this run)',
);
print(finishRun(machine, runLoad, started));

if (json) {
  console.log(
    JSON.stringify({
      benchmark: 'timemoe',
      args,
      config: { ...config, small, parameters, context: CONTEXT, seed: SEED },
      rounds,
      threads,
      machine,
      ours: ourDescribe,
      torch: torchUnavailable ? { unavailable: torchUnavailable } : { describe: torchDescribe },
      cases: results,
      targets,
      tolerance: TOLERANCE,
      mismatches,
      elapsedS: Math.round((performance.now() - started) / 1000),
    }),
  );
}
process.exitCode = mismatches ? 1 : 0;
