// The S4 benchmark: one S4D layer (S4Block around an S4D kernel, `s4dPresets.minimal`: the
// layer of state-spaces/s4 `models/s4/s4d.py`), forward and forward + backward, through the
// public engine as users run it, against the same layer in PyTorch on the CPU.
//
//   npm run bench:s4 -- [--json] [--lengths 1024,4096] [--runs N] [--backend webasm|cpu]
//                       [--threads N] [--torch-threads N] [--python PATH] [--no-torch] [--f64]
//
// Shapes: B = 16, H = 128, N = 64 (32 complex modes), L ∈ {1024, 4096}. Forward: the output
// realised under noGrad (torch: under no_grad). Forward + backward: Σ y and its backward pass,
// which realises every parameter's gradient (torch: zero_grad, forward, y.sum().backward()).
// Validation before timing: torch runs on our parameters and input, and our output and every
// gradient must match its own; without torch (or with --f64) a float64 reference of the layer
// (s4/reference.ts) takes its place. Timing: interleaved rounds, medians (./harness.ts).
// Method and figures: benchmarks/README.md. Tables go to stdout; with --json they go to stderr
// and stdout gets one JSON object with the same figures. Exit status 1 on a failed validation.

import { init, shutdown } from '../index.ts';
import { Random, noGrad, realise, sum, tensor } from '../src/engine.ts';
import { createS4Block, s4dPresets } from '../models/s4/index.ts';
import type { Tensor } from '../src/engine.ts';
import { measure, random, relativeError } from './harness.ts';
import type { Cell, Contender } from './harness.ts';
import { describeMachine, finishRun, machineRecord, otherLoadMeter } from './machine.ts';
import { s4dLayerReference, type ParamName } from './s4/reference.ts';
import { TorchPeer } from './s4/torch-peer.ts';
import type { TorchOutputs } from './s4/torch-peer.ts';

const started = performance.now();
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes('--json');
const lengths = (option('--lengths') ?? '1024,4096').split(',').map(Number);
const rounds = Number(option('--runs') ?? 7);
const backendName = option('--backend') as 'webasm' | 'cpu' | undefined;
const threads = option('--threads') === undefined ? undefined : Number(option('--threads'));
const torchThreads = Number(option('--torch-threads') ?? 2);
const [B, H, N] = [16, 128, 64];
const SEED = 2024;
/** Issue's figures for torch in its best configuration on the team's VM (forward, forward + backward). */
const ISSUE_TORCH_MS: Record<number, [number, number]> = { 1024: [48, 100], 4096: [210, 476] };
/** Tolerances, relative to the largest |expected| of each tensor (see benchmarks/README.md). */
const TOLERANCE = { output: 1e-4, gradient: 2e-3 };

if (lengths.some((l) => !Number.isInteger(l) || l < 1)) usage(`--lengths takes positive integers, not ${option('--lengths')}`);
if (!Number.isInteger(rounds) || rounds < 5) usage(`--runs takes an integer of at least 5, not ${option('--runs')}`);
if (backendName && !['webasm', 'cpu'].includes(backendName)) usage(`--backend takes webasm or cpu, not ${backendName}`);
if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) usage(`--threads takes a positive integer, not ${option('--threads')}`);

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run bench:s4 -- [--json] [--lengths 1024,4096] [--runs N>=5] [--backend webasm|cpu] [--threads N] [--torch-threads N] [--python PATH] [--no-torch] [--f64]`,
  );
  process.exit(2);
}

const print = (line = '') => (json ? console.error(line) : console.log(line));
const progress = (line: string) => console.error(`  .. ${line}`);

const backend = await init({ ...(backendName ? { name: backendName } : {}), ...(threads ? { threads } : {}) });
const torch = args.includes('--no-torch')
  ? { unavailable: 'skipped (--no-torch)' }
  : await TorchPeer.start({ python: option('--python'), threads: torchThreads });
const peerPid = 'unavailable' in torch ? undefined : torch.pid;
const runLoad = otherLoadMeter(peerPid);
const torchStatus =
  'unavailable' in torch ? `torch UNAVAILABLE (${torch.unavailable}): validated against the float64 reference, no ratios` : torch.config.describe;
const machine = machineRecord();

print(`chronoscale S4 benchmark: an S4D layer (S4Block, s4dPresets.minimal = s4d.py), B=${B}, H=${H}, N=${N}`);
print(describeMachine(machine));
print(`ours: ${backend.describe()}`);
print(`peer: ${torchStatus}`);
print(`method: outputs and gradients validated before timing; medians of ${rounds} interleaved rounds after warm-ups`);

type Mode = 'forward' | 'forward+backward';
const MODES: Mode[] = ['forward', 'forward+backward'];

interface CaseResult {
  length: number;
  mode: Mode;
  cells: Record<string, Cell>;
  otherLoad: number | null;
}

interface Validation {
  length: number;
  against: string;
  /** Relative error per tensor: 'y' and each parameter's gradient. */
  errors: Record<string, number>;
  ok: boolean;
}

const results: CaseResult[] = [];
const validations: Validation[] = [];

for (const length of lengths) {
  progress(`L=${length}: building the layer, validating`);
  const block = createS4Block({ layer: { kind: 's4d', dModel: H, dState: N, ...s4dPresets.minimal }, rng: new Random(SEED) });
  const named = block.namedParameters() as [ParamName, Tensor][];
  const x = tensor(random(B * H * length, SEED + length), [B, H, length]);
  const ours = {
    forward: async (): Promise<Tensor> => {
      const y = noGrad(() => block.forward(x));
      await realise([y]);
      return y;
    },
    forwardBackward: async (): Promise<void> => {
      for (const [, p] of named) p.grad = null;
      await sum(block.forward(x)).backward();
    },
  };

  // Validation: our output and gradients against torch's (or the float64 reference).
  const y = await (await ours.forward()).data();
  await ours.forwardBackward();
  const grads = Object.fromEntries(await Promise.all(named.map(async ([name, p]) => [name, await p.grad!.data()]))) as Record<ParamName, Float32Array>;
  const params = Object.fromEntries(named.map(([name, p]) => [name, { data: p.storage!.data, shape: p.shape }])) as Record<
    ParamName,
    { data: Float32Array; shape: readonly number[] }
  >;
  const expected: Array<{ against: string; outputs: TorchOutputs | { y: Float64Array; grads: Record<ParamName, Float64Array> } }> = [];
  if (!('unavailable' in torch)) {
    expected.push({ against: 'torch', outputs: await torch.setup({ batch: B, width: H, state: N, length, params, input: x.storage!.data }) });
  }
  if ('unavailable' in torch || args.includes('--f64')) {
    progress(`L=${length}: float64 reference (slow)`);
    const p32 = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.data])) as Record<ParamName, Float32Array>;
    expected.push({ against: 'float64 reference', outputs: s4dLayerReference(p32, x.storage!.data, { batch: B, width: H, modes: N / 2, length }) });
  }
  for (const { against, outputs } of expected) {
    const errors: Record<string, number> = { y: relativeError(y, outputs.y) };
    for (const [name] of named) errors[name] = relativeError(grads[name], outputs.grads[name]);
    const ok = Object.entries(errors).every(([k, e]) => e <= (k === 'y' ? TOLERANCE.output : TOLERANCE.gradient));
    validations.push({ length, against, errors, ok });
  }

  for (const mode of MODES) {
    progress(`L=${length} ${mode}: timing`);
    const otherLoad = otherLoadMeter(peerPid);
    const contenders: Contender[] = [
      {
        name: 'ours',
        run: async (opts) => {
          const step = mode === 'forward' ? ours.forward : ours.forwardBackward;
          if (opts.warmup !== false) for (let i = 0; i < 2; i++) await step();
          const t0 = performance.now();
          await step();
          return { medianMs: performance.now() - t0, runs: 1, output: new Float32Array(0) };
        },
      },
    ];
    if (!('unavailable' in torch)) {
      contenders.push({
        name: 'torch',
        run: async (opts) => {
          const [ms] = await torch.time(mode, 1, opts.warmup === false ? 0 : 2);
          return { medianMs: ms, runs: 1, output: new Float32Array(0) };
        },
      });
    }
    // Outputs were validated above on the same layer and input; the rounds only time.
    const cells = await measure(contenders, { rounds, budgetMs: 120_000, slice: 1, check: () => 'ok', hopeless: new Set() });
    for (const cell of Object.values(cells)) cell.check = validations.filter((v) => v.length === length).every((v) => v.ok) ? 'ok' : 'MISMATCH';
    results.push({ length, mode, cells, otherLoad: otherLoad() });
  }
}

// ---- report

interface TargetCheck {
  length: number;
  mode: Mode;
  ours?: number;
  torch?: number;
  /** ours / torch time in this run (≤ 1 meets the target). */
  ratio?: number;
  issueTorchMs: number;
  met: boolean | null;
}

const fmt = (v: number | undefined) => (v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const spread = (c: Cell | undefined) => (c?.ms === undefined ? '-' : `${fmt(c.ms)} (${fmt(c.minMs)}-${fmt(c.maxMs)})`);
const targets: TargetCheck[] = results.map((r) => {
  const ours = r.cells.ours?.ms;
  const peer = r.cells.torch?.ms;
  const issueTorchMs = ISSUE_TORCH_MS[r.length]?.[r.mode === 'forward' ? 0 : 1] ?? NaN;
  const ratio = ours !== undefined && peer !== undefined ? ours / peer : undefined;
  return { length: r.length, mode: r.mode, ours, torch: peer, ratio, issueTorchMs, met: ratio === undefined ? null : ratio <= 1 };
});

print();
print(`S4D layer, B=${B}, H=${H}, N=${N} (ms per call, lower is better; medians of ${rounds} interleaved rounds, fastest-slowest in brackets)`);
const header = ['case', 'ours', 'torch', 'ours/torch', "issue's torch", 'target'];
const rows = targets.map((t, i) => [
  `L=${t.length} ${t.mode}`,
  spread(results[i].cells.ours),
  spread(results[i].cells.torch),
  t.ratio === undefined ? '-' : `${t.ratio.toFixed(2)}x`,
  Number.isNaN(t.issueTorchMs) ? '-' : String(t.issueTorchMs),
  t.met === null ? 'not checked' : t.met ? 'MET' : 'MISSED',
]);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
for (const row of [header, ...rows]) print(`  ${row.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ')}`);
const loads = results.filter((r) => r.otherLoad !== null).map((r) => `L=${r.length} ${r.mode} ${Math.round(100 * r.otherLoad!)}%`);
if (loads.length) print(`  CPU taken by other processes on this machine meanwhile: ${loads.join(', ')}`);
print(`  target: ours no slower than torch (best configuration) in the same run; "issue's torch": the figure the issue measured`);
print();
print('validation (largest |difference| relative to the largest |expected| of each tensor):');
for (const v of validations) {
  const parts = Object.entries(v.errors).map(([k, e]) => `${k} ${e.toExponential(1)}`);
  print(
    `  L=${v.length} against ${v.against}: ${v.ok ? 'ok' : 'MISMATCH'} (${parts.join(', ')}; tolerance ${TOLERANCE.output} output, ${TOLERANCE.gradient} gradients)`,
  );
}
const decided = targets.filter((t) => t.met !== null);
print(
  decided.length
    ? `target: ${decided.every((t) => t.met) ? 'MET' : 'MISSED'} (${decided.filter((t) => t.met).length} of ${decided.length} cases)`
    : 'target: NOT CHECKED (no torch in this run)',
);
print(finishRun(machine, runLoad, started));

if (json) {
  console.log(
    JSON.stringify({
      benchmark: 's4',
      args,
      shape: { batch: B, width: H, state: N, lengths },
      rounds,
      machine,
      ours: backend.describe(),
      torch:
        'unavailable' in torch
          ? { unavailable: torch.unavailable }
          : { describe: torch.config.describe, ...torch.config.info, openblas: torch.config.openblas },
      cases: results,
      targets,
      validations,
      tolerance: TOLERANCE,
      elapsedS: Math.round((performance.now() - started) / 1000),
    }),
  );
}
if (!('unavailable' in torch)) await torch.close();
await shutdown();
process.exitCode = validations.every((v) => v.ok) ? 0 : 1;
