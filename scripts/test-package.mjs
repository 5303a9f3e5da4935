#!/usr/bin/env node
/**
 * npm run test:package: the package as a user gets it. Packs the repository (npm pack runs the
 * build), installs the tarball into a scratch project in a temp folder (npm install from the
 * file; its dependencies come from the registry or npm's cache), then there
 *   1. runs scripts/package-check/app.mjs with plain `node`: fits and predicts a small forecast
 *      from `chronoscale` and uses `chronoscale/engine`, checking the numbers are finite;
 *   2. runs the installed CLI (compiled code, no tsx): `--help`, and `info`, which must report
 *      the WebAssembly fast paths loaded from the package;
 *   3. type-checks scripts/package-check/consumer.ts, which imports every entry, against the
 *      installed .d.ts with the tsconfig beside it (strict NodeNext, noUncheckedIndexedAccess,
 *      exactOptionalPropertyTypes, skipLibCheck off, no DOM lib), using this repository's tsc.
 * Prints one `ok`/`FAIL` line per step; exits non-zero on the first failure. The temp folder is
 * removed unless CHRONOSCALE_KEEP_PACKAGE_CHECK=1.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = path.join(root, 'scripts/package-check');
const require = createRequire(import.meta.url);
const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin/tsc');
const typesNode = require('@types/node/package.json').version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'chronoscale-package-'));

/** Runs a command in `cwd`; on failure prints its output and exits 1 naming the step. */
function step(name, file, args, cwd) {
  const started = Date.now();
  try {
    const output = execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    console.log(`ok   ${name}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return output;
  } catch (error) {
    console.log(`FAIL ${name}\n${`${error.stdout ?? ''}${error.stderr ?? ''}`.replace(/^/gm, '     | ')}`);
    console.log(`(scratch project kept at ${scratch})`);
    process.exit(1);
  }
}

step('npm pack (builds dist/)', npm, ['pack', '--pack-destination', scratch, '--silent'], root);
const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
const consumer = path.join(scratch, 'consumer');
mkdirSync(consumer);
writeFileSync(path.join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
for (const file of ['app.mjs', 'consumer.ts', 'tsconfig.json']) copyFileSync(path.join(fixtures, file), path.join(consumer, file));

step(
  `npm install ${tarball}`,
  npm,
  ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error', `../${tarball}`, `@types/node@${typesNode}`],
  consumer,
);
const app = step('node app.mjs (fit and predict from the installed package)', process.execPath, ['app.mjs'], consumer);
console.log(app.trimEnd().replace(/^/gm, '     '));
const help = step('npx chronoscale --help (the compiled CLI)', npm, ['exec', '--', 'chronoscale', '--help'], consumer);
const info = step('npx chronoscale info', npm, ['exec', '--', 'chronoscale', 'info'], consumer);
// The WebAssembly kernels ship in dist/build/wasm; without them info says "fast paths: off".
for (const [name, output, pattern] of [
  ['--help', help, /^Commands:/m],
  ['info', info, /wasm fast paths: on/],
]) {
  if (!pattern.test(output)) {
    console.log(`FAIL chronoscale ${name} does not print ${pattern}:\n${output}`);
    process.exit(1);
  }
}
step(
  'tsc on consumer.ts (strict NodeNext, noUncheckedIndexedAccess, exactOptionalPropertyTypes, no skipLibCheck, no DOM)',
  process.execPath,
  [tsc, '-p', 'tsconfig.json'],
  consumer,
);

if (process.env.CHRONOSCALE_KEEP_PACKAGE_CHECK !== '1') rmSync(scratch, { recursive: true, force: true });
console.log('package check passed');
