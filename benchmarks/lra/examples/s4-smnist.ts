/**
 * Sequential MNIST with a small S4D sequence model: each digit is read as 784 pixels, one per
 * step, and classified from the mean of the last block's outputs. The model is state-spaces/s4
 * `example.py` (linear encoder, S4D blocks with dropout, residual, post-norm LayerNorm, mean
 * pooling, linear decoder; AdamW 0.01 with the SSM parameters at 0.001 without decay), at CPU
 * size: width 64, 4 blocks, one pass over part of the `cpu` preset (10k train / 2k test).
 *
 * Run: npx tsx benchmarks/lra/examples/s4-smnist.ts [--steps N] [--quick]
 * Reads ../shared/data/mnist through ../data; prints a `note:` and exits 0 without it.
 * Quick mode (--quick or CHRONOSCALE_EXAMPLE_QUICK=1): 3 training steps, 64 test digits.
 */
import { parseArgs } from 'node:util';
import { init, shutdown } from '../../../index.ts';
import { AdamW, Random, argmax, crossEntropy, noGrad, tensor, train, warmupCosine, type Tensor } from '../../../src/engine.ts';
import { createSequenceModel, sequenceParamGroups } from '../../../models/s4/index.ts';
import { loadTask, type Example, type Split } from '../data/index.ts';

const quick = process.argv.includes('--quick') || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const { values } = parseArgs({ options: { steps: { type: 'string' }, quick: { type: 'boolean' } } });
const steps = quick ? 3 : Number(values.steps ?? 600);
const batchSize = quick ? 8 : 32;
const task = loadTask('smnist', 'cpu');
try {
  task.splits.test.get(0);
} catch (error) {
  console.log(`note: sMNIST skipped: ${(error as Error).message.split('. ')[0]}`);
  process.exit(0);
}

/** Pixels [B, 784, 1] and labels [B] of some examples. */
function batchOf(split: Split<Example>, indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
  const x = new Float32Array(indices.length * 784);
  const y = new Float32Array(indices.length);
  Array.from(indices).forEach((index, b) => {
    const example = split.get(index);
    x.set(example.tokens, b * 784);
    y[b] = example.label;
  });
  return { x: tensor(x, [indices.length, 784, 1]), y: tensor(y) };
}

const backend = await init();
const model = createSequenceModel({
  input: { kind: 'real', channels: 1 },
  dModel: quick ? 16 : 64,
  layers: quick ? 1 : 4,
  layer: { kernel: 's4d', dState: quick ? 8 : 64, lMax: 784 },
  dropout: 0.1,
  classes: 10,
  rng: new Random(0),
});
console.log(`sMNIST (cpu preset): ${model.parameterCount().toLocaleString('en-US')} parameters, ${steps} steps of ${batchSize}; ${backend.describe()}`);

const { train: trainSplit, test: testSplit } = task.splits;
const result = await train<ReturnType<typeof batchOf>>({
  model,
  loss: ({ x, y }) => crossEntropy(model.forward(x), y),
  trainBatches: (_, rng) => {
    const order = rng.permutation(trainSplit.size);
    return Array.from({ length: Math.floor(order.length / batchSize) }, (_, i) => batchOf(trainSplit, order.subarray(i * batchSize, (i + 1) * batchSize)));
  },
  optimizer: new AdamW(sequenceParamGroups(model, { lr: 0.01, weightDecay: 0.01, ssmLr: 0.001 })),
  schedule: warmupCosine({ warmupSteps: Math.ceil(steps / 10), totalSteps: steps }),
  maxSteps: steps,
  progress: quick ? 'silent' : 'lines',
});

model.eval();
const testCount = quick ? 64 : testSplit.size;
let correct = 0;
for (let first = 0; first < testCount; first += 128) {
  const indices = Array.from({ length: Math.min(128, testCount - first) }, (_, i) => first + i);
  const { x, y } = batchOf(testSplit, indices);
  const predicted = await noGrad(() => argmax(model.forward(x), -1)).data();
  const labels = y.storage!.data;
  correct += predicted.filter((p, i) => p === labels[i]).length;
}
const last = result.history.at(-1)?.loss ?? NaN;
console.log(`trained ${result.steps} steps in ${result.seconds.toFixed(0)} s, last loss ${last.toFixed(3)}`);
console.log(
  `test accuracy ${((100 * correct) / testCount).toFixed(1)} % on ${testCount} digits (chance ${task.chance} %; S4 published ${task.publishedS4} % on the full task)`,
);
await shutdown();
