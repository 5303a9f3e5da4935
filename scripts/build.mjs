#!/usr/bin/env node
/**
 * The package build (npm run build; npm pack runs it first): compiles index.ts, src/, kernels/,
 * models/ and cli/ to dist/ (ESM JavaScript, .d.ts, source maps carrying their TypeScript) with
 * tsconfig.build.json, and copies the WebAssembly kernels to dist/build/wasm, where the compiled
 * kernels/wasm/runtime.js looks for them (`../../build/wasm` from its own file, as in the sources).
 * Development does not need it: tests, examples and the CLI run the TypeScript through tsx.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

run(['scripts/build-wasm.mjs', '--if-stale']);
rmSync(`${root}dist`, { recursive: true, force: true });
// The repository's own TypeScript compiler (the native tsc of TypeScript 7).
run([path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc'), '-p', 'tsconfig.build.json']);
mkdirSync(`${root}dist/build/wasm`, { recursive: true });
for (const name of ['kernels.wasm', 'kernels-relaxed.wasm']) {
  const from = `${root}build/wasm/${name}`;
  if (!existsSync(from)) throw new Error(`build: ${from} is missing: run "npm run build:wasm"`);
  copyFileSync(from, `${root}dist/build/wasm/${name}`);
}
console.log('build: wrote dist/');
