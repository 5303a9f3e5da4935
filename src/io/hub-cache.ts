/**
 * The download cache. Layout, one folder per repository and revision, holding the files under
 * their repository paths, so the folder is exactly what `fromPretrained(dir)` reads:
 *
 *   <cacheDir>/<owner>--<name>/<revision>/config.json
 *   <cacheDir>/<owner>--<name>/<revision>/model.safetensors
 *   <cacheDir>/<owner>--<name>/<revision>/model.safetensors.incomplete   (a download under way)
 *   <cacheDir>/<owner>--<name>/<revision>/.chronoscale/snapshot.json     (the Hub's listing)
 *
 * `cacheDir` defaults to `$CHRONOSCALE_CACHE/hub`, else `~/.cache/chronoscale/hub`. The
 * revision is URI-encoded into one folder name (`refs/pr/1` becomes `refs%2Fpr%2F1`). Repository
 * ids never contain `--`, so the folder names cannot collide.
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import type { HubFile, HubListing } from './hub-listing.ts';
import { checkRepoPath } from './hub-listing.ts';

/** Where the listing of a snapshot is kept, relative to its folder. */
export const MANIFEST_PATH = join('.chronoscale', 'snapshot.json');

/** `$CHRONOSCALE_CACHE/hub`, else `~/.cache/chronoscale/hub`. */
export function defaultCacheDir(): string {
  const root = process.env.CHRONOSCALE_CACHE?.trim();
  return root ? resolve(root, 'hub') : join(homedir(), '.cache', 'chronoscale', 'hub');
}

/** The snapshot folder of `repo` (already checked to be `owner/name`) at `revision`. */
export function snapshotDir(cacheDir: string, repo: string, revision: string): string {
  const [owner, name] = repo.split('/');
  return join(resolve(cacheDir), `${owner}--${name}`, encodeURIComponent(revision));
}

/** The listing saved with a snapshot, or undefined when there is none or it is unreadable. */
export async function readManifest(dir: string, repo: string): Promise<HubListing | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, MANIFEST_PATH), 'utf8'));
  } catch {
    return undefined;
  }
  const listing = json as HubListing;
  if (listing?.repo !== repo || !Array.isArray(listing.files)) return undefined;
  // The manifest is ours, but it sits in a user-writable folder: paths are checked again.
  for (const file of listing.files) {
    checkRepoPath(repo, file?.path);
    if (!Number.isSafeInteger(file.size) || file.size < 0) return undefined;
  }
  return listing;
}

/** Save the listing, atomically, before any file is fetched: an interrupted download then knows what it lacks. */
export async function writeManifest(dir: string, listing: HubListing): Promise<void> {
  await mkdir(join(dir, '.chronoscale'), { recursive: true });
  await writeFileAtomic(join(dir, MANIFEST_PATH), [new TextEncoder().encode(`${JSON.stringify(listing, null, 1)}\n`)]);
}

/** The files of `wanted` that are not in `dir` at their listed size. */
export async function missingFiles(dir: string, wanted: readonly HubFile[]): Promise<HubFile[]> {
  const missing: HubFile[] = [];
  for (const file of wanted) {
    const info = await stat(join(dir, file.path)).catch(() => undefined);
    if (!info?.isFile() || info.size !== file.size) missing.push(file);
  }
  return missing;
}

/** The repository paths of the finished files in `dir` (no bookkeeping, no `.incomplete`). */
export async function localFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.incomplete'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.startsWith('.chronoscale/'));
}
