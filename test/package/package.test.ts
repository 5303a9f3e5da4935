/**
 * The package as a user installs it: `npm run test:package` (scripts/test-package.mjs) packs,
 * installs the tarball into a scratch project, runs a plain .mjs forecast and the compiled CLI
 * and type-checks a strict TypeScript consumer. About a minute, mostly npm install.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('the packed package installs, forecasts from plain JavaScript and type-checks in a strict consumer', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/test-package.mjs'], { timeout: 5 * 60_000 }).catch((error) => {
    assert.unreachable(`npm run test:package failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  });
  assert.match(stdout, /^package check passed$/m);
  assert.match(stdout, /DLinear forecast: 24 finite values/);
});

test.run();
