/**
 * Model checkpoints from the Hugging Face Hub, model-independent: `downloadHubSnapshot` fetches
 * the chosen files of a repository into a cache folder (layout in hub-cache.ts), resumably and
 * checked against the sizes and hashes the Hub publishes; `resolveCheckpointDir` turns what a
 * user typed (a folder or `owner/name`) into a local folder for a model's `fromPretrained(dir)`.
 *
 * A snapshot folder whose listed files are all present is used without the network. Offline,
 * the error says which files to put in which folder. Environment: `HF_ENDPOINT` (a mirror),
 * `HF_TOKEN` (private or gated repositories; sent as `Authorization: Bearer`, never printed, and
 * not forwarded when a redirect leaves the Hub's origin), `HF_HUB_OFFLINE=1` (never touch the
 * network), `CHRONOSCALE_CACHE` (cache root).
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { defaultCacheDir, localFiles, missingFiles, readManifest, snapshotDir, writeManifest } from './hub-cache.ts';
import { HubError, HubOfflineError } from './hub-errors.ts';
import { NetworkError, hubGet } from './hub-http.ts';
import type { HubFile, HubListing } from './hub-listing.ts';
import { LISTING, checkRepoId, isRepoId, listingUrl, parseListing, resolveUrl, statusError, treeUrl } from './hub-listing.ts';
import { downloadFile } from './hub-transfer.ts';
import { verifyFile } from './hub-verify.ts';

export { HubError, HubIntegrityError, HubOfflineError } from './hub-errors.ts';
export type { HubFile, HubListing } from './hub-listing.ts';
export { defaultCacheDir } from './hub-cache.ts';
export { SAFETENSORS_CHECKPOINT_HINT, selectSafetensorsCheckpoint } from './hub-files.ts';

/** The public Hub; `HF_ENDPOINT` overrides it. */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** Progress of a snapshot download, reported as bytes arrive (throttle in the consumer). */
export interface HubProgress {
  repo: string;
  /** The file being fetched, its repository path. */
  file: string;
  /** Bytes of `file` on disk, resumed bytes included. */
  bytes: number;
  /** Size of `file`. */
  totalBytes: number;
  /** Bytes of every selected file on disk. */
  snapshotBytes: number;
  /** Size of every selected file together. */
  snapshotTotalBytes: number;
}

/** Options of `downloadHubSnapshot` and `resolveCheckpointDir`. */
export interface HubDownloadOptions {
  /** Which of the repository's paths to fetch (default: all); names not in the repository are an error. */
  files?: (paths: readonly string[]) => readonly string[];
  /** The files named in the offline error before the listing is known, e.g. "config.json and model.safetensors". */
  filesHint?: string;
  /** Cache root (default `$CHRONOSCALE_CACHE/hub`, else `~/.cache/chronoscale/hub`). */
  cacheDir?: string;
  /** Branch, tag or commit (default `main`). */
  revision?: string;
  /** The Hub's address (default `HF_ENDPOINT`, else https://huggingface.co). */
  endpoint?: string;
  /** Access token (default `HF_TOKEN`). */
  token?: string;
  /** Ask the Hub even when the cached snapshot is complete, to follow a branch that moved. */
  refresh?: boolean;
  /** Never use the network (default: `HF_HUB_OFFLINE` set to 1, true, yes or on). */
  offline?: boolean;
  onProgress?: (progress: HubProgress) => void;
  /** Cancels the download; partial files are kept and the next call resumes them. */
  signal?: AbortSignal;
  /** Give up on a connection that sends nothing for this long (default 30 000 ms). */
  timeoutMs?: number;
  /** Retries of a broken connection that made no progress (default 5). */
  retries?: number;
  /** The first retry's delay, doubled at each further one (default 500 ms). */
  retryDelayMs?: number;
}

const envFlag = (value: string | undefined): boolean => /^(1|true|yes|on)$/i.test(value?.trim() ?? '');

function checkEndpoint(repo: string, endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(trimmed)) {
    throw new HubError(repo, `the Hub endpoint "${endpoint}" is not an http(s) URL (set by the endpoint option or HF_ENDPOINT)`);
  }
  return trimmed;
}

function checkRevision(repo: string, revision: string): void {
  if (revision === '' || revision === '.' || revision === '..' || revision.length > 256) {
    throw new HubError(repo, `"${revision}" is not a revision: pass a branch, tag or commit of ${repo}`);
  }
}

/** The listed files that `select` chooses, each once; an unknown name is an error. */
function pick(listing: HubListing, select: (paths: readonly string[]) => readonly string[]): HubFile[] {
  const byPath = new Map(listing.files.map((file) => [file.path, file]));
  let chosen: string[];
  try {
    chosen = [...new Set(select([...byPath.keys()]))];
  } catch (error) {
    throw new HubError(listing.repo, `${listing.repo} at ${listing.revision}: ${(error as Error).message}`, { cause: error });
  }
  const known = () => [...byPath.keys()].join(', ') || 'no files';
  if (chosen.length === 0) throw new HubError(listing.repo, `no file of ${listing.repo} at ${listing.revision} was selected (it has: ${known()})`);
  return chosen.map((path) => {
    const file = byPath.get(path);
    if (!file) throw new HubError(listing.repo, `${path} is not a file of ${listing.repo} at ${listing.revision} (it has: ${known()})`);
    return file;
  });
}

async function fetchListing(
  repo: string,
  revision: string,
  endpoint: string,
  headers: Record<string, string>,
  options: HubDownloadOptions,
): Promise<HubListing> {
  const url = listingUrl(endpoint, repo, revision);
  const { response, chunks, close } = await hubGet(url, { headers, signal: options.signal, timeoutMs: options.timeoutMs ?? 30_000 });
  try {
    if (!response.ok) throw statusError(repo, revision, response, LISTING, 'authorization' in headers);
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks()) parts.push(chunk);
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      throw new HubError(repo, `${url} did not answer JSON: is ${endpoint} a Hugging Face Hub (check HF_ENDPOINT)?`);
    }
    return parseListing(repo, revision, json);
  } finally {
    await close();
  }
}

/**
 * Download the files of Hub repository `repo` chosen by `options.files` into the cache and
 * return the snapshot folder (`<cacheDir>/<owner>--<name>/<revision>`), ready for a model's
 * `fromPretrained(dir)`.
 *
 * - A folder holding every selected file of its saved listing is returned without the network.
 * - Files are fetched at the commit the revision resolved to, so a branch that moves midway
 *   cannot mix two versions; redirects to the CDN are followed.
 * - A broken connection is retried from where it broke (HTTP Range); an interrupted call leaves
 *   `<file>.incomplete`, which the next call continues.
 * - Each file is checked against the listed size and sha256 (Git LFS files) or git blob sha1
 *   (small files) before it takes its name; a mismatch deletes it and throws HubIntegrityError.
 * - Unreachable Hub (DNS, refused, timeout): HubOfflineError naming the files and the folder to
 *   put them in. Unknown repository, revision or file, refused access: HubError.
 *
 * @example
 * const dir = await downloadHubSnapshot('Maple728/TimeMoE-50M', {
 *   files: (paths) => paths.filter((p) => p === 'config.json' || p.endsWith('.safetensors')),
 *   onProgress: ({ file, bytes, totalBytes }) => console.log(file, bytes, totalBytes),
 * });
 */
export async function downloadHubSnapshot(repo: string, options: HubDownloadOptions = {}): Promise<string> {
  checkRepoId(repo);
  const revision = options.revision ?? 'main';
  checkRevision(repo, revision);
  const endpoint = checkEndpoint(repo, options.endpoint ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB_ENDPOINT);
  const dir = snapshotDir(options.cacheDir ?? defaultCacheDir(), repo, revision);
  const select = options.files ?? ((paths: readonly string[]) => paths);
  const saved = await readManifest(dir, repo);
  const savedMissing = saved && (await missingFiles(dir, pick(saved, select)));
  if (savedMissing?.length === 0 && !options.refresh) return dir;

  // What the offline error asks for: the missing files when a listing was saved, else the hint.
  const offline = async (detail: string, cause?: unknown): Promise<string> => {
    // A refresh that cannot reach the Hub keeps the complete snapshot it has.
    if (savedMissing?.length === 0) return dir;
    if (!saved) {
      // Files a user put in the folder by hand (there is no listing to check them against).
      const local = await localFiles(dir);
      const usable =
        local.length > 0 &&
        (() => {
          try {
            return select(local).length > 0;
          } catch {
            return false; // the selector's own complaint would hide the offline message
          }
        })();
      if (usable) return dir;
    }
    const wanted = savedMissing?.length ? savedMissing.map((file) => file.path).join(', ') : (options.filesHint ?? "the repository's files");
    throw new HubOfflineError(
      repo,
      dir,
      `cannot download ${repo} (revision ${revision}) from ${endpoint}: ${detail}. ` +
        `Put ${wanted} (from ${treeUrl(endpoint, repo, revision)}) in the folder ${dir} and call again, ` +
        'since a folder holding them is used without the network; or pass any folder holding them to fromPretrained(dir)',
      { cause },
    );
  };
  if (options.offline ?? envFlag(process.env.HF_HUB_OFFLINE)) return offline('offline mode (HF_HUB_OFFLINE or the offline option) is on');

  const token = options.token ?? process.env.HF_TOKEN ?? process.env.HUGGING_FACE_HUB_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let listing: HubListing;
  try {
    listing = await fetchListing(repo, revision, endpoint, headers, options);
  } catch (error) {
    if (error instanceof NetworkError) return offline(error.message, error);
    throw error;
  }
  const wanted = pick(listing, select);
  await mkdir(dir, { recursive: true });
  await writeManifest(dir, listing);

  // Files already in place are checked first and stale ones removed, so that an interruption
  // below cannot leave a file of an older commit beside the new listing under its final name.
  const toFetch: HubFile[] = [];
  for (const file of wanted) {
    const target = join(dir, file.path);
    const present = await stat(target).catch(() => undefined);
    if (present?.isFile() && present.size === file.size && !(await verifyFile(target, file))) continue;
    await rm(target, { force: true, recursive: true });
    toFetch.push(file);
  }
  const snapshotTotalBytes = wanted.reduce((sum, file) => sum + file.size, 0);
  let finishedBytes = snapshotTotalBytes - toFetch.reduce((sum, file) => sum + file.size, 0);
  for (const file of toFetch) {
    const target = join(dir, file.path);
    const report = (bytes: number) =>
      options.onProgress?.({ repo, file: file.path, bytes, totalBytes: file.size, snapshotBytes: finishedBytes + bytes, snapshotTotalBytes });
    await mkdir(dirname(target), { recursive: true });
    try {
      await downloadFile(file, {
        repo,
        url: resolveUrl(endpoint, repo, listing.commit ?? revision, file.path),
        target,
        headers,
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? 30_000,
        retries: options.retries ?? 5,
        retryDelayMs: options.retryDelayMs ?? 500,
        onBytes: report,
        statusError: (response) => statusError(repo, listing.commit ?? revision, response, file.path, Boolean(token)),
      });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      const kept = (await stat(`${target}.incomplete`).catch(() => undefined))?.size ?? 0;
      const missing = (await missingFiles(dir, wanted)).map((f) => f.path).join(', ');
      throw new HubOfflineError(
        repo,
        dir,
        `cannot download ${file.path} of ${repo} (revision ${revision}) from ${endpoint}: ${error.message}. ` +
          `${kept} of ${file.size} bytes are kept in ${target}.incomplete and the next call resumes from there. ` +
          `Or put ${missing} (from ${treeUrl(endpoint, repo, revision)}) in the folder ${dir} yourself, ` +
          'or pass any folder holding them to fromPretrained(dir)',
        { cause: error },
      );
    }
    finishedBytes += file.size;
  }
  return dir;
}

/**
 * A local checkpoint folder from what a user passed: an existing folder is returned as it is
 * (absolute); an `owner/name` repository id is downloaded with `downloadHubSnapshot`; anything
 * else is a HubError saying it is neither.
 */
export async function resolveCheckpointDir(idOrDir: string, options: HubDownloadOptions = {}): Promise<string> {
  const absolute = resolve(idOrDir);
  const info = await stat(absolute).catch(() => undefined);
  if (info?.isDirectory()) return absolute;
  if (info) throw new HubError(idOrDir, `${absolute} is a file: pass the folder that holds the checkpoint (config.json and the weights)`);
  if (!isRepoId(idOrDir)) {
    throw new HubError(idOrDir, `"${idOrDir}" is neither an existing folder (${absolute} does not exist) nor a Hugging Face repository id (owner/name)`);
  }
  try {
    return await downloadHubSnapshot(idOrDir, options);
  } catch (error) {
    // "a/b" may have been meant as a relative folder: say that it does not exist either.
    if (error instanceof HubError && (error.status === 401 || error.status === 404) && !(error instanceof HubOfflineError)) {
      throw new HubError(idOrDir, `${error.message}; nor is there a folder ${absolute}`, { cause: error, status: error.status });
    }
    throw error;
  }
}
