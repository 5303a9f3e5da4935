/**
 * The Hub's file listing of a model repository at a revision, and the URLs around it.
 *
 * `GET {endpoint}/api/models/{owner}/{name}/revision/{revision}?blobs=true` answers
 * `{ sha, siblings: [{ rfilename, size, blobId, lfs?: { sha256, size, pointerSize } }] }`:
 * `sha` is the commit the revision points to, `blobId` the git blob sha1 of the file as stored
 * in git, and `lfs` is present for files stored with Git LFS (then `blobId` hashes the pointer
 * file, and `lfs.sha256` the content). Files are fetched from
 * `{endpoint}/{owner}/{name}/resolve/{commit}/{path}`, which redirects large files to a CDN.
 * (huggingface_hub: `HfApi.model_info(files_metadata=True)`, `hf_hub_url`.)
 */
import { HubError } from './hub-errors.ts';

/** One file of a repository as the Hub lists it. */
export interface HubFile {
  /** Path inside the repository, `/`-separated. */
  path: string;
  /** Size in bytes of the content (not of an LFS pointer). */
  size: number;
  /** sha256 of the content, hex, for files stored with Git LFS. */
  sha256?: string;
  /** Git blob sha1, hex, of the file as stored in git; checks the content of non-LFS files. */
  blobId?: string;
}

/** A repository's files at a revision. */
export interface HubListing {
  repo: string;
  revision: string;
  /** The commit the revision resolved to, when the Hub says; files are fetched at it. */
  commit?: string;
  files: HubFile[];
}

// Hub rules: letters, digits, `-`, `_`, `.`; no `--` or `..` (which keeps `owner--name` folders unique).
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Whether `value` has the shape of a Hub repository id, `owner/name`. */
export function isRepoId(value: string): boolean {
  return REPO_ID.test(value) && !value.includes('--') && !value.includes('..') && value.length <= 96;
}

/** Throw a HubError unless `repo` is a repository id. */
export function checkRepoId(repo: string): void {
  if (!isRepoId(repo)) {
    throw new HubError(repo, `"${repo}" is not a Hugging Face repository id: expected owner/name (letters, digits, '-', '_', '.'), e.g. Maple728/TimeMoE-50M`);
  }
}

/** The listing URL (the revision is one path segment, so `refs/pr/1` is escaped). */
export function listingUrl(endpoint: string, repo: string, revision: string): string {
  return `${endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
}

/** The download URL of one file at a revision or commit. */
export function resolveUrl(endpoint: string, repo: string, revision: string, path: string): string {
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The page where a person can see (and download) the files. */
export function treeUrl(endpoint: string, repo: string, revision: string): string {
  return `${endpoint}/${repo}/tree/${encodeURIComponent(revision)}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSize = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * A path is written under the snapshot folder, so it must stay there: relative, no `.` or `..`
 * segment, no backslash or NUL, and not the cache's own bookkeeping names.
 */
export function checkRepoPath(repo: string, path: unknown): string {
  const bad = (why: string): never => {
    throw new HubError(repo, `the Hub listing of ${repo} names a file ${JSON.stringify(path)} that ${why}; refusing to write it`);
  };
  if (typeof path !== 'string' || path === '') return bad('is not a non-empty string');
  if (/[\\\0]/.test(path) || path.startsWith('/')) return bad('is not a relative /-separated path');
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return bad('has an empty, . or .. segment');
  if (path.endsWith('.incomplete') || path.split('/')[0] === '.chronoscale') return bad('collides with the cache bookkeeping names');
  return path;
}

/** Validate the listing JSON; every file needs a size, so `?blobs=true` must have been honoured. */
export function parseListing(repo: string, revision: string, json: unknown): HubListing {
  const bad = (why: string): never => {
    throw new HubError(repo, `the Hub's file listing of ${repo} at ${revision} is not usable: ${why}`);
  };
  if (!isObject(json) || !Array.isArray(json.siblings)) return bad('no "siblings" array');
  const files = json.siblings.map((sibling: unknown): HubFile => {
    if (!isObject(sibling)) return bad('a sibling is not an object');
    const path = checkRepoPath(repo, sibling.rfilename);
    const lfs = sibling.lfs;
    const file: HubFile = { path, size: 0 };
    if (isObject(lfs)) {
      if (typeof lfs.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(lfs.sha256)) return bad(`${path}: lfs.sha256 is not 64 hex digits`);
      if (!isSize(lfs.size)) return bad(`${path}: lfs.size is not a byte count`);
      file.sha256 = lfs.sha256;
      file.size = lfs.size;
    } else if (isSize(sibling.size)) {
      file.size = sibling.size;
    } else {
      return bad(`${path} has no size (the endpoint ignored ?blobs=true)`);
    }
    if (typeof sibling.blobId === 'string' && /^[0-9a-f]{40}$/.test(sibling.blobId)) file.blobId = sibling.blobId;
    return file;
  });
  const commit = typeof json.sha === 'string' && /^[0-9a-f]{40}$/.test(json.sha) ? json.sha : undefined;
  return { repo, revision, ...(commit ? { commit } : {}), files };
}

/** What `statusError` calls the listing request. */
export const LISTING = 'the file listing';

/**
 * The HubError for a refused request. The Hub says why in `X-Error-Code` (RepoNotFound,
 * RevisionNotFound, EntryNotFound, GatedRepo) and answers 401 rather than 404 for a missing
 * repository to anyone without a token, since it might be private.
 */
export function statusError(repo: string, revision: string, response: Response, what: string, hasToken: boolean): HubError {
  const code = response.headers.get('x-error-code') ?? '';
  const status = response.status;
  const tokenHint = hasToken ? 'your HF_TOKEN does not grant access to it' : 'a private repository needs an access token in HF_TOKEN';
  if (code === 'GatedRepo') {
    return new HubError(repo, `${repo} is gated: accept its conditions on its Hub page, then set HF_TOKEN to a token of that account (HTTP ${status})`, {
      status,
    });
  }
  if (code === 'RevisionNotFound')
    return new HubError(repo, `revision "${revision}" not found in ${repo} (HTTP ${status}); pass an existing branch, tag or commit`, { status });
  if (code === 'EntryNotFound' || (status === 404 && !code && what !== LISTING))
    return new HubError(repo, `${what} not found in ${repo} at ${revision} (HTTP ${status})`, { status });
  if (code === 'RepoNotFound' || status === 401 || status === 404) {
    return new HubError(repo, `repository ${repo} not found on the Hub (HTTP ${status}): check the id; ${tokenHint}`, { status });
  }
  if (status === 403) return new HubError(repo, `access to ${what} of ${repo} refused (HTTP 403): ${tokenHint}`, { status });
  return new HubError(repo, `the Hub answered HTTP ${status} ${response.statusText} for ${what} of ${repo} at ${revision}`, { status });
}
