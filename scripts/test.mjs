#!/usr/bin/env node
/**
 * The test command. Runs every test/**\/*.test.ts file in its own process (the engine keeps
 * process-wide state: backend, eager mode, worker threads), two at a time, prints each file's
 * result and failures, and ends with the line `N passed, N failed` (`, N skipped`). Exits
 * non-zero on any failure, including a file that crashed or timed out.
 *
 * Usage: node scripts/test.mjs [substring ...]   (only files whose path contains a substring)
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filters = process.argv.slice(2);
const concurrency = Math.max(1, Math.min(2, os.availableParallelism()));
const fileTimeoutMs = 20 * 60 * 1000;

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = findTests(path.join(root, 'test'))
  .map((f) => path.relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(timed out after ${fileTimeoutMs / 60000} minutes)\n`;
      child.kill('SIGKILL');
    }, fileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const count = (label) => Number(output.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? NaN);
      const total = count('Total');
      const passed = count('Passed');
      const skipped = count('Skipped') || 0;
      const crashed = Number.isNaN(total) || Number.isNaN(passed);
      resolve({
        file,
        passed: crashed ? 0 : passed,
        failed: crashed ? 1 : total - passed - skipped + (code !== 0 && total === passed + skipped ? 1 : 0),
        skipped: crashed ? 0 : skipped,
        seconds: (Date.now() - started) / 1000,
        output,
      });
    });
  });
}

const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < files.length) {
      const result = await runFile(files[next++]);
      results.push(result);
      const mark = result.failed > 0 ? 'FAIL' : 'ok  ';
      console.log(
        `${mark} ${result.file}  ${result.passed} passed${result.skipped ? `, ${result.skipped} skipped` : ''}${result.failed ? `, ${result.failed} failed` : ''}  (${result.seconds.toFixed(1)} s)`,
      );
      // Lines a test prints starting with "note:" (e.g. a skip for missing ../shared data) stay visible.
      for (const line of result.output.split('\n')) if (/^note:/i.test(line.trim())) console.log(`     ${line.trim()}`);
      if (result.failed > 0) console.log(result.output.replace(/^/gm, '     | '));
    }
  }),
);

const sum = (key) => results.reduce((n, r) => n + r[key], 0);
const passed = sum('passed');
const failed = sum('failed');
const skipped = sum('skipped');
if (files.length === 0) console.log('no test files matched');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
