#!/usr/bin/env node
/**
 * npm run docs: the API reference in docs/api/, generated from the package's declarations.
 * Builds dist/ (npm run build), runs API Extractor (@microsoft/api-extractor, which brings its
 * own TypeScript and reads the emitted .d.ts) on each package entry to a doc model, then API
 * Documenter turns the models into Markdown, one page per exported name. API Extractor takes one
 * entry per package, so each subpath is modelled as a package of its own, named with a dash:
 * `chronoscale-engine` documents `chronoscale/engine`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const { version, exports } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(path.join(os.tmpdir(), 'chronoscale-docs-'));
const models = path.join(work, 'models');
mkdirSync(models);

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
for (const [subpath, target] of Object.entries(exports)) {
  if (typeof target === 'string') continue; // ./package.json
  const name = subpath === '.' ? 'chronoscale' : `chronoscale-${subpath.slice(2)}`;
  const project = path.join(work, name);
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name, version }));
  const config = {
    projectFolder: project,
    mainEntryPointFilePath: path.join(root, target.types),
    bundledPackages: [],
    compiler: {
      overrideTsconfig: {
        compilerOptions: {
          lib: ['ES2023'],
          types: ['node'],
          typeRoots: [path.join(root, 'node_modules/@types')],
          skipLibCheck: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
        },
        files: [path.join(root, target.types)],
      },
    },
    apiReport: { enabled: false },
    docModel: { enabled: true, apiJsonFilePath: path.join(models, `${name}.api.json`) },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      // Types reachable from an entry but exported by none (a model's network, a helper's
      // options) are documented where they are used; TSDoc style nits are not errors here.
      extractorMessageReporting: { default: { logLevel: 'none' }, 'ae-forgotten-export': { logLevel: 'none' }, 'ae-missing-release-tag': { logLevel: 'none' } },
      tsdocMessageReporting: { default: { logLevel: 'none' } },
      compilerMessageReporting: { default: { logLevel: 'warning' } },
    },
  };
  const file = path.join(project, 'api-extractor.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  execFileSync(bin('api-extractor'), ['run', '--local', '--config', file], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
const out = path.join(root, 'docs/api');
rmSync(out, { recursive: true, force: true });
execFileSync(bin('api-documenter'), ['markdown', '--input-folder', models, '--output-folder', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
rmSync(work, { recursive: true, force: true });
console.log(`docs: wrote ${readdirSync(out).length} pages to docs/api/ (start at docs/api/index.md)`);
