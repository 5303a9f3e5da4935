/**
 * One file from the Hub to disk, resumably: bytes go to `<file>.incomplete` as they arrive; a
 * broken connection is retried with `Range: bytes=<have>-` (an answer of 206 Partial Content
 * continues the file, a 200 means the server ignored the range and the file starts over); once
 * every byte is there the file is checked against the listing's size and hash and only then
 * renamed to its name, so a file under its final name is always whole.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { HubError } from './hub-errors.ts';
import { HubIntegrityError } from './hub-errors.ts';
import { NetworkError, hubGet, sleep } from './hub-http.ts';
import type { HubFile } from './hub-listing.ts';
import { verifyFile } from './hub-verify.ts';

/** What `downloadFile` needs besides the file itself. */
export interface TransferOptions {
  repo: string;
  /** The resolve URL of the file. */
  url: string;
  /** The final path on disk. */
  target: string;
  /** Authorization, when there is a token. */
  headers: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Retries after a connection failure that made no progress; progress resets the count. */
  retries: number;
  /** The first retry's delay; each further retry doubles it. */
  retryDelayMs: number;
  /** Called with the bytes on disk so far. */
  onBytes: (bytes: number) => void;
  /** The error for an HTTP status that is no transient failure. */
  statusError: (response: Response) => HubError;
}

const sizeOf = async (path: string): Promise<number> => (await stat(path).catch(() => undefined))?.size ?? 0;

/** `start` of a `Content-Range: bytes start-end/total` header, or NaN. */
function rangeStart(header: string | null): number {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

async function writeAll(handle: FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position + done);
    done += bytesWritten;
  }
}

/** One request from byte `have` on; returns the bytes on disk afterwards. */
async function fetchFrom(file: HubFile, partial: string, have: number, options: TransferOptions): Promise<number> {
  const headers = have > 0 ? { ...options.headers, range: `bytes=${have}-` } : options.headers;
  const { response, chunks, close } = await hubGet(options.url, { headers, signal: options.signal, timeoutMs: options.timeoutMs });
  try {
    let start: number;
    if (response.status === 206 && have > 0) {
      start = rangeStart(response.headers.get('content-range'));
      // A range other than the one asked for cannot be stitched on: start over, without a range.
      if (start !== have) {
        await rm(partial, { force: true });
        return 0;
      }
    } else if (response.status === 200) {
      start = 0;
    } else if (response.status === 416 && have > 0) {
      await rm(partial, { force: true });
      return 0;
    } else if (response.status >= 500 || response.status === 429) {
      throw new NetworkError(`HTTP ${response.status} ${response.statusText}`);
    } else {
      throw options.statusError(response);
    }
    const handle = await open(partial, start === 0 ? 'w' : 'r+');
    let position = start;
    try {
      for await (const chunk of chunks()) {
        if (position + chunk.length > file.size) {
          await handle.close();
          await rm(partial, { force: true });
          throw new HubIntegrityError(
            options.repo,
            file.path,
            `${file.path} of ${options.repo}: the server sent more than the ${file.size} bytes the Hub lists; the partial download was deleted, call again to retry`,
          );
        }
        await writeAll(handle, chunk, position);
        position += chunk.length;
        options.onBytes(position);
      }
      await handle.sync();
    } finally {
      await handle.close().catch(() => {});
    }
    if (position < file.size) throw new NetworkError(`the connection closed after ${position} of ${file.size} bytes`);
    return position;
  } finally {
    await close();
  }
}

/** Fetch the bytes `partial` lacks, retrying broken connections from where they broke. */
async function fetchRest(file: HubFile, partial: string, options: TransferOptions): Promise<void> {
  let have = await sizeOf(partial);
  if (have > file.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  options.onBytes(have);
  let failures = 0;
  while (have < file.size || !(await stat(partial).catch(() => undefined))) {
    try {
      have = await fetchFrom(file, partial, have, options);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      const before = have;
      have = await sizeOf(partial);
      failures = have > before ? 1 : failures + 1;
      if (failures > options.retries) throw error;
      await sleep(options.retryDelayMs * 2 ** (failures - 1), options.signal);
    }
  }
}

/**
 * Download `file` to `options.target`, resuming a `.incomplete` left by an earlier call, and
 * verify it. Throws NetworkError when the retries run out (the partial file is kept for the next
 * call), HubIntegrityError when the bytes do not match the listing (the partial file is deleted).
 */
export async function downloadFile(file: HubFile, options: TransferOptions): Promise<void> {
  const partial = `${options.target}.incomplete`;
  // Bytes left by an earlier call may be of an older version of the file (the branch moved):
  // if the resumed file fails verification, it gets one fresh download before that is an error.
  let resumedFromEarlierCall = (await sizeOf(partial)) > 0;
  for (;;) {
    await fetchRest(file, partial, options);
    const problem = await verifyFile(partial, file);
    if (!problem) break;
    await rm(partial, { force: true });
    if (resumedFromEarlierCall) {
      resumedFromEarlierCall = false;
      continue;
    }
    throw new HubIntegrityError(
      options.repo,
      file.path,
      `${file.path} of ${options.repo} failed verification: ${problem}; the downloaded bytes were deleted, call again to download it afresh`,
    );
  }
  await rename(partial, options.target);
}
