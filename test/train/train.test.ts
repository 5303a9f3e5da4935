/**
 * The training loop: determinism, how steps and epochs bound a run, schedules, clipping,
 * evaluation cadence, early stopping with restore-best, events, abort, spec errors and NaN
 * detection. Checkpoints and progress output have their own files.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { train, TrainingError, type TrainEvent, type TrainSpec } from '../../src/train/index.ts';
import { problem, weights, type Batch } from './fixtures/problem.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

const silent = { progress: 'silent' } as const;
const losses = (r: { history: { loss: number }[] }) => r.history.map((h) => h.loss);

test('two runs from the same spec and seed give bit-identical losses and weights', async () => {
  const run = async (seed: number) => {
    const p = problem({ dropout: 0.2 });
    const result = await train({ ...p, ...silent, maxSteps: 24, evalEvery: 5, seed });
    return { losses: losses(result), weights: weights(p.model), validation: result.history.map((h) => h.validation ?? null) };
  };
  const first = await run(3);
  const second = await run(3);
  assert.equal(second.losses, first.losses);
  assert.equal(second.weights, first.weights);
  assert.equal(second.validation, first.validation);
  const other = await run(4);
  assert.not.equal(other.losses, first.losses, 'another seed shuffles the batches differently');
});

test('maxSteps stops mid-epoch and counts only completed epochs', async () => {
  const result = await train({ ...problem(), ...silent, maxSteps: 10 });
  assert.is(result.stoppedBy, 'maxSteps');
  assert.is(result.steps, 10);
  assert.is(result.epochs, 2, '32 samples in batches of 8: 4 steps per epoch, 10 steps = 2 full passes');
  assert.equal(
    result.history.map((h) => h.epoch),
    [0, 0, 0, 0, 1, 1, 1, 1, 2, 2],
  );
  assert.equal(
    result.history.map((h) => h.step),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});

test('maxEpochs runs whole passes, and with maxSteps the earlier bound wins', async () => {
  const epochs = await train({ ...problem(), ...silent, maxEpochs: 3 });
  assert.is(epochs.stoppedBy, 'maxEpochs');
  assert.is(epochs.steps, 12);
  assert.is(epochs.epochs, 3);
  const both = await train({ ...problem(), ...silent, maxEpochs: 3, maxSteps: 7 });
  assert.is(both.stoppedBy, 'maxSteps');
  assert.is(both.steps, 7);
  const stepsLater = await train({ ...problem(), ...silent, maxEpochs: 2, maxSteps: 100 });
  assert.is(stepsLater.stoppedBy, 'maxEpochs');
  assert.is(stepsLater.steps, 8);
});

test('the schedule sets the learning rate of every step', async () => {
  const schedule = cs.warmupCosine({ warmupSteps: 3, totalSteps: 12, minFactor: 0.1 });
  const result = await train({ ...problem({ lr: 0.02 }), ...silent, maxSteps: 12, schedule });
  assert.equal(
    result.history.map((h) => h.lr),
    Array.from({ length: 12 }, (_, i) => 0.02 * schedule(i)),
  );
  const p = problem();
  const before = weights(p.model);
  await train({ ...p, ...silent, maxSteps: 3, schedule: () => 0 });
  assert.equal(weights(p.model), before, 'a zero learning rate leaves the weights unchanged');
});

test('clipping scales the gradient to the global norm before the update', async () => {
  const p = problem();
  p.optimizer = new cs.SGD(p.model.parameters(), { lr: 1 });
  const before = weights(p.model);
  const norms: number[] = [];
  await train({ ...p, ...silent, maxSteps: 1, clipGradNorm: 1e-3, onEvent: (e) => e.kind === 'step' && norms.push(e.gradNorm!) });
  assert.ok(norms[0] > 1e-2, `the raw gradient norm ${norms[0]} is well above the limit`);
  const moved = Math.sqrt(weights(p.model).reduce((s, w, i) => s + (w - before[i]) ** 2, 0));
  assert.ok(Math.abs(moved - 1e-3) < 1e-5, `SGD with lr 1 moved the weights by the clipped norm: ${moved}`);
});

/** A loss whose validation values follow a script, indexed by the evaluation's step. */
function scriptedValidation(p: ReturnType<typeof problem>, script: Record<number, number>): TrainSpec<Batch>['loss'] {
  return (b, ctx) => (ctx.training ? p.loss(b, ctx) : cs.scalar(script[ctx.step]));
}

test('early stopping stops after patience evaluations without improvement and restores the best weights', async () => {
  const p = problem();
  const snapshots = new Map<number, number[]>();
  const events: TrainEvent[] = [];
  const result = await train({
    ...p,
    ...silent,
    loss: scriptedValidation(p, { 4: 1.0, 8: 0.5, 12: 0.7, 16: 0.45, 20: 0.6 }),
    maxSteps: 100,
    evalEvery: 4,
    earlyStopping: { patience: 3, minDelta: 0.1 },
    onEvent: (e) => {
      events.push(e);
      if (e.kind === 'evaluation') snapshots.set(e.step, weights(p.model));
    },
  });
  assert.is(result.stoppedBy, 'earlyStopping');
  assert.is(result.steps, 20, '0.45 at step 16 is not better than 0.5 by minDelta 0.1; the third stale evaluation stops');
  assert.is(result.bestStep, 8);
  assert.is(result.bestValidation, 0.5);
  assert.ok(result.restoredBest);
  assert.equal(weights(p.model), snapshots.get(8), 'the model holds the weights of step 8');
  assert.equal(
    events.filter((e) => e.kind === 'evaluation').map((e) => (e as { stale: number }).stale),
    [0, 0, 1, 2, 3],
  );
  assert.equal(events.filter((e) => e.kind === 'earlyStop').length, 1);

  const q = problem();
  const kept = await train({
    ...q,
    ...silent,
    loss: scriptedValidation(q, { 4: 1, 8: 2 }),
    maxSteps: 100,
    evalEvery: 4,
    earlyStopping: { patience: 1, restoreBest: false },
  });
  assert.is(kept.steps, 8);
  assert.not.ok(kept.restoredBest);
});

test('with restore-best, a budget that ends between validations validates the final weights before choosing', async () => {
  // Ten steps, validation every 4: steps 4 and 8 by the cadence, step 10 because the budget ends there.
  const run = async (atEnd: number) => {
    const p = problem();
    const snapshots = new Map<number, number[]>();
    const result = await train({
      ...p,
      ...silent,
      loss: scriptedValidation(p, { 4: 1.0, 8: 0.8, 10: atEnd }),
      maxSteps: 10,
      evalEvery: 4,
      earlyStopping: { patience: 5 },
      onEvent: (e) => {
        if (e.kind === 'evaluation') snapshots.set(e.step, weights(p.model));
      },
    });
    return { result, snapshots, final: weights(p.model) };
  };
  const better = await run(0.3);
  assert.equal([...better.snapshots.keys()], [4, 8, 10]);
  assert.is(better.result.bestStep, 10, 'the last two steps improved on step 8, so the final weights are kept');
  assert.equal(better.final, better.snapshots.get(10));
  const worse = await run(0.9);
  assert.is(worse.result.bestStep, 8);
  assert.equal(worse.final, worse.snapshots.get(8), 'worse final weights give way to the best');
});

test('reduceLrOnPlateau cuts the learning rate after patience stale evaluations, on top of the schedule', async () => {
  const p = problem();
  const result = await train({
    ...p,
    ...silent,
    loss: scriptedValidation(p, { 4: 1, 8: 1, 12: 1, 16: 0.5 }),
    maxSteps: 18,
    evalEvery: 4,
    schedule: (step) => (step < 2 ? 0.5 : 1),
    reduceLrOnPlateau: { patience: 1, factor: 0.25 },
  });
  const lrs = result.history.map((h) => h.lr);
  assert.equal(lrs.slice(0, 2), [0.005, 0.005]);
  assert.equal(lrs.slice(2, 12), Array(10).fill(0.01), 'one stale evaluation (step 8) is within patience');
  assert.equal(lrs.slice(12), Array(6).fill(0.0025), 'the second (step 12) cuts the rate by 4');
});

test('evaluation runs every evalEvery steps, or at each epoch end by default', async () => {
  const stepsOf = (r: { history: { step: number; validation?: number }[] }) => r.history.filter((h) => h.validation !== undefined).map((h) => h.step);
  assert.equal(stepsOf(await train({ ...problem(), ...silent, maxSteps: 10, evalEvery: 3 })), [3, 6, 9]);
  assert.equal(stepsOf(await train({ ...problem(), ...silent, maxSteps: 10 })), [4, 8]);
  assert.equal(stepsOf(await train({ ...problem(), ...silent, maxSteps: 10, validationBatches: undefined })), []);
});

test('validation leaves training randomness untouched', async () => {
  const run = async (evalEvery: number | undefined) => {
    const p = problem({ dropout: 0.3 });
    cs.manualSeed(5);
    // Both the training and the validation loss draw from the global generator.
    const loss: TrainSpec<Batch>['loss'] = (b, ctx) =>
      p
        .loss(b, ctx)
        .add(cs.randn([], cs.globalRandom, { std: 1e-3 }))
        .add(cs.randn([], ctx.rng, { std: 1e-3 }));
    return losses(await train({ ...p, ...silent, loss, maxSteps: 12, evalEvery, validationBatches: evalEvery ? p.validationBatches : undefined }));
  };
  assert.equal(await run(2), await run(undefined));
});

test('events arrive in order and report steps and epochs', async () => {
  const kinds: string[] = [];
  const steps: [number, number, number][] = [];
  await train({
    ...problem(),
    ...silent,
    maxSteps: 6,
    onEvent: (e) => {
      kinds.push(e.kind);
      if (e.kind === 'step') steps.push([e.step, e.epoch, e.batch]);
    },
  });
  assert.equal(kinds, ['start', 'step', 'step', 'step', 'step', 'evaluation', 'epochEnd', 'step', 'step', 'end']);
  assert.equal(steps, [
    [1, 0, 1],
    [2, 0, 2],
    [3, 0, 3],
    [4, 0, 4],
    [5, 1, 1],
    [6, 1, 2],
  ]);
});

test('an abort stops the run cleanly after the current step', async () => {
  const controller = new AbortController();
  const result = await train({
    ...problem(),
    ...silent,
    maxSteps: 50,
    signal: controller.signal,
    onEvent: (e) => e.kind === 'step' && e.step === 5 && controller.abort(),
  });
  assert.is(result.stoppedBy, 'aborted');
  assert.is(result.steps, 5);
  const before = await train({ ...problem(), ...silent, maxSteps: 50, signal: AbortSignal.abort() });
  assert.is(before.steps, 0);
  assert.is(before.stoppedBy, 'aborted');
});

test('bad specs fail before training with messages that name the field', async () => {
  const p = problem();
  const rejects = async (spec: Partial<TrainSpec<Batch>>, pattern: RegExp) => {
    try {
      await train({ ...p, ...silent, ...spec } as TrainSpec<Batch>);
    } catch (error) {
      assert.match((error as Error).message, pattern);
      return;
    }
    assert.unreachable(`expected ${pattern}`);
  };
  await rejects({}, /maxSteps, maxEpochs or both/);
  await rejects({ maxSteps: 0 }, /maxSteps must be a positive integer/);
  await rejects({ maxEpochs: 1.5 }, /maxEpochs must be a positive integer/);
  await rejects({ maxSteps: 5, validationBatches: undefined, earlyStopping: { patience: 2 } }, /earlyStopping needs validationBatches/);
  await rejects({ maxSteps: 5, validationBatches: undefined, evalEvery: 2 }, /evalEvery needs validationBatches/);
  await rejects({ maxSteps: 5, earlyStopping: { patience: 0 } }, /patience must be a positive integer/);
  await rejects({ maxSteps: 5, clipGradNorm: -1 }, /clipGradNorm must be a positive number/);
  await rejects({ maxSteps: 5, resume: true }, /resume: true needs checkpoint.dir/);
  await rejects({ maxSteps: 5, progress: 'loud' as never }, /progress must be one of/);
  await rejects({ maxSteps: 5, optimizer: {} as never }, /optimizer must be an Optimizer/);
  await rejects({ maxSteps: 5, trainBatches: () => [] }, /trainBatches\(0\) yielded no batches at step 1 \(epoch 0\)/);
  await rejects({ maxSteps: 5, validationBatches: () => [] }, /validationBatches\(\) yielded no batches/);
  await rejects({ maxSteps: 5, loss: () => cs.zeros([2]) }, /one-element Tensor/);
  try {
    await train({ ...p, ...silent, maxSteps: 5, trainBatches: () => [] });
    assert.unreachable('an empty epoch should fail');
  } catch (error) {
    assert.instance(error, TrainingError);
    assert.is((error as TrainingError).reason, 'emptyEpoch');
  }
});

test('a NaN loss stops training with a TrainingError naming the step, before the update', async () => {
  const p = problem();
  let afterSix: number[] = [];
  const loss: TrainSpec<Batch>['loss'] = (b, ctx) => (ctx.step === 6 ? p.loss(b, ctx).mul(NaN) : p.loss(b, ctx));
  try {
    await train({ ...p, ...silent, loss, maxSteps: 20, onEvent: (e) => e.kind === 'step' && e.step === 6 && (afterSix = weights(p.model)) });
    assert.unreachable('training should fail');
  } catch (error) {
    assert.instance(error, TrainingError);
    const e = error as TrainingError;
    assert.is(e.reason, 'nonFiniteLoss');
    assert.is(e.step, 7);
    assert.is(e.epoch, 1);
    assert.match(e.message, /loss is NaN at step 7 \(epoch 1\)/);
  }
  assert.equal(weights(p.model), afterSix, 'the failed update was not applied');
});

test.run();
