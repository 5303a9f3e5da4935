/** `chronoscale info`: what would run here: backend, threads, fast paths, versions. */
import { createRequire } from 'node:module';
import os from 'node:os';
import { kernelNames } from '../kernels/index.ts';
import { init } from '../index.ts';
import { parseCommandArgs } from './args.ts';
import { backendOption, backendOptions } from './backend-option.ts';

export const infoHelp = `chronoscale info [--backend NAME]

Prints the backend the engine selects (or the one named), why the others were skipped,
whether the WebAssembly SIMD fast paths loaded, and the versions of the runtime pieces.`;

export async function info(argv: string[]): Promise<string> {
  const { values } = parseCommandArgs(argv, backendOptions);
  if (values.help) return infoHelp;
  const backend = await init(backendOption(values));
  const require = createRequire(import.meta.url);
  const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
  return [
    // Through the package's own name, which resolves from the sources and from dist/ alike.
    `chronoscale ${version('chronoscale')}`,
    `backend      ${backend.describe()}`,
    ...backend.skipped.map((reason) => `  skipped    ${reason}`),
    `kernels      ${kernelNames.length} registered`,
    `node         ${process.version} on ${os.platform()} ${os.arch()}, ${os.availableParallelism()} cores`,
    `gpu.js       ${version('gpu.js')}`,
    `arquero      ${version('arquero')}`,
    `date-fns     ${version('date-fns')}`,
  ].join('\n');
}
