/**
 * Checking a downloaded file against the Hub's listing: its size, then the sha256 of its content
 * for Git LFS files, or its git blob id for small files kept in git itself. A git blob id is
 * `sha1("blob " + size + "\0" + content)` (Pro Git, "Git Objects"), so it checks the content
 * exactly as the LFS sha256 does.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { HubFile } from './hub-listing.ts';

/** Why `path` does not hold `file`'s content, or undefined when it does. Reads the file once. */
export async function verifyFile(path: string, file: HubFile): Promise<string | undefined> {
  const { size } = await stat(path);
  if (size !== file.size) return `its size is ${size} bytes, the Hub lists ${file.size}`;
  const [algorithm, expected, label] = file.sha256 ? ['sha256', file.sha256, 'sha256'] : file.blobId ? ['sha1', file.blobId, 'git blob sha1'] : [];
  if (!algorithm || !expected) return undefined;
  const hash = createHash(algorithm);
  if (!file.sha256) hash.update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const actual = hash.digest('hex');
  return actual === expected ? undefined : `its ${label} is ${actual}, the Hub lists ${expected}`;
}

/** The git blob id of `content` (what the Hub lists as `blobId` for a file kept in git). */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
