/** Temporary folders that one test file makes, removed together when its tests are done. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirs {
  /** A new empty folder under the system's temp folder, named `<prefix>-XXXXXX`. */
  make: () => string;
  /** Removes every folder made so far. */
  removeAll: () => void;
}

export function tempDirs(prefix: string): TempDirs {
  const made: string[] = [];
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
      made.push(dir);
      return dir;
    },
    removeAll: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
