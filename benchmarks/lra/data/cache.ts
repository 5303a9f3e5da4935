/**
 * A disk cache of generated sets: a named bundle of typed arrays stored in one file whose name
 * hashes the generator's parameters and seed, so a second run with the same key loads in
 * milliseconds and a change of any parameter regenerates.
 *
 * File layout: the 8 bytes `LRACACHE`, a uint32 (LE) header length, the JSON header
 * `{ version, key, arrays: [{ name, type, length }] }`, then each array's bytes in header
 * order, each starting at a multiple of 8. The key is stored in full and compared on load,
 * so a hash collision or a stale format reads as a miss, never as wrong data.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const magic = Buffer.from('LRACACHE');
const version = 1;

type StoredArray = Uint8Array | Uint16Array | Int32Array | Float32Array;
const arrayTypes = { Uint8Array, Uint16Array, Int32Array, Float32Array } as const;
type ArrayTypeName = keyof typeof arrayTypes;

/** Named typed arrays: what a generator produces and the cache stores. */
export type ArrayBundle = Record<string, StoredArray>;

/** Where and under which key to cache; `dir: false` always builds. */
export interface CacheSpec {
  dir: string | false;
  /** File name prefix, e.g. `listops-paper`. */
  name: string;
  /** Everything the content depends on: generator parameters, seed, format version. */
  key: unknown;
}

/** The file a spec maps to (or undefined when caching is off). */
export function cacheFile(spec: CacheSpec): string | undefined {
  if (spec.dir === false) return undefined;
  const hash = createHash('sha256').update(JSON.stringify(spec.key)).digest('hex').slice(0, 16);
  return path.join(spec.dir, `${spec.name}-${hash}.bin`);
}

/**
 * The cached bundle for `spec`, or `build()`'s result, written to the cache for next time.
 * A cache that cannot be written (read-only disk) only costs the next run a rebuild.
 */
export function cached<T extends ArrayBundle>(spec: CacheSpec, build: () => T): T {
  const file = cacheFile(spec);
  if (file && existsSync(file)) {
    const hit = readBundle(file, spec.key);
    if (hit) return hit as T;
  }
  const bundle = build();
  if (file) {
    try {
      writeBundle(file, spec.key, bundle);
    } catch (error) {
      console.warn(`lra cache: could not write ${file}: ${(error as Error).message}`);
    }
  }
  return bundle;
}

function writeBundle(file: string, key: unknown, bundle: ArrayBundle): void {
  const arrays = Object.entries(bundle).map(([name, a]) => ({ name, type: a.constructor.name as ArrayTypeName, length: a.length }));
  const header = Buffer.from(JSON.stringify({ version, key, arrays }));
  const parts: Buffer[] = [magic, u32(header.length), header];
  let offset = magic.length + 4 + header.length;
  for (const a of Object.values(bundle)) {
    const padding = (8 - (offset % 8)) % 8;
    parts.push(Buffer.alloc(padding), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    offset += padding + a.byteLength;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  // Temp file + rename: a killed run leaves no half-written cache that would later read as valid.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat(parts));
  renameSync(temp, file);
}

function readBundle(file: string, key: unknown): ArrayBundle | undefined {
  const bytes = readFileSync(file);
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(magic)) return undefined;
  const headerLength = bytes.readUInt32LE(8);
  let header: { version: number; key: unknown; arrays: { name: string; type: ArrayTypeName; length: number }[] };
  try {
    header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (header.version !== version || JSON.stringify(header.key) !== JSON.stringify(key)) return undefined;
  const bundle: ArrayBundle = {};
  let offset = 12 + headerLength;
  for (const { name, type, length } of header.arrays) {
    const Type = arrayTypes[type];
    if (!Type) return undefined;
    offset += (8 - (offset % 8)) % 8;
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.length) return undefined;
    // Copy out: the file buffer's own offset need not be aligned for a multi-byte view.
    bundle[name] = new Type(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + byteLength));
    offset += byteLength;
  }
  return bundle;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
