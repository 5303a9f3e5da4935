/** The `--backend` and `--threads` options every command accepts. */
import { backendNames, type BackendName } from '../kernels/index.ts';
import type { EngineOptions } from '../index.ts';
import { UsageError } from './args.ts';

export const backendOptions = {
  backend: { type: 'string' },
  threads: { type: 'string' },
} as const;

export function backendOption(values: { backend?: string; threads?: string }): EngineOptions {
  const options: EngineOptions = {};
  if (values.backend !== undefined) {
    if (!(backendNames as readonly string[]).includes(values.backend)) {
      throw new UsageError(`--backend ${values.backend} is not one of ${backendNames.join(', ')}`);
    }
    options.name = values.backend as BackendName;
  }
  if (values.threads !== undefined) {
    const n = Number(values.threads);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--threads ${values.threads} must be a positive integer`);
    options.threads = n;
  }
  return options;
}
