/**
 * ListOps (LRA) with a small S4 sequence model: nested MIN / MAX / MED / SM expressions over
 * digits, read token by token, classified into their value 0-9. The model follows the LRA
 * config `s4-listops` (token embedding, bidirectional S4 blocks with n_ssm = 1 and N = 4,
 * post-norm BatchNorm, mean pooling over the valid tokens, AdamW 0.01 / 0.05 with the SSM
 * parameters at 0.001) at CPU size: width 64, 4 blocks, on the `cpu` preset (256 tokens).
 *
 * Run: npx tsx benchmarks/lra/examples/s4-listops.ts [--steps N] [--quick]
 * Generates the data on first use (cached under build/lra-cache), so it needs no files.
 * Quick mode (--quick or CHRONOSCALE_EXAMPLE_QUICK=1): a few training steps, 64 test expressions.
 */
import { parseArgs } from 'node:util';
import { init, shutdown } from '../../../index.ts';
import { AdamW, Random, argmax, crossEntropy, noGrad, tensor, train, warmupCosine, type Tensor } from '../../../src/engine.ts';
import { createSequenceModel, sequenceParamGroups } from '../../../models/s4/index.ts';
import { loadTask, type Example, type Split } from '../data/index.ts';

const quick = process.argv.includes('--quick') || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const { values } = parseArgs({ options: { steps: { type: 'string' }, quick: { type: 'boolean' } } });
const steps = quick ? 3 : Number(values.steps ?? 1000);
const batchSize = quick ? 8 : 32;
const task = loadTask('listops', 'cpu', quick ? { sizes: { train: 64, validation: 16, test: 64 }, cacheDir: false } : {});
const length = task.sequenceLength;
const vocabulary = task.vocabulary === 'real' ? 0 : task.vocabulary.size;

/** Token ids [B, L], their lengths [B] and labels [B]. */
function batchOf(split: Split<Example>, indices: ArrayLike<number>): { x: Tensor; lengths: Tensor; y: Tensor } {
  const x = new Float32Array(indices.length * length);
  const lengths = new Float32Array(indices.length);
  const y = new Float32Array(indices.length);
  Array.from(indices).forEach((index, b) => {
    const example = split.get(index);
    x.set(example.tokens, b * length);
    lengths[b] = example.length ?? length;
    y[b] = example.label;
  });
  return { x: tensor(x, [indices.length, length]), lengths: tensor(lengths), y: tensor(y) };
}

const backend = await init();
const model = createSequenceModel({
  input: { kind: 'tokens', vocabulary },
  dModel: quick ? 16 : 64,
  layers: quick ? 1 : 4,
  layer: { kernel: 's4', dState: 4, nSsm: 1, bidirectional: true, lMax: length },
  norm: 'batch',
  classes: task.classes,
  rng: new Random(0),
});
console.log(
  `ListOps (cpu preset, ${length} tokens): ${model.parameterCount().toLocaleString('en-US')} parameters, ${steps} steps of ${batchSize}; ${backend.describe()}`,
);

const { train: trainSplit, test: testSplit } = task.splits;
const result = await train<ReturnType<typeof batchOf>>({
  model,
  loss: ({ x, lengths, y }) => crossEntropy(model.forward(x, lengths), y),
  trainBatches: (_, rng) => {
    const order = rng.permutation(trainSplit.size);
    return Array.from({ length: Math.floor(order.length / batchSize) }, (_, i) => batchOf(trainSplit, order.subarray(i * batchSize, (i + 1) * batchSize)));
  },
  optimizer: new AdamW(sequenceParamGroups(model, { lr: 0.01, weightDecay: 0.05, ssmLr: 0.001 })),
  schedule: warmupCosine({ warmupSteps: Math.ceil(steps / 10), totalSteps: steps }),
  maxSteps: steps,
  progress: quick ? 'silent' : 'lines',
});

model.eval();
const testCount = Math.min(quick ? 64 : Infinity, testSplit.size);
let correct = 0;
for (let first = 0; first < testCount; first += 128) {
  const indices = Array.from({ length: Math.min(128, testCount - first) }, (_, i) => first + i);
  const { x, lengths, y } = batchOf(testSplit, indices);
  const predicted = await noGrad(() => argmax(model.forward(x, lengths), -1)).data();
  const labels = y.storage!.data;
  correct += predicted.filter((p, i) => p === labels[i]).length;
}
const last = result.history.at(-1)?.loss ?? NaN;
console.log(`trained ${result.steps} steps in ${result.seconds.toFixed(0)} s, last loss ${last.toFixed(3)}`);
console.log(
  `test accuracy ${((100 * correct) / testCount).toFixed(1)} % on ${testCount} expressions (chance ${task.chance} %; S4 published ${task.publishedS4} % on LRA's full-length task)`,
);
await shutdown();
