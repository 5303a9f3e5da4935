/**
 * Progress output: structured lines off a terminal, one redrawn bar on a terminal, nothing when
 * silent, and totals only when they are known.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { train, type ProgressOutput } from '../../src/train/index.ts';
import { formatLr, formatSeconds, formatValue } from '../../src/train/progress.ts';
import { problem, type Batch } from './fixtures/problem.ts';

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(() => cs.shutdown());

function capture(isTTY = false): ProgressOutput & { text: () => string; writes: string[] } {
  const writes: string[] = [];
  return { write: (s: string) => writes.push(s), isTTY, columns: 120, writes, text: () => writes.join('') };
}

const LINE = /^step=(\d+)\/40 epoch=(\d+)\/10 loss=\d\.\d{3}\d* lr=\d\.\de-\d+ steps\/s=[\d.]+ eta=\d+s$/;

test('lines mode writes one structured line per logEvery steps, then a closing line', async () => {
  const out = capture();
  await train({ ...problem(), validationBatches: undefined, maxEpochs: 10, progress: 'lines', logEvery: 10, output: out });
  const lines = out.text().trimEnd().split('\n');
  assert.is(lines.length, 5, lines.join('\n'));
  assert.equal(
    lines.slice(0, 4).map((l) => LINE.exec(l)?.[1]),
    ['10', '20', '30', '40'],
    lines.join('\n'),
  );
  assert.equal(
    lines.slice(0, 4).map((l) => LINE.exec(l)?.[2]),
    ['3', '5', '8', '10'],
    'epochs are shown 1-based out of maxEpochs',
  );
  assert.match(lines[4], /^done stopped_by=maxEpochs steps=40 epochs=10 seconds=\d+\.\d$/);
  assert.not.match(out.text(), /\r/);
});

test('auto mode prints lines off a terminal, with evaluations on their own lines', async () => {
  const out = capture(false);
  await train({ ...problem(), maxSteps: 8, progress: 'auto', logEvery: 4, output: out });
  const lines = out.text().trimEnd().split('\n');
  assert.match(lines[0], /^step=4\/8 epoch=1 loss=/);
  assert.match(lines[1], /^step=4\/8 epoch=1 validation=\d\.\d+ best=\d\.\d+$/);
  assert.match(lines.at(-1)!, /^done stopped_by=maxSteps steps=8 epochs=2 best_validation=\d\.\d+ seconds=/);
});

test('totals that are not known yet are left out, never printed negative', async () => {
  const out = capture();
  const p = problem();
  // A generator hides the epoch length until the first epoch ends.
  const trainBatches = function* (epoch: number, rng: cs.Random): Generator<Batch> {
    yield* p.trainBatches(epoch, rng);
  };
  await train({ ...p, trainBatches, validationBatches: undefined, maxEpochs: 3, progress: 'lines', logEvery: 2, output: out });
  const lines = out.text().split('\n');
  assert.match(lines[0], /^step=2 epoch=1\/3 loss=\S+ lr=\S+ steps\/s=\S+$/, 'no total and no eta before the epoch length is known');
  assert.match(lines[2], /^step=6\/12 epoch=2\/3 .* eta=\d+s$/);
  assert.not.match(out.text(), /[=/]-/);
});

test('bar mode redraws a single line with carriage returns on a terminal', async () => {
  const out = capture(true);
  await train({ ...problem(), validationBatches: undefined, maxSteps: 30, progress: 'auto', output: out });
  const text = out.text();
  assert.ok(out.writes.filter((w) => w.startsWith('\r')).length >= 2, 'the bar is drawn and redrawn');
  assert.is(text.split('\n').length, 3, 'one newline ends the bar, one ends the closing line');
  const final = text.split('\n')[0].split('\r').at(-1)!;
  assert.match(final, /^100% \[#{20}\] 30\/30 epoch 8 loss \d\.\d+ lr 1\.0e-2 [\d.]+ steps\/s eta 0s\x1b\[K$/);
  for (const w of out.writes) for (const line of w.split('\n')) assert.ok(line.replace(/\x1b\[K/g, '').length <= 120, 'drawn within the terminal width');
});

test('silent mode writes nothing', async () => {
  const out = capture(true);
  await train({ ...problem(), maxSteps: 6, progress: 'silent', output: out });
  assert.is(out.writes.length, 0);
});

test('numbers are formatted compactly', () => {
  assert.is(formatValue(0.123456), '0.1235');
  assert.is(formatValue(12345.6), '1.235e+4');
  assert.is(formatValue(0.00001234), '1.234e-5');
  assert.is(formatLr(0.001), '1.0e-3');
  assert.is(formatSeconds(65), '65s');
  assert.is(formatSeconds(725), '12m05s');
  assert.is(formatSeconds(3725), '1h02m');
  assert.is(formatSeconds(NaN), '?');
});

test.run();
