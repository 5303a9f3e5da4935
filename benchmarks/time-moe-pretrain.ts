// Pretrains the `cpu` Time-MoE preset from scratch on ETTh2, exchange_rate and national_illness
// (training splits), saves it as a Hugging Face folder, then evaluates it zero-shot on ETTh1 and
// ETTm1 at horizon 96 by the official protocol beside naive, seasonal naive and the in-domain
// ridge linear model on the same windows.
//
//   npm run bench:timemoe-pretrain -- [--minutes 60] [--out out/time-moe-cpu] [--quick]
//     [--eval-only DIR] [--no-eval] [--stride-etth1 N] [--stride-ettm1 N] [--data DIR] [--tag NAME]
//
// --minutes is the wall-clock budget of training, the 1-minute speed probe included: the probe
// measures seconds per step on this machine now (other processes included) and sizes the warmup
// (5 % of the steps expected); the cosine then follows the wall clock to half the learning rate
// at the budget, where a timer stops training (a shared machine's speed changes during a run).
// --quick: a 1-minute run (a 10-second probe) and a sparse evaluation, to check the path.
// Writes DIR/config.json + DIR/model.safetensors (TimeMoE.fromPretrained reads them) and a record
// benchmarks/time-moe/results/<tag>.{json,md}. Method and figures: benchmarks/time-moe/README.md.

import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdamW, Random, tensor, train, type TrainEvent } from '../src/index.ts';
import { TimeMoE, timeMoELoss, timeMoEParamGroups } from '../models/time-moe/index.ts';
import { timeMoECpuPreset } from '../models/time-moe/pretrain-preset.ts';
import type { PackedWindow } from '../models/time-moe/pretrain-data.ts';
import { loadCorpus } from './time-moe/corpus.ts';
import { zeroShot, type ZeroShotResult } from './time-moe/zero-shot.ts';
import { describeMachine, finishRun, machineRecord, otherLoadMeter } from './machine.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const usage = (problem: string): never => {
  console.error(
    `${problem}\nusage: npm run bench:timemoe-pretrain -- [--minutes N] [--out DIR] [--quick] [--eval-only DIR] [--no-eval] [--stride-etth1 N] [--stride-ettm1 N] [--data DIR] [--tag NAME]`,
  );
  process.exit(2);
};
const positive = (name: string, fallback: number): number => {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!(v > 0)) usage(`--${name} must be a positive number, got ${raw}`);
  return v;
};
const quick = args.includes('--quick');
const minutes = positive('minutes', quick ? 1 : timeMoECpuPreset.minutes);
const dataDir = path.resolve(option('data') ?? path.join(root, '..', 'shared', 'data', 'forecasting'));
const evalOnly = option('eval-only');
const outDir = path.resolve(evalOnly ?? option('out') ?? path.join(root, 'out', quick ? 'time-moe-cpu-quick' : 'time-moe-cpu'));
const strides = { ETTh1: positive('stride-etth1', quick ? 256 : 1), ETTm1: positive('stride-ettm1', quick ? 1024 : 1) };
const tag = option('tag') ?? (quick ? 'cpu-preset-quick' : 'cpu-preset');
const resultsDir = path.join(root, 'benchmarks', 'time-moe', 'results');
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const preset = timeMoECpuPreset;
const machine = machineRecord();
const runLoad = otherLoadMeter();
const startedMs = performance.now();
log(describeMachine(machine));

/** Batches of windows, reshuffled each epoch from the trainer's generator. */
function batches(windows: readonly PackedWindow[], rng: Random) {
  const order = rng.permutation(windows.length);
  const out: { input: Float32Array; labels: Float32Array; mask: Float32Array; size: number }[] = [];
  const t = preset.maxLength;
  for (let i = 0; i < order.length; i += preset.batchSize) {
    const chosen = Array.from(order.subarray(i, i + preset.batchSize), (k) => windows[k]);
    const pack = (key: 'input' | 'labels' | 'lossMask') => {
      const a = new Float32Array(chosen.length * t);
      chosen.forEach((w, j) => a.set(w[key], j * t));
      return a;
    };
    out.push({ input: pack('input'), labels: pack('labels'), mask: pack('lossMask'), size: chosen.length });
  }
  return out;
}

const lossOf = (model: TimeMoE) => (b: ReturnType<typeof batches>[number]) => {
  const shape = [b.size, preset.maxLength];
  return timeMoELoss(model, tensor(b.input, shape), tensor(b.labels, shape), tensor(b.mask, shape)).loss;
};

/**
 * Linear warmup over `warmupSteps`, then a cosine to `minLrFactor` by the wall clock, reaching it
 * at `deadline`: on a shared machine the speed changes during the run (other processes come and
 * go), so a cosine sized in steps from the probe would end early or be cut short.
 */
function clockCosine(warmupSteps: number, deadline: number): (step: number) => number {
  const start = Date.now();
  return (step) => {
    if (step < warmupSteps) return (step + 1) / warmupSteps;
    const progress = Math.min(1, (Date.now() - start) / (deadline - start));
    return preset.minLrFactor + (1 - preset.minLrFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}

interface TrainingRecord {
  corpus: Awaited<ReturnType<typeof loadCorpus>>['sources'];
  windows: number;
  points: number;
  parameters: number;
  probe: { steps: number; secondsPerStep: number };
  plannedSteps: number;
  steps: number;
  epochs: number;
  seconds: number;
  stoppedBy: string;
  loss: { first: number; last50: number; min: number };
  history: { step: number; loss: number; lr: number }[];
}

async function pretrain(): Promise<TrainingRecord> {
  const corpus = await loadCorpus(dataDir, preset.maxLength);
  for (const s of corpus.sources) log(`corpus: ${s.file}, training rows [0, ${s.trainRows}), ${s.channels} channels → ${s.windows} windows`);
  log(`corpus: ${corpus.windows.length} windows of ${preset.maxLength}, ${corpus.points} real label points`);
  const budgetMs = minutes * 60_000;
  const deadline = Date.now() + budgetMs;

  // The probe: a throwaway model of the same shape, timed on real batches (the first step, which
  // compiles kernels and allocates, not counted).
  const probeModel = new TimeMoE(preset.config, { rng: new Random(99) });
  const probeOptimizer = new AdamW(timeMoEParamGroups(probeModel, { weightDecay: preset.weightDecay }), { lr: preset.lr, betas: preset.betas });
  const probeEnd = Date.now() + (quick ? 10_000 : 60_000);
  let probeSteps = 0;
  let probeStart = 0;
  const probeBatches = batches(corpus.windows, new Random(1));
  while (Date.now() < probeEnd || probeSteps < 2) {
    if (probeSteps === 1) probeStart = performance.now();
    const loss = lossOf(probeModel)(probeBatches[probeSteps % probeBatches.length]);
    await loss.backward();
    await probeOptimizer.step();
    probeOptimizer.zeroGrad();
    probeSteps++;
  }
  const secondsPerStep = (performance.now() - probeStart) / 1000 / (probeSteps - 1);
  const remaining = (deadline - Date.now()) / 1000;
  const plannedSteps = Math.max(10, Math.floor((0.97 * remaining) / secondsPerStep));
  log(`probe: ${probeSteps} steps, ${secondsPerStep.toFixed(2)} s/step → ${plannedSteps} steps in the ${remaining.toFixed(0)} s left`);

  const model = new TimeMoE(preset.config, { rng: new Random(0) });
  log(`model: ${model.parameterCount()} parameters`);
  const optimizer = new AdamW(timeMoEParamGroups(model, { weightDecay: preset.weightDecay }), { lr: preset.lr, betas: preset.betas });
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - Date.now()));
  const history: TrainingRecord['history'] = [];
  let last = performance.now();
  const result = await train({
    model,
    loss: lossOf(model),
    trainBatches: (_epoch, rng) => batches(corpus.windows, rng),
    optimizer,
    schedule: clockCosine(Math.max(1, Math.round(preset.warmupRatio * plannedSteps)), deadline),
    clipGradNorm: preset.clipGradNorm,
    maxSteps: 1_000_000, // the timer ends the run
    progress: 'silent',
    signal: stop.signal,
    seed: 0,
    onEvent: (e: TrainEvent) => {
      if (e.kind !== 'step') return;
      history.push({ step: e.step, loss: e.loss, lr: e.lr });
      if (e.step % 10 === 0) {
        const now = performance.now();
        log(
          `step ${e.step}/${plannedSteps} epoch ${e.epoch + 1} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} grad ${e.gradNorm?.toFixed(2)} (${((now - last) / 1000 / 10).toFixed(2)} s/step, load ${os.loadavg()[0].toFixed(2)})`,
        );
        last = now;
      }
    },
  });
  clearTimeout(timer);
  await model.save(outDir);
  log(`saved ${outDir} after ${result.steps} steps (${result.stoppedBy}), ${result.seconds.toFixed(0)} s`);
  const losses = history.map((h) => h.loss);
  const tail = losses.slice(-50);
  return {
    corpus: corpus.sources,
    windows: corpus.windows.length,
    points: corpus.points,
    parameters: model.parameterCount(),
    probe: { steps: probeSteps, secondsPerStep },
    plannedSteps,
    steps: result.steps,
    epochs: (result.steps * preset.batchSize) / corpus.windows.length,
    seconds: result.seconds,
    stoppedBy: result.stoppedBy,
    loss: { first: losses[0], last50: tail.reduce((a, b) => a + b, 0) / tail.length, min: Math.min(...losses) },
    history,
  };
}

const training = evalOnly ? null : await pretrain();
const evaluation: ZeroShotResult[] = [];
if (!args.includes('--no-eval')) {
  const model = await TimeMoE.fromPretrained(outDir);
  for (const [name, file] of [
    ['ETTh1', 'ETTh1.csv'],
    ['ETTm1', 'ETTm1.csv.gz'],
  ] as const) {
    const r = await zeroShot(path.join(dataDir, file), model, { context: 512, horizon: 96, stride: strides[name], log });
    evaluation.push(r);
    for (const row of r.rows) log(`${name} H96 ${row.model}: MSE ${row.mse.toFixed(4)} MAE ${row.mae.toFixed(4)}`);
  }
}
const closing = finishRun(machine, runLoad, startedMs);
log(closing);

const record = {
  benchmark: 'time-moe-pretrain',
  preset: { ...preset, minutes },
  quick,
  checkpoint: path.relative(root, outDir),
  date: new Date().toISOString(),
  machine,
  training,
  evaluation,
};
await mkdir(resultsDir, { recursive: true });
await writeFile(path.join(resultsDir, `${tag}.json`), `${JSON.stringify(record, null, 1)}\n`);
await writeFile(path.join(resultsDir, `${tag}.md`), markdown());
log(`wrote benchmarks/time-moe/results/${tag}.{json,md}`);

function markdown(): string {
  const lines = [`# Time-MoE cpu preset: pretraining and zero-shot (${record.date.slice(0, 16)} UTC)`, '', describeMachine(machine), closing, ''];
  if (training) {
    lines.push(
      `Pretraining: ${training.parameters} parameters; ${training.windows} windows of ${preset.maxLength} (${training.points} points) from ${training.corpus.map((c) => `${c.file} [0, ${c.trainRows})`).join(', ')}.`,
      `Probe ${training.probe.secondsPerStep.toFixed(2)} s/step (batch ${preset.batchSize}); ${training.steps} steps (the probe expected ${training.plannedSteps}; the timer ends the run) (${training.epochs.toFixed(1)} epochs) in ${training.seconds.toFixed(0)} s, stopped by ${training.stoppedBy}.`,
      `Loss: first ${training.loss.first.toFixed(4)}, mean of the last 50 steps ${training.loss.last50.toFixed(4)}, lowest ${training.loss.min.toFixed(4)}.`,
      '',
    );
  }
  for (const r of evaluation) {
    lines.push(
      `## ${r.dataset}, horizon ${r.horizon}, context ${r.context}`,
      '',
      `${r.channels} channels × ${r.evaluatedPerChannel} of ${r.windowsPerChannel} windows (stride ${r.stride}); scaled data (train-split z-score).`,
      '',
      '| model | MSE | MAE | MSE, all windows | MAE, all windows |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const row of r.rows) {
      const all = r.allWindows.find((a) => a.model === row.model);
      lines.push(`| ${row.model} | ${row.mse.toFixed(4)} | ${row.mae.toFixed(4)} | ${all ? all.mse.toFixed(4) : '—'} | ${all ? all.mae.toFixed(4) : '—'} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
