/**
 * Where the LRA data live: the shared real data beside the checkout (read-only, never
 * committed) and the git-ignored cache of generated sets inside the project.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The repository root (this file is benchmarks/lra/data/paths.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `../shared/data` beside the checkout, unless a loader is given another folder. */
export const defaultDataDir = path.resolve(repoRoot, '../shared/data');

/** Generated sets are cached here (git-ignored `build/`), keyed by parameters and seed. */
export const defaultCacheDir = path.resolve(repoRoot, 'build/lra-cache');

/**
 * The bytes of a data file, gunzipped when its name ends in `.gz`. A missing file is an error
 * that names the path and says how to supply it, rather than an ENOENT deep in a loader.
 */
export function readDataFile(file: string, what: string): Buffer {
  if (!existsSync(file)) {
    throw new Error(
      `${what}: ${file} not found. Pass the folder holding it (dataDir / a path argument); see ../shared/data/README.md for the expected layout.`,
    );
  }
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}
