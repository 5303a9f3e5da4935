/**
 * The errors of the Hugging Face Hub download layer (hub.ts). Each message is one paragraph a
 * user can act on: it names the repository, the file and the folder involved, and never the
 * access token.
 */

/** A Hub download that cannot go on: unknown repository or file, bad answer, bad argument. */
export class HubError extends Error {
  override name = 'HubError';
  /** The repository id (`owner/name`) the error is about. */
  readonly repo: string;
  /** The HTTP status behind the error, when the Hub refused a request. */
  readonly status: number | undefined;

  constructor(repo: string, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.repo = repo;
    this.status = options?.status;
  }
}

/**
 * The Hub cannot be reached (DNS failure, connection refused or reset, timeout) and the cache
 * does not hold the snapshot. The message says which files to put in which folder by hand.
 */
export class HubOfflineError extends HubError {
  override name = 'HubOfflineError';
  /** The folder the files belong in; a complete folder there is used without the network. */
  readonly folder: string;

  constructor(repo: string, folder: string, message: string, options?: { cause?: unknown }) {
    super(repo, message, options);
    this.folder = folder;
  }
}

/** A downloaded file whose size or hash differs from what the Hub lists; the bad bytes are deleted. */
export class HubIntegrityError extends HubError {
  override name = 'HubIntegrityError';
  /** The file's path inside the repository. */
  readonly file: string;

  constructor(repo: string, file: string, message: string) {
    super(repo, message);
    this.file = file;
  }
}
