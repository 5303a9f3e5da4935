/**
 * scripts/check-imports.mjs, the import-direction rule, run on small repositories made in a
 * temporary folder: each kind of import that breaks kernels <- src <- models <- index.ts <- cli,
 * benchmarks, examples is reported with its file and line and fails the run; imports that keep
 * the direction, and import-like text in comments and template strings, pass.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve(import.meta.dirname, '../../scripts/check-imports.mjs');

/** Writes files (path -> text) into a fresh folder, runs the check there, removes the folder. */
function check(files: Record<string, string>): { status: number | null; lines: string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'chronoscale-imports-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    }
    const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
    return { status: run.status, lines: run.stderr.split('\n').filter((l) => l.includes(' imports ')) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const allowed: Record<string, string> = {
  'kernels/add.ts': "import { helper } from './util/helper.ts';\nexport const add = helper;\n",
  'kernels/util/helper.ts': "import os from 'node:os';\nexport const helper = os.cpus;\n",
  'src/tensor.ts': "import { add } from '../kernels/add.ts';\nexport { add };\n",
  'models/s4/s4.ts': "import type { add } from '../../src/tensor.ts';\nimport '../../kernels/add.ts';\nexport type A = typeof add;\n",
  'index.ts': "export * from './src/tensor.ts';\nexport * from './models/s4/s4.ts';\n",
  'engine.ts': "export * from './kernels/add.ts';\n",
  'cli/main.ts':
    "import { add } from 'chronoscale';\nimport { helper } from '../engine.ts';\nimport { x } from '../models/s4/s4.ts';\nconst m = await import('./sub.ts');\n",
  'benchmarks/run.ts': "import { main } from '../cli/main.ts';\nimport * as cs from '../index.ts';\n",
  'examples/demo.ts': "import { add } from '../src/tensor.ts';\n",
  'test/any.test.ts': "import '../benchmarks/run.ts';\nimport '../examples/demo.ts';\nimport '../cli/main.ts';\n",
};

test('imports that follow kernels <- src <- models <- package <- cli, benchmarks, examples pass', () => {
  const { status, lines } = check(allowed);
  assert.equal(lines, []);
  assert.is(status, 0);
});

test('cli importing benchmarks fails with file, line, import and both layers', () => {
  const { status, lines } = check({ ...allowed, 'cli/bench.ts': "import { a } from './args.ts';\nimport { runLstf } from '../benchmarks/lstf/runner.ts';\n" });
  assert.is(status, 1);
  assert.equal(lines, ['cli/bench.ts:2 imports ../benchmarks/lstf/runner.ts: layer cli may not import layer benchmarks']);
});

test('each layer reaching up is caught: static, type-only, multi-line, re-export, side-effect, dynamic, self-reference, entry files, unknown folders', () => {
  const { status, lines } = check({
    ...allowed,
    'kernels/bad.ts': "import type { Tensor } from '../src/tensor.ts';\n",
    'src/bad.ts': "import {\n  S4,\n  type S4Options,\n} from '../models/s4/s4.ts';\n",
    'models/bad.ts': "export { main } from '../cli/main.ts';\n",
    'src/pkg.ts': "import { add } from 'chronoscale';\n",
    'models/side.ts': "import '../examples/demo.ts';\n",
    'examples/bad.ts': "const m = await import('../benchmarks/run.ts');\n",
    'benchmarks/bad.ts': "import { d } from '../examples/demo.ts';\n",
    'src/test-only.ts': "import { fixture } from '../test/any.test.ts';\n",
    'src/entry.ts': "export { helper } from '../engine.ts';\n",
    'engine-extra.ts': "import { main } from './cli/main.ts';\n",
    'cli/stray.ts': "import { x } from '../tools/x.ts';\n",
  });
  assert.is(status, 1);
  assert.equal(lines.sort(), [
    'benchmarks/bad.ts:1 imports ../examples/demo.ts: layer benchmarks may not import layer examples',
    'cli/stray.ts:1 imports ../tools/x.ts: layer cli may not import layer outside the layers (tools/x.ts)',
    'engine-extra.ts:1 imports ./cli/main.ts: layer package may not import layer cli',
    'examples/bad.ts:1 imports ../benchmarks/run.ts: layer examples may not import layer benchmarks',
    'kernels/bad.ts:1 imports ../src/tensor.ts: layer kernels may not import layer src',
    'models/bad.ts:1 imports ../cli/main.ts: layer models may not import layer cli',
    'models/side.ts:1 imports ../examples/demo.ts: layer models may not import layer examples',
    'src/bad.ts:4 imports ../models/s4/s4.ts: layer src may not import layer models',
    'src/entry.ts:1 imports ../engine.ts: layer src may not import layer package',
    'src/pkg.ts:1 imports chronoscale: layer src may not import layer package',
    'src/test-only.ts:1 imports ../test/any.test.ts: layer src may not import layer test',
  ]);
});

test('import-like text in comments and template strings is not an import', () => {
  const { status, lines } = check({
    ...allowed,
    'src/doc.ts': [
      '/** Use it as `import { fit } from "../models/s4/s4.ts"`. */',
      "// import { x } from '../cli/main.ts';",
      "const child = `import { y } from '../benchmarks/run.ts'; await import('../cli/main.ts');`;",
      "const url = 'https://example.com/a'; // import('../cli/main.ts')",
      'export { child, url };',
    ].join('\n'),
  });
  assert.equal(lines, []);
  assert.is(status, 0);
});

test.run();
