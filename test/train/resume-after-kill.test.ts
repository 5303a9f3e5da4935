/**
 * Resume after SIGKILL, for real: a child process trains with checkpoints every 6 steps and is
 * killed with SIGKILL mid-run after it has written one; a second child resumes from the newest
 * checkpoint. The losses of the killed run up to that checkpoint followed by the resumed run's
 * must equal an uninterrupted run's bit for bit, and so must the history and final weights.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const CHILD = 'test/train/fixtures/train-child.ts';
const MAX_STEPS = 40;

interface Message {
  kind: 'start' | 'step' | 'checkpoint' | 'end';
  step?: number;
  loss?: number;
  resumedFrom?: string | null;
  history?: unknown;
  weights?: number[];
}

interface ChildRun {
  messages: Message[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runChild(args: string[], onMessage?: (message: Message, child: ChildProcess) => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const messages: Message[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffered.slice(0, newline)) as Message;
        buffered = buffered.slice(newline + 1);
        messages.push(message);
        onMessage?.(message, child);
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A hung child fails the test instead of stalling the suite.
    const timer = setTimeout(() => {
      stderr += '\n(killed by the test after 60 s)';
      child.kill('SIGKILL');
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ messages, code, signal, stderr });
    });
  });
}

const losses = (run: ChildRun) => run.messages.filter((m) => m.kind === 'step').map((m) => ({ step: m.step!, loss: m.loss! }));
const end = (run: ChildRun) => run.messages.find((m) => m.kind === 'end');

const dirs: string[] = [];
test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a run killed with SIGKILL resumes from its last checkpoint with bit-identical losses', async () => {
  const root = mkdtempSync(join(tmpdir(), 'chronoscale-kill-'));
  dirs.push(root);
  const [uninterrupted, killed] = await Promise.all([
    runChild(['--dir', join(root, 'whole')]),
    runChild(['--dir', join(root, 'killed'), '--delay-ms', '25'], (message, child) => {
      if (message.kind === 'checkpoint' && message.step! >= 12 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    }),
  ]);
  assert.is(uninterrupted.code, 0, uninterrupted.stderr);
  assert.is(killed.signal, 'SIGKILL', `the child was killed, not finished: ${killed.stderr}`);
  assert.not.ok(end(killed), 'the killed run did not reach its end');
  assert.ok(losses(killed).length < MAX_STEPS);

  const resumed = await runChild(['--dir', join(root, 'killed'), '--resume']);
  assert.is(resumed.code, 0, resumed.stderr);
  const start = resumed.messages[0];
  assert.is(start.kind, 'start');
  assert.ok(start.step! >= 12 && start.step! % 6 === 0, `resumed from step ${start.step}`);
  assert.match(start.resumedFrom!, /step-0000\d\d\.safetensors$/);

  const combined = [...losses(killed).filter((l) => l.step <= start.step!), ...losses(resumed)];
  assert.equal(
    combined.map((l) => l.step),
    Array.from({ length: MAX_STEPS }, (_, i) => i + 1),
    'every step once',
  );
  assert.equal(combined, losses(uninterrupted), 'the same losses, bit for bit');
  assert.equal(end(resumed)!.history, end(uninterrupted)!.history);
  assert.equal(end(resumed)!.weights, end(uninterrupted)!.weights);
  assert.equal(
    readdirSync(join(root, 'killed')).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp files left behind',
  );
});

test.run();
