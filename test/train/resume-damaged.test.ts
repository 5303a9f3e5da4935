/**
 * Resume with a damaged newest checkpoint (cut short, as by a full disk or a partial copy):
 * `resume: true` falls back to the newest intact one, moves the damaged one aside, says so in
 * the progress output and the result, and continues with the losses of an uninterrupted run.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as cs from '../../src/index.ts';
import { train } from '../../src/train/index.ts';
import { tempDirs } from '../helpers/temp-dirs.ts';
import { problem } from './fixtures/problem.ts';

const { make: tempDir, removeAll } = tempDirs('chronoscale-resume');

test.before(async () => {
  await cs.init({ name: 'webasm', threads: 2 });
});
test.after(async () => {
  removeAll();
  await cs.shutdown();
});

/** Keeps the first half of a file's bytes. */
const truncate = (file: string) => writeFileSync(file, readFileSync(file).subarray(0, Math.floor(readFileSync(file).length / 2)));

test('a truncated newest checkpoint is skipped, reported and moved aside; the run resumes from the one before', async () => {
  const dir = tempDir();
  await train({ ...problem(), progress: 'silent', maxSteps: 9, checkpoint: { dir, every: 3, keepLast: 3 } });
  const newest = join(dir, 'step-000009.safetensors');
  truncate(newest);
  let printed = '';
  const resumed = await train({
    ...problem(),
    progress: 'lines',
    output: { write: (text: string) => (printed += text) },
    maxSteps: 12,
    checkpoint: { dir, every: 3, keepLast: 3 },
    resume: true,
  });
  assert.is(resumed.resumedFrom, join(dir, 'step-000006.safetensors'));
  assert.equal(
    resumed.skippedCheckpoints.map((s) => s.path),
    [newest],
  );
  assert.match(resumed.skippedCheckpoints[0].reason, /truncated/);
  assert.match(printed, /skipped damaged checkpoint \S*step-000009\.safetensors \(.*truncated.*\), renamed to \S*step-000009\.safetensors\.damaged/);
  assert.ok(existsSync(`${newest}.damaged`), 'the damaged file is kept for inspection');
  const straight = await train({ ...problem(), progress: 'silent', maxSteps: 12 });
  assert.equal(
    resumed.history.map((h) => h.loss),
    straight.history.map((h) => h.loss),
  );
  assert.ok(readdirSync(dir).includes('step-000012.safetensors'));
});

test('when every checkpoint is damaged, resume fails naming them and renames nothing', async () => {
  const dir = tempDir();
  await train({ ...problem(), progress: 'silent', maxSteps: 4, checkpoint: { dir, every: 2, keepLast: 2 } });
  for (const name of readdirSync(dir)) truncate(join(dir, name));
  try {
    await train({ ...problem(), progress: 'silent', maxSteps: 6, checkpoint: { dir }, resume: true });
    assert.unreachable('resumed from damaged checkpoints');
  } catch (error) {
    assert.match((error as Error).message, /resume: every checkpoint in \S+ is damaged \(\S*step-000004\.safetensors: .*step-000002\.safetensors: /);
  }
  assert.equal(readdirSync(dir).sort(), ['step-000002.safetensors', 'step-000004.safetensors']);
});

test.run();
