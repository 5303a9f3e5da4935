/**
 * biome.jsonc keeps promise mistakes as lint errors: Biome, run with the repository's
 * configuration on files made in a temporary folder, fails on an unawaited promise and on a
 * promise used as a condition, and passes the same code written correctly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const biome = path.join(repo, 'node_modules', '.bin', 'biome');

/** Lints one src/ file under the repository's configuration; the rule names it was reported under. */
function lint(source: string): { status: number | null; rules: string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'chronoscale-lint-'));
  try {
    for (const file of ['biome.jsonc', '.gitignore']) copyFileSync(path.join(repo, file), path.join(root, file));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src', 'sample.ts'), source);
    const run = spawnSync(biome, ['lint', '--reporter=github', '.'], { cwd: root, encoding: 'utf8' });
    const rules = [...run.stdout.matchAll(/title=lint\/\w+\/(\w+),.*?line=(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    return { status: run.status, rules };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const helpers = 'async function save(): Promise<number> {\n  return 1;\n}\n';

test('an unawaited promise-returning call is a lint error', () => {
  const { status, rules } = lint(`${helpers}export function run(): void {\n  save();\n}\n`);
  assert.equal(rules, ['noFloatingPromises:5']);
  assert.is(status, 1);
});

test('a promise used as a condition is a lint error', () => {
  const { status, rules } = lint(`${helpers}export function run(): number {\n  return save() ? 1 : 0;\n}\n`);
  assert.equal(rules, ['noMisusedPromises:5']);
  assert.is(status, 1);
});

test('awaited, caught and deliberately voided promises pass', () => {
  const { status, rules } = lint(`${helpers}export async function run(): Promise<void> {\n  await save();\n  save().catch(() => {});\n  void save();\n}\n`);
  assert.equal(rules, []);
  assert.is(status, 0);
});

test.run();
