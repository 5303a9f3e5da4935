/**
 * The long-range benchmark runner: every task's cpu and paper classifier builds and maps a batch
 * to logits [B, classes]; the paper presets carry S4's published LRA configuration; batches,
 * the time-budgeted schedule and the command line behave; and a real run of two training steps
 * with a tiny evaluation completes on sMNIST (skipped with a `note:` without ../shared/data).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as cs from '../../src/engine.ts';
import { collate, epochBatches, orderedBatches, type Batch } from '../../benchmarks/lra/batches.ts';
import { loadTask, taskNames, type Preset, type TaskName } from '../../benchmarks/lra/data/index.ts';
import { defaultDataDir, repoRoot } from '../../benchmarks/lra/data/paths.ts';
import { lazySplit } from '../../benchmarks/lra/data/task.ts';
import { countCorrect } from '../../benchmarks/lra/evaluate.ts';
import { buildNetwork, buildOptimizer, RetrievalClassifier } from '../../benchmarks/lra/network.ts';
import { lraSetup } from '../../benchmarks/lra/presets.ts';
import { runLra } from '../../benchmarks/lra/runner.ts';
import { budgetedWarmupCosine } from '../../benchmarks/lra/schedule.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

/** The task's description only: nothing is read, so no data are needed. */
const describe = (name: TaskName, preset: Preset) => loadTask(name, preset, { dataDir: '/nonexistent', cacheDir: false });

/** A synthetic batch of `count` sequences of `length` steps shaped as the task's inputs. */
function syntheticBatch(name: TaskName, preset: Preset, count: number, length: number): Batch {
  const task = describe(name, preset);
  const rows = name === 'retrieval' ? 2 * count : count;
  const rng = new cs.Random(5);
  const x =
    task.vocabulary === 'real'
      ? cs.randn([rows, length, 1], rng)
      : cs.tensor(
          Float32Array.from({ length: rows * length }, (_, i) => 2 + (i % 7)),
          [rows, length],
        );
  const labelValues = Int32Array.from({ length: count }, (_, i) => i % task.classes);
  const lengths =
    task.vocabulary === 'real'
      ? undefined
      : cs.tensor(
          Float32Array.from({ length: rows }, (_, i) => length - i),
          [rows],
        );
  return { x, lengths, labels: cs.tensor(Float32Array.from(labelValues), [count]), labelValues };
}

test('every cpu classifier builds and maps a full-length batch to logits [B, classes]', async () => {
  for (const name of taskNames) {
    const task = describe(name, 'cpu');
    const setup = lraSetup(task);
    const network = buildNetwork(setup, 0);
    assert.is(setup.model.layer.kernel, 's4d', name);
    assert.is(setup.model.layer.bidirectional, name !== 'smnist' && name !== 'psmnist', `${name} bidirectional`);
    const logits = network.logits(syntheticBatch(name, 'cpu', 2, task.sequenceLength));
    assert.equal(logits.shape, [2, task.classes], name);
    assert.ok((await logits.data()).every(Number.isFinite), `${name} logits are finite`);
    assert.ok(
      buildOptimizer(network, setup).groups.some((g) => g.lr === 0.001 && g.weightDecay === 0),
      `${name} has the SSM group`,
    );
  }
});

// S4's LRA table (reference/models.md §1.4): [H, N, prenorm, dropout, lr, batch, epochs, nSsm = H?].
const published: Partial<Record<TaskName, [number, number, boolean, number, number, number, number, boolean]>> = {
  listops: [256, 4, false, 0, 0.01, 32, 40, false],
  text: [256, 4, true, 0, 0.01, 16, 32, false],
  retrieval: [256, 4, true, 0, 0.01, 64, 20, false],
  image: [512, 64, false, 0.1, 0.01, 50, 200, false],
  pathfinder: [256, 64, true, 0, 0.004, 64, 200, true],
  pathx: [256, 64, true, 0, 0.001, 16, 50, true],
};

test("the paper presets are S4's published LRA configurations", () => {
  for (const [name, [H, N, prenorm, dropout, lr, batch, epochs, perFeature]] of Object.entries(published) as [
    TaskName,
    NonNullable<(typeof published)['listops']>,
  ][]) {
    const { model, training } = lraSetup(describe(name, 'paper'));
    const got = [
      model.layers,
      model.layer.kernel,
      model.layer.init,
      model.layer.bidirectional,
      model.norm,
      model.dModel,
      model.layer.dState,
      model.prenorm,
      model.dropout,
    ];
    assert.equal(got, [6, 's4', 'legs', true, 'batch', H, N, prenorm, dropout], name);
    assert.equal(
      [training.lr, training.weightDecay, training.ssmLr, training.batchSize, training.epochs, training.warmupFraction],
      [lr, 0.05, 0.001, batch, epochs, 0.1],
      name,
    );
    assert.is(model.layer.nSsm, perFeature ? H : 1, `${name} nSsm`);
    assert.is(model.layer.lMax, describe(name, 'paper').sequenceLength);
    assert.is(training.minutes, Infinity);
  }
  assert.is(lraSetup(describe('pathx', 'paper')).model.layer.dtMin, 1e-4);
});

// Image (H 512) and Path-X (lMax 16,384) spend 47 s and 209 s here attuning S4's C̃ in float64,
// so they are built with S4D kernels of the same shapes; the others with the preset's S4 kernel.
test('every paper classifier builds (S4D kernels for image and pathx) and maps a short batch to logits', async () => {
  for (const name of taskNames) {
    const task = describe(name, 'paper');
    const kernel = name === 'image' || name === 'pathx' ? 's4d' : undefined;
    const network = buildNetwork(lraSetup(task, { kernel }), 0);
    const logits = network.logits(syntheticBatch(name, 'paper', 1, 32));
    assert.equal(logits.shape, [1, task.classes], name);
    assert.ok((await logits.data()).every(Number.isFinite), `${name} logits are finite`);
  }
});

test('the retrieval classifier shares one encoder and leaves its unused decoder out of the optimiser', () => {
  const setup = lraSetup(describe('retrieval', 'cpu'));
  const network = buildNetwork(setup, 0) as RetrievalClassifier;
  assert.instance(network, RetrievalClassifier);
  const trained = new Set(buildOptimizer(network, setup).parameters());
  assert.ok(network.encoder.decoder.parameters().every((p) => !trained.has(p)));
  assert.is(trained.size, network.parameters().length - network.encoder.decoder.parameters().length);
  assert.is(
    network.usedParameterCount(),
    [...trained].reduce((n, p) => n + p.size, 0),
  );
  assert.equal(network.head.fc1.weight.shape, [64, 4 * 64]);
});

test('collate stacks pair documents after the first ones, with lengths; batches cover the split', async () => {
  const split = lazySplit(5, (i) => ({ tokens: Int32Array.of(i, i, 0), tokens2: Int32Array.of(10 + i, 0, 0), label: i % 2, length: 2, length2: 1 }));
  const batch = collate(split, Int32Array.of(3, 1), { pairs: true });
  assert.equal(batch.x.shape, [4, 3]);
  assert.equal([...(await batch.x.data())], [3, 3, 0, 1, 1, 0, 13, 0, 0, 11, 0, 0]);
  assert.equal([...(await batch.lengths!.data())], [2, 2, 1, 1]);
  assert.equal([...batch.labelValues], [1, 1]);
  const epoch = epochBatches(10, 3, new cs.Random(1));
  assert.is(epoch.length, 3, 'the remainder is dropped');
  assert.is(new Set(epoch.flatMap((b) => [...b])).size, 9);
  assert.equal(
    orderedBatches(5, 2).map((b) => [...b]),
    [[0, 1], [2, 3], [4]],
  );
  assert.is(countCorrect(Float32Array.of(0, 1, 2, 0.5, 0.1, 0.2), 3, Int32Array.of(2, 1)), 1);
});

test('the schedule is warmupCosine without a time budget, and decays to 0 when time runs out', () => {
  const steps = budgetedWarmupCosine({ totalSteps: 100, warmupFraction: 0.1, seconds: Infinity });
  const reference = cs.warmupCosine({ warmupSteps: 10, totalSteps: 100 });
  for (const step of [0, 5, 9, 10, 50, 99]) assert.is(steps(step), reference(step));
  let now = 0;
  const timed = budgetedWarmupCosine({ totalSteps: 1000, warmupFraction: 0.1, seconds: 100, startedAt: 0, clock: () => now });
  assert.ok(timed(0) > 0, 'the first rate is not 0');
  now = 5_000;
  assert.ok(Math.abs(timed(1) - 0.5) < 1e-9, 'half way through the warmup');
  now = 55_000;
  assert.ok(Math.abs(timed(2) - 0.5) < 1e-9, 'half way through the cosine');
  now = 100_000;
  assert.ok(timed(3) < 1e-12);
});

test('the command line explains a bad flag and exits with status 2', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'benchmarks/lra/run.ts', '--task', 'nope'], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(run.status, 2);
  assert.match(run.stderr, /--task must be one of listops, text/);
});

test('two training steps and a tiny evaluation run end to end on sMNIST (cpu preset)', async () => {
  if (!existsSync(path.join(defaultDataDir, 'mnist'))) {
    console.log(`\nnote: skipped the sMNIST run: ${path.join(defaultDataDir, 'mnist')} not found`);
    return;
  }
  let text = '';
  const run = await runLra({
    task: 'smnist',
    preset: 'cpu',
    maxSteps: 2,
    evalEvery: 1,
    sizes: { train: 64, validation: 40, test: 48 },
    progress: 'lines',
    output: { write: (s: string) => (text += s) },
    backend: 'test',
  });
  assert.is(run.steps, 2);
  assert.is(run.stoppedBy, 'maxSteps');
  assert.equal(
    run.validation.map((v) => v.step),
    [1, 2],
  );
  assert.ok(
    run.validation.every((v) => v.accuracy !== null && v.accuracy >= 0 && v.accuracy <= 100),
    'validation accuracy is read from the kept logits',
  );
  assert.is(run.test.examples, 48);
  assert.ok(run.test.accuracy >= 0 && run.test.accuracy <= 100);
  assert.is(run.publishedS4, 99.63);
  assert.ok(run.stepsPerSecond > 0 && run.parameters === 42_634);
  assert.match(text, /validation accuracy=/);
  assert.match(text, /done stopped_by=maxSteps steps=2/);
});

test.run();
