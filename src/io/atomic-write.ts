/**
 * Atomic file replacement: write a temp file next to the destination, fsync it, rename it over
 * the destination, fsync the directory. rename(2) within one file system is atomic, so a crash
 * or an error at any point leaves either the old file or the new one, never a torn mix.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

// One write(2) moves at most ~2 GiB on Linux; smaller calls keep every request well inside it.
const WRITE_CHUNK_BYTES = 1 << 30;

/** Write every byte of `bytes` at `position`, looping over short writes. */
async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const length = Math.min(bytes.length - done, WRITE_CHUNK_BYTES);
    const { bytesWritten } = await handle.write(bytes, done, length, position + done);
    done += bytesWritten;
  }
}

/** fsync a directory so the rename itself survives a power loss; some platforms cannot. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open directories and some file systems refuse fsync on them; the data
    // itself is already synced, only the durability of the name is best-effort there.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Replace the file at `path` with the concatenation of `chunks`, atomically.
 *
 * The temp file (`.<name>.<pid>.<random>.tmp`) lives in the destination's directory so the
 * rename never crosses file systems. The destination is not opened or touched until the final
 * rename; if writing fails (including an exception thrown by the `chunks` iterator) the temp
 * file is removed and the error is rethrown.
 */
export async function writeFileAtomic(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  const target = resolve(path);
  const directory = dirname(target);
  const temp = join(directory, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' fails rather than clobbering a file that happens to have the temp name.
  const handle = await open(temp, 'wx');
  let closed = false;
  try {
    let position = 0;
    for await (const chunk of chunks) {
      await writeFully(handle, chunk, position);
      position += chunk.length;
    }
    await handle.sync();
    closed = true;
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    if (!closed) await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(directory);
}
