// The AR(p) experiment of SpaceTime (Zhang et al., ICLR 2023, §4: a companion SSM can represent
// any AR(p) process, a diagonal SSM such as S4D cannot in general): stable AR(p) series, seeded,
// for several p up to 16; SpaceTime and an S4D forecaster of the same width and state size are
// trained for the same number of steps and scored by the long-horizon protocol (70/10/20 split,
// scaler fitted on train, every test window) beside the oracle, the true AR predictor (the
// conditional mean: the recurrence run forward with zero noise).
//
//   npm run bench:arp -- [--json] [--orders 4,8,16] [--steps 300] [--length 3000]
//                        [--lookback 64] [--horizon 16] [--width 16] [--state 16] [--seed 0]
//
// First it times the companion kernel K[l] = cᵀAˡb both ways, forward and forward + backward
// (medians of 5): the paper's FFT algorithm (`companionKernel`) and the official model's dense
// Krylov path (`companionKrylovKernel`), at the paper's sizes (nk kernels, d = 64).
// Tables go to stdout; with --json they go to stderr and stdout gets one JSON object.
// Defaults are sized for a 2-core machine (about a minute per order).

import { S4Forecaster, SpaceTimeForecaster, StandardScaler, init, runLongHorizon, shutdown, splitPanel } from '../index.ts';
import { Random, companionKernel, companionKrylovKernel, noGrad, sum, tensor } from '../src/engine.ts';
import type { ContextWindows, LongHorizonResult, Panel, SeriesForecaster, SeriesTrainingData, WindowForecasts } from '../index.ts';
import { describeMachine, finishRun, machineRecord, otherLoadMeter } from './machine.ts';

const started = performance.now();
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const json = args.includes('--json');
const orders = option('--orders', '4,8,16').split(',').map(Number);
const steps = Number(option('--steps', '300'));
const length = Number(option('--length', '3000'));
const lookback = Number(option('--lookback', '64'));
const horizon = Number(option('--horizon', '16'));
const width = Number(option('--width', '16'));
const state = Number(option('--state', '16'));
const seed = Number(option('--seed', '0'));
const integers = { orders: orders.every((p) => p >= 1 && p <= 64), steps, length, lookback, horizon, width, state };
for (const [name, value] of Object.entries(integers)) {
  if (value === false || (typeof value === 'number' && !(Number.isInteger(value) && value >= 1))) usage(`--${name} takes positive integers`);
}
if (width % 8 !== 0) usage('--width must be a multiple of 8 (SpaceTime preprocesses with 8 kernels)');

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run bench:arp -- [--json] [--orders 4,8,16] [--steps N] [--length N] [--lookback N] [--horizon N] [--width N] [--state N] [--seed N]`,
  );
  process.exit(2);
}

const print = (line = ''): void => (json ? console.error(line) : console.log(line));

/**
 * φ of a stable AR(p): roots λ_j of λᵖ − φ_1λᵖ⁻¹ − … − φ_p drawn inside the unit disk (moduli in
 * [0.7, 0.97], conjugate pairs, one real root when p is odd), multiplied out.
 */
export function stableArCoefficients(p: number, rng: Random): Float64Array {
  let poly = [1]; // coefficients of λ^k, highest first
  const times = (factor: number[]): void => {
    const out = new Array<number>(poly.length + factor.length - 1).fill(0);
    poly.forEach((x, i) => factor.forEach((y, j) => (out[i + j] += x * y)));
    poly = out;
  };
  for (let j = 0; j + 1 < p; j += 2) {
    const [r, theta] = [0.7 + 0.27 * rng.uniform(), Math.PI * rng.uniform()];
    times([1, -2 * r * Math.cos(theta), r * r]);
  }
  if (p % 2 === 1) times([1, -(0.7 + 0.27 * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1)]);
  return Float64Array.from({ length: p }, (_, i) => -poly[i + 1]);
}

/** x_t = Σ φ_i x_{t−i} + ε_t, ε ~ N(0, 1), after a burn-in of 500 steps. */
function simulate(phi: Float64Array, steps: number, rng: Random): Float32Array {
  const burn = 500;
  const x = new Float64Array(steps + burn);
  for (let t = 0; t < x.length; t++) {
    let v = rng.normal();
    for (let i = 0; i < phi.length && i < t; i++) v += phi[i] * x[t - 1 - i];
    x[t] = v;
  }
  return Float32Array.from(x.subarray(burn));
}

function panelOf(values: Float32Array): Panel {
  const series = { id: 'ar', time: Float64Array.from(values, (_, t) => t * 3600_000), values, mask: new Uint8Array(values.length).fill(1) };
  return { series: [series], channels: ['x'], frequency: { kind: 'fixed', ms: 3600_000 }, timeZone: 'UTC' };
}

/** The true AR predictor on the scaled series x' = (x − μ)/σ: x'_t = Σ φ_i x'_{t−i} + μ(Σφ − 1)/σ. */
class OracleAR implements SeriesForecaster {
  readonly name = 'oracle';
  readonly family = 'oracle';
  readonly capabilities = {
    multivariate: false,
    futureCovariates: false,
    pastCovariates: false,
    probabilistic: 'none',
    zeroShot: false,
    horizon: 'fixed',
    context: null,
    signal: '1d',
  } as const;
  readonly config = {};
  constructor(
    private readonly phi: Float64Array,
    private readonly offset: number,
    readonly lookback: number,
    readonly horizon: number,
  ) {}
  async fit(_data: SeriesTrainingData): Promise<void> {}
  async forecast(windows: ContextWindows, options: { horizon: number }): Promise<WindowForecasts> {
    const point = new Float32Array(windows.count * options.horizon);
    for (let w = 0; w < windows.count; w++) {
      const path = Array.from(windows.values.subarray(w * windows.length, (w + 1) * windows.length), Number);
      for (let h = 0; h < options.horizon; h++) {
        let next = this.offset;
        for (let i = 0; i < this.phi.length; i++) next += this.phi[i] * path[path.length - 1 - i];
        path.push(next);
        point[w * options.horizon + h] = next;
      }
    }
    return { horizon: options.horizon, point, quantiles: new Map() };
  }
  predict(): never {
    throw new Error('OracleAR scores windows only');
  }
  state(): never {
    throw new Error('OracleAR has no state');
  }
  loadState(): void {}
}

/** Median milliseconds of forward and forward + backward of one kernel function over 5 runs, after one untimed run (compilation, pools). */
async function timeKernel(kernel: typeof companionKernel, [nk, d, length]: number[]): Promise<{ forward: number; backward: number }> {
  const rng = new Random(1);
  const vectors = (requiresGrad: boolean) =>
    [0, 1, 2].map(() =>
      tensor(
        rng.normalArray(nk * d).map((v) => v / d),
        [nk, d],
        { requiresGrad },
      ),
    );
  const [forward, backward]: number[][] = [[], []];
  for (let run = 0; run <= 5; run++) {
    const [a, b, c] = vectors(false);
    const start = performance.now();
    await noGrad(() => kernel(a, b, c, length)).data();
    const middle = performance.now();
    const [ga, gb, gc] = vectors(true);
    await sum(kernel(ga, gb, gc, length)).backward();
    if (run === 0) continue; // the warm-up run
    forward.push(middle - start);
    backward.push(performance.now() - middle);
  }
  const median = (x: number[]) => x.sort((p, q) => p - q)[2];
  return { forward: median(forward), backward: median(backward) };
}

const sizeOf = (model: SeriesForecaster): number => [...model.state().values()].reduce((n, t) => n + t.data.length, 0);

const machine = machineRecord();
const otherLoad = otherLoadMeter();
await init({ threads: 2 });
print(describeMachine(machine));
print('companion kernel K[l] = cᵀAˡb, milliseconds (median of 5): fast FFT algorithm vs dense Krylov');
const kernelTimings: { nk: number; d: number; length: number; fast: { forward: number; backward: number }; krylov: { forward: number; backward: number } }[] =
  [];
for (const [nk, d, kernelLength] of [
  [16, 64, 336],
  [128, 64, 336],
  [128, 64, 720],
]) {
  const [fast, krylov] = [await timeKernel(companionKernel, [nk, d, kernelLength]), await timeKernel(companionKrylovKernel, [nk, d, kernelLength])];
  kernelTimings.push({ nk, d, length: kernelLength, fast, krylov });
  print(
    `  nk ${nk}, d ${d}, L ${kernelLength}: forward ${fast.forward.toFixed(1)} vs ${krylov.forward.toFixed(1)}; forward + backward ${fast.backward.toFixed(1)} vs ${krylov.backward.toFixed(1)}`,
  );
}
print();
print(`AR(p): ${length} steps per order, lookback ${lookback}, horizon ${horizon}; models: width ${width}, state ${state}, ${steps} steps each; seed ${seed}`);
print('MSE on the scaled test windows (lower is better); ratio = model / oracle');
print();
print('   p |  oracle | SpaceTime (ratio)  train s |    S4D (ratio)      train s | saved floats ST / S4D');
const rows: { p: number; phi: number[]; oracle: LongHorizonResult; spacetime: LongHorizonResult; s4d: LongHorizonResult; sizes: [number, number] }[] = [];
for (const p of orders) {
  const rng = new Random(seed * 1000 + p);
  const phi = stableArCoefficients(p, rng);
  const panel = panelOf(simulate(phi, length, rng));
  const scaler = StandardScaler.fit(splitPanel(panel, { lookback, datasetName: 'arp' }).train, { mode: 'global' });
  const [mu, sigma] = [scaler.mean[0], scaler.std[0]];
  const sum = phi.reduce((a, b) => a + b, 0);
  const options = { datasetName: 'arp', fit: { maxSteps: steps, progress: 'silent' as const, seed } };
  const oracle = await runLongHorizon(panel, new OracleAR(phi, (mu * (sum - 1)) / sigma, lookback, horizon), options);
  const spacetimeModel = new SpaceTimeForecaster({
    lookback,
    horizon,
    modelDim: width,
    kernelDim: state,
    dropout: 0,
    learningRate: 3e-3,
    maxAvgWindow: Math.min(64, lookback),
    seed,
  });
  const spacetime = await runLongHorizon(panel, spacetimeModel, options);
  const s4dModel = new S4Forecaster({
    name: 'S4D',
    lookback,
    horizon,
    dModel: width,
    dState: state,
    layers: 2,
    dropout: 0,
    learningRate: 3e-3,
    schedule: 'cosine',
    seed,
  });
  const s4d = await runLongHorizon(panel, s4dModel, options);
  const sizes: [number, number] = [sizeOf(spacetimeModel), sizeOf(s4dModel)];
  rows.push({ p, phi: [...phi], oracle, spacetime, s4d, sizes });
  const cell = (r: LongHorizonResult): string =>
    `${r.mse.toFixed(4)} (${(r.mse / oracle.mse).toFixed(2)})`.padEnd(18) + `${r.trainSeconds.toFixed(1)}`.padStart(8);
  print(`${String(p).padStart(4)} | ${oracle.mse.toFixed(4).padStart(7)} | ${cell(spacetime)} | ${cell(s4d)} | ${sizes[0]} / ${sizes[1]}`);
}
print();
print(finishRun(machine, otherLoad, started));
await shutdown();
if (json) {
  const entry = (r: LongHorizonResult) => ({ mse: r.mse, mae: r.mae, trainSeconds: r.trainSeconds, testWindows: r.testWindows });
  const results = rows.map((r) => ({
    p: r.p,
    phi: r.phi,
    oracle: entry(r.oracle),
    spacetime: entry(r.spacetime),
    s4d: entry(r.s4d),
    savedFloats: { spacetime: r.sizes[0], s4d: r.sizes[1] },
  }));
  console.log(
    JSON.stringify({ benchmark: 'arp', machine, settings: { orders, steps, length, lookback, horizon, width, state, seed }, kernelTimings, results }, null, 2),
  );
}
