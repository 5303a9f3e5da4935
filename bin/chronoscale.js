#!/usr/bin/env node
// The command line. An installed package runs its compiled code (dist/cli/main.js). A checkout
// (cli/main.ts beside this file, tsx installed as a devDependency) runs the TypeScript sources
// through tsx, so `npm start` and `npx chronoscale` never run a stale build; without tsx there
// (npm ci --omit=dev) it falls back to dist/, built by `npm run build`.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => undefined) : undefined;
if (tsx) {
  tsx.register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
