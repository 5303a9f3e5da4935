/**
 * Checkpoints: written every N steps and at the end, pruned to keepLast, nothing written without
 * `checkpoint`, resumed in process with identical losses, and never overwritten with bad weights.
 * The resume after a real SIGKILL is in resume-after-kill.test.ts.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { train, TrainingError, type TrainEvent, type TrainSpec } from '../../src/train/index.ts';
import { tempDirs } from '../helpers/temp-dirs.ts';
import { problem, weights, type Batch } from './fixtures/problem.ts';

const { make: tempDir, removeAll } = tempDirs('chronoscale-train');

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(async () => {
  removeAll();
  await cs.shutdown();
});

const silent = { progress: 'silent' } as const;

test('nothing is written to disk without checkpoint options', async () => {
  const dir = tempDir();
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await train({ ...problem(), ...silent, maxSteps: 10, earlyStopping: { patience: 5 } });
  } finally {
    process.chdir(cwd);
  }
  assert.equal(readdirSync(dir), []);
});

test('checkpoints are written every N steps and at the end, keeping the last keepLast', async () => {
  const dir = join(tempDir(), 'run');
  const events: Extract<TrainEvent, { kind: 'checkpoint' }>[] = [];
  const p = problem();
  const result = await train({
    ...p,
    ...silent,
    maxSteps: 10,
    checkpoint: { dir, every: 3, keepLast: 2, family: 'test-mlp', config: { hidden: 16 } },
    onEvent: (e) => e.kind === 'checkpoint' && events.push(e),
  });
  assert.equal(
    events.map((e) => e.step),
    [3, 6, 9, 10],
  );
  assert.equal(
    events.map((e) => e.removed.map((p) => p.slice(dir.length + 1))),
    [[], [], ['step-000003.safetensors'], ['step-000006.safetensors']],
  );
  assert.equal(readdirSync(dir).sort(), ['step-000009.safetensors', 'step-000010.safetensors']);
  assert.is(result.lastCheckpoint, join(dir, 'step-000010.safetensors'));
  // A training checkpoint is an ordinary model checkpoint.
  const fresh = problem();
  const loaded = await cs.loadCheckpoint(result.lastCheckpoint!, fresh.model);
  assert.equal(weights(fresh.model), weights(p.model));
  assert.is(loaded.family, 'test-mlp');
  assert.equal(loaded.config, { hidden: 16 });
  assert.is((loaded.extra?.trainer as { step: number } | undefined)?.step, 10);
});

test('a resumed run continues with the same losses, weights and history as an uninterrupted one', async () => {
  const dir = tempDir();
  const spec = (p: ReturnType<typeof problem>): TrainSpec<Batch> => ({
    ...p,
    ...silent,
    loss: (b, ctx) => p.loss(b, ctx).add(cs.randn([], ctx.rng, { std: 1e-3 })),
    maxSteps: 22,
    evalEvery: 5,
    earlyStopping: { patience: 50 },
    schedule: cs.warmupCosine({ warmupSteps: 4, totalSteps: 22 }),
    clipGradNorm: 0.5,
    reduceLrOnPlateau: { patience: 0, factor: 0.5, threshold: 0.2 },
    seed: 9,
  });
  const p = problem({ dropout: 0.25 });
  const whole = await train({ ...spec(p), checkpoint: { dir, every: 7, keepLast: 10 } });
  const files = readdirSync(dir).sort();
  assert.equal(
    files.filter((n) => n.startsWith('step-')),
    ['step-000007.safetensors', 'step-000014.safetensors', 'step-000021.safetensors', 'step-000022.safetensors'],
  );
  assert.ok(
    files.some((n) => /^best-step-0000(05|10|15|20)\.safetensors$/.test(n)),
    files.join(', '),
  );

  // Resume mid-epoch (step 14 is batch 2 of epoch 3) into another directory.
  const q = problem({ dropout: 0.25 });
  const other = tempDir();
  const resumed = await train({ ...spec(q), resume: join(dir, 'step-000014.safetensors'), checkpoint: { dir: other } });
  assert.is(resumed.resumedFrom, join(dir, 'step-000014.safetensors'));
  assert.equal(resumed.history, whole.history);
  assert.ok(
    new Set(whole.history.slice(4).map((h) => (h.lr / cs.warmupCosine({ warmupSteps: 4, totalSteps: 22 })(h.step - 1)).toPrecision(6))).size > 1,
    'the plateau cut the rate at least once',
  );
  assert.equal(weights(q.model), weights(p.model), 'both end with the restored best weights');
  assert.is(resumed.bestStep, whole.bestStep);
  assert.ok(
    readdirSync(other).includes(`best-step-${String(whole.bestStep).padStart(6, '0')}.safetensors`),
    'the best weights are rewritten next to the new checkpoints',
  );
});

test('resume: true continues from the newest checkpoint, or starts afresh in an empty directory', async () => {
  const dir = join(tempDir(), 'run');
  const first = await train({ ...problem({ dropout: 0.1 }), ...silent, maxSteps: 6, checkpoint: { dir }, resume: true });
  assert.is(first.resumedFrom, null);
  const p = problem({ dropout: 0.1 });
  const more = await train({ ...p, ...silent, maxSteps: 10, checkpoint: { dir }, resume: true });
  assert.is(more.resumedFrom, join(dir, 'step-000006.safetensors'));
  assert.is(more.steps, 10);
  const q = problem({ dropout: 0.1 });
  const straight = await train({ ...q, ...silent, maxSteps: 10 });
  assert.equal(
    more.history.map((h) => h.loss),
    straight.history.map((h) => h.loss),
  );
  assert.equal(readdirSync(dir), ['step-000010.safetensors']);
});

test('an aborted run writes a final checkpoint that resumes where it stopped', async () => {
  const dir = tempDir();
  const controller = new AbortController();
  const stopped = await train({
    ...problem(),
    ...silent,
    maxSteps: 12,
    checkpoint: { dir, every: 5 },
    signal: controller.signal,
    onEvent: (e) => e.kind === 'step' && e.step === 7 && controller.abort(),
  });
  assert.is(stopped.stoppedBy, 'aborted');
  assert.equal(readdirSync(dir), ['step-000007.safetensors']);
  const resumed = await train({ ...problem(), ...silent, maxSteps: 12, checkpoint: { dir }, resume: true });
  const straight = await train({ ...problem(), ...silent, maxSteps: 12 });
  assert.equal(resumed.history, straight.history);
});

test('extraState is saved in checkpoints and handed back on resume', async () => {
  const dir = tempDir();
  let counter = 0;
  const extraState = { get: () => ({ counter }), set: (s: unknown) => (counter = (s as { counter: number }).counter) };
  const p = problem();
  await train({ ...p, ...silent, loss: (b, ctx) => (ctx.training && counter++, p.loss(b, ctx)), maxSteps: 5, checkpoint: { dir }, extraState });
  assert.is(counter, 5);
  counter = 0;
  const q = problem();
  await train({ ...q, ...silent, loss: (b, ctx) => (ctx.training && counter++, q.loss(b, ctx)), maxSteps: 8, checkpoint: { dir }, resume: true, extraState });
  assert.is(counter, 8, 'the resumed run continued the count from 5');
});

test('a fresh run refuses a directory that holds another run, and resume refuses a changed model', async () => {
  const dir = tempDir();
  await train({ ...problem(), ...silent, maxSteps: 2, checkpoint: { dir } });
  try {
    await train({ ...problem(), ...silent, maxSteps: 2, checkpoint: { dir } });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.match((error as Error).message, /already holds training files \(step-000002\.safetensors\); pass resume: true/);
  }
  try {
    const p = problem();
    class Wider extends cs.Module {
      mlp = p.model.mlp;
      extra = new cs.Dropout(0.1);
    }
    const model = new Wider();
    await train({ ...p, model, optimizer: new cs.AdamW(model.parameters()), ...silent, maxSteps: 4, checkpoint: { dir }, resume: true });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.match((error as Error).message, /random generators \(extra\.rng, mlp\.drop\.rng\) differ from the checkpoint's \(mlp\.drop\.rng\)/);
  }
  try {
    await train({ ...problem(), ...silent, maxSteps: 4, checkpoint: { dir }, resume: true, seed: 3 });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.match((error as Error).message, /trained with seed 0, the spec gives seed 3/);
  }
});

test('a NaN loss leaves the last good checkpoint untouched and names the step', async () => {
  const dir = tempDir();
  const p = problem();
  let saved: Buffer | null = null;
  try {
    await train({
      ...p,
      ...silent,
      loss: (b, ctx) => (ctx.step === 7 ? p.loss(b, ctx).mul(Infinity).sub(Infinity) : p.loss(b, ctx)),
      maxSteps: 20,
      checkpoint: { dir, every: 5 },
      onEvent: (e) => e.kind === 'checkpoint' && (saved = readFileSync(e.path)),
    });
    assert.unreachable('training should fail');
  } catch (error) {
    assert.instance(error, TrainingError);
    const e = error as TrainingError;
    assert.is(e.step, 8);
    assert.is(e.lastCheckpoint, join(dir, 'step-000005.safetensors'));
    assert.match(e.message, /loss is NaN at step 8 \(epoch 1\); the last good checkpoint is .*step-000005\.safetensors/);
  }
  assert.equal(readdirSync(dir), ['step-000005.safetensors'], 'no checkpoint written after the failure, no temp files');
  assert.ok(saved !== null && readFileSync(join(dir, 'step-000005.safetensors')).equals(saved));
});

test('weights that overflow in an update are never saved', async () => {
  const dir = tempDir();
  class One extends cs.Module {
    w = cs.parameter(new Float32Array([1]), [1]);
  }
  const model = new One();
  writeFileSync(join(dir, 'unrelated.txt'), 'kept');
  try {
    await train({
      model,
      optimizer: new cs.SGD(model.parameters(), { lr: 1e39 }),
      loss: () => model.w.sum(),
      trainBatches: () => [0],
      maxSteps: 3,
      checkpoint: { dir, every: 1 },
      progress: 'silent',
    });
    assert.unreachable('training should fail');
  } catch (error) {
    assert.instance(error, TrainingError);
    assert.is((error as TrainingError).reason, 'nonFiniteWeights');
    assert.match((error as Error).message, /^w holds non-finite values after the update at step 1 \(epoch 0\); no checkpoint was written$/);
  }
  assert.equal(readdirSync(dir), ['unrelated.txt']);
});

test.run();
