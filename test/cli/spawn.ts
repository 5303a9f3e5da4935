/**
 * Running the command line and the examples as a user does: a child `node` process from the
 * repository root, output captured, the environment made plain (no colours, no quick-mode
 * leaks between tests).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dataDir = path.resolve(root, '../shared/data/forecasting');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `node ...args` in the repository root; resolves when it exits (killed after `timeoutMs`). */
export function runNode(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CHRONOSCALE_EXAMPLE_QUICK: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** `node bin/chronoscale.js ...args`. */
export function chronoscale(...args: string[]): Promise<Ran> {
  return runNode(['bin/chronoscale.js', ...args]);
}

/** Maps over items two at a time (the test machines have two cores). */
export async function twoAtATime<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}
