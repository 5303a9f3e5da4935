#!/usr/bin/env node
/**
 * The import direction, checked by a rule rather than by memory:
 *
 *   kernels/  <-  src/  <-  models/  <-  index.ts (the package)  <-  cli/, benchmarks/, examples/
 *
 * Each source file's imports (static, `export ... from`, side-effect and literal dynamic
 * `import('...')`, type-only included) are resolved to the top-level folder they land in, and
 * checked against ALLOWED below. The package's entry files at the top level (index.ts and any
 * subpath entry beside it) and self-references (`chronoscale`, `chronoscale/...`) count as the
 * layer `package`; a relative import landing in a folder not in ALLOWED is reported, so a new
 * top-level folder gets a row in the table. Prints one line per violation,
 * `file:line imports SPEC: layer A may not import layer B`, and exits 1 if there is any.
 *
 * Usage: node scripts/check-imports.mjs [--root DIR]   (DIR defaults to the repository root)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'chronoscale';
const ENGINE = ['kernels', 'src', 'models', 'package'];
const EVERYTHING = ['kernels', 'src', 'models', 'package', 'cli', 'benchmarks', 'examples', 'bin', 'scripts', 'test'];

/** Which layers each layer may import; a layer always may import itself. `package` is index.ts. */
export const ALLOWED = {
  kernels: [],
  src: ['kernels'],
  models: ['kernels', 'src'],
  package: ['kernels', 'src', 'models'],
  cli: ENGINE,
  // benchmarks and examples may use the CLI's helpers, never each other; nothing may use them.
  benchmarks: [...ENGINE, 'cli'],
  examples: [...ENGINE, 'cli'],
  // bin runs the compiled package (dist/, build output, not scanned) where there are no sources.
  bin: [...ENGINE, 'cli', 'dist'],
  dist: [],
  scripts: ENGINE,
  test: EVERYTHING,
};

const SOURCE = /\.(ts|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'build', 'dist', '.git']);

/** The layer of a repository-relative path: its top-level folder, `package` for a top-level source file, else null. */
export function layerOf(relativePath) {
  const parts = relativePath.split(/[\\/]/);
  if (parts.length === 1) return SOURCE.test(parts[0]) ? 'package' : null;
  return parts[0] in ALLOWED && parts[0] !== 'package' ? parts[0] : null;
}

/**
 * The source with comments and template-literal text replaced by spaces (newlines kept, so
 * offsets and line numbers still match), so that `import(...)` in a TSDoc example or in
 * generated code inside a template string is not taken for an import.
 */
export function blankCommentsAndTemplates(text) {
  const out = text.split('');
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

const IMPORT_PATTERNS = [
  // import x from '...'; import type { A, B as C } from '...'; export * as ns from '...'
  /(?:^|[;\n}])\s*(?:import|export)\b[\w\s{},*$]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  // import '...'
  /(?:^|[;\n}])\s*import\s*(['"])([^'"\n]+)\1/g,
  // import('...')
  /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
];

/** Every import specifier in a source text, with its 1-based line. */
export function importsOf(text) {
  const code = blankCommentsAndTemplates(text);
  const found = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      const at = m.index + m[0].lastIndexOf(m[2]);
      found.push({ specifier: m[2], line: code.slice(0, at).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The layer an import lands in, or null for a third-party or built-in module. */
export function targetLayer(root, file, specifier) {
  if (specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`)) return 'package';
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(root, path.resolve(path.dirname(file), specifier));
  return layerOf(target) ?? `outside the layers (${target})`;
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP_DIRS.has(name)) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every violation of ALLOWED under root, as printable lines, in file order. */
export function checkImports(root) {
  const files = [
    ...Object.keys(ALLOWED).flatMap((layer) => {
      const dir = path.join(root, layer);
      return layer !== 'package' && statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? sourceFiles(dir) : [];
    }),
    ...readdirSync(root)
      .filter((name) => SOURCE.test(name) && !name.endsWith('.d.ts') && statSync(path.join(root, name)).isFile())
      .map((name) => path.join(root, name)),
  ];
  const problems = [];
  for (const file of files) {
    const relative = path.relative(root, file);
    const from = layerOf(relative);
    for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
      const to = targetLayer(root, file, specifier);
      if (to === null || to === from || ALLOWED[from].includes(to)) continue;
      problems.push(`${relative}:${line} imports ${specifier}: layer ${from} may not import layer ${to}`);
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootFlag = process.argv.indexOf('--root');
  const root = rootFlag === -1 ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') : path.resolve(process.argv[rootFlag + 1]);
  const problems = checkImports(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(
      `check-imports: ${problems.length} import(s) against the layer order kernels <- src <- models <- index.ts <- cli, benchmarks, examples (scripts/check-imports.mjs)`,
    );
    process.exit(1);
  }
  console.log('check-imports: import direction ok');
}
