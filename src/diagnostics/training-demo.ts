/**
 * A small training demo: an MLP learns a 6-step-ahead forecast of noisy sines from 24 lags,
 * trained with AdamW on the active backend and scored on held-out windows against repeating the
 * last value. Shows the engine end to end (lazy graph, autograd, optimizer) in a few seconds.
 */
import { mseLoss } from '../ops/loss.ts';
import { tensor } from '../ops/creation.ts';
import { MLP } from '../nn/mlp.ts';
import { AdamW } from '../optim/adamw.ts';
import { Random } from '../random.ts';
import { noGrad } from '../engine/context.ts';

export interface DemoResult {
  steps: number;
  firstLoss: number;
  lastLoss: number;
  /** Held-out MSE of the trained model, and of repeating the last observed value. */
  testMse: number;
  naiveMse: number;
  seconds: number;
}

const LAGS = 24;
const HORIZON = 6;

/** Windows of a noisy two-frequency sine: inputs [n, 24], targets [n, 6]. */
function windows(rng: Random, count: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(count * LAGS);
  const y = new Float32Array(count * HORIZON);
  for (let w = 0; w < count; w++) {
    const phase = rng.uniform() * 2 * Math.PI;
    const value = (t: number) => Math.sin(phase + t / 3) + 0.5 * Math.sin(2 * phase + t / 7) + 0.05 * rng.normal();
    for (let t = 0; t < LAGS; t++) x[w * LAGS + t] = value(t);
    for (let h = 0; h < HORIZON; h++) y[w * HORIZON + h] = value(LAGS + h);
  }
  return { x, y };
}

export async function trainingDemo(options: { steps?: number; log?: (line: string) => void } = {}): Promise<DemoResult> {
  const steps = options.steps ?? 300;
  const rng = new Random(2024);
  const train = windows(rng, 256);
  const test = windows(rng, 128);
  const model = new MLP({ inFeatures: LAGS, hiddenFeatures: 64, outFeatures: HORIZON, rng: new Random(1) });
  const optimizer = new AdamW(model.parameters(), { lr: 3e-3, weightDecay: 1e-4 });
  const x = tensor(train.x, [256, LAGS]);
  const y = tensor(train.y, [256, HORIZON]);
  const started = performance.now();
  let firstLoss = NaN;
  let lastLoss = NaN;
  for (let step = 1; step <= steps; step++) {
    const loss = mseLoss(model.forward(x), y);
    await loss.backward();
    await optimizer.step();
    optimizer.zeroGrad();
    lastLoss = await loss.item();
    if (step === 1) firstLoss = lastLoss;
    if (step === 1 || step % 50 === 0) options.log?.(`step ${String(step).padStart(4)}  train mse ${lastLoss.toFixed(4)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  model.eval();
  const testY = tensor(test.y, [128, HORIZON]);
  const testMse = await noGrad(() => mseLoss(model.forward(tensor(test.x, [128, LAGS])), testY)).item();
  let naive = 0;
  for (let w = 0; w < 128; w++) for (let h = 0; h < HORIZON; h++) naive += (test.x[w * LAGS + LAGS - 1] - test.y[w * HORIZON + h]) ** 2;
  return { steps, firstLoss, lastLoss, testMse, naiveMse: naive / (128 * HORIZON), seconds };
}
