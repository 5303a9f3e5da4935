/**
 * safetensors checkpoints: read and write the Hugging Face format so files move between this
 * SDK and Python unchanged (https://huggingface.co/docs/safetensors, reference implementation
 * safetensors/src/tensor.rs).
 *
 * Layout: u64 little-endian header length N, N bytes of UTF-8 JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { key: string } }`
 * (space-padded), then the byte buffer; offsets are relative to the buffer, tensors are
 * row-major little-endian and tile the buffer exactly.
 *
 * Files are untrusted input: every header claim is checked against the real byte count before
 * anything is allocated from it, and every failure is a SafetensorsError naming the file.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { DTYPE_SIZES, HOST_IS_LITTLE_ENDIAN, SUPPORTED_DTYPES, decodeToFloat32, float32ToBytes, isSupportedDtype } from './dtypes.ts';
import type { SafetensorsDtype } from './dtypes.ts';
import { writeFileAtomic } from './atomic-write.ts';

export type { SafetensorsDtype } from './dtypes.ts';

/** A tensor as read from a file; `data` is always decoded to float32, whatever `dtype` was. */
export interface StoredTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

/** A decoded file: tensors by (dotted) name, and the `__metadata__` string map. */
export interface SafetensorsFile {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

/** One header entry: where a tensor's bytes sit in the data buffer, without reading them. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** `[begin, end)` byte offsets relative to the start of the data buffer. */
  dataOffsets: [number, number];
}

/** A validated header. */
export interface SafetensorsHeader {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

/** What the writers accept: any `{ shape, data }` (a StoredTensor works too), written as F32. */
export interface TensorInput {
  shape: readonly number[];
  data: Float32Array;
}

/** Tensors to write, by name. */
export type TensorInputs = ReadonlyMap<string, TensorInput> | Readonly<Record<string, TensorInput>>;

// A hostile header may hold a million-entry shape or name; error messages quote only its start.
const preview = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** A malformed or hostile safetensors file, or tensors that cannot be written as one. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  /** The file (or `options.source`) the error is about. */
  readonly source: string;
  /** The tensor the error is about, when there is one. */
  readonly tensor: string | undefined;

  constructor(source: string, message: string, tensor?: string) {
    super(`${source}: ${tensor === undefined ? '' : `tensor ${preview(tensor)}: `}${message}`);
    this.source = source;
    this.tensor = tensor;
  }
}

// The reference implementation's limit; real headers are kilobytes, even for 100 GB models.
const MAX_HEADER_BYTES = 100_000_000;
// One read(2) returns at most ~2 GiB on Linux; reading in 1 GiB pieces keeps each call inside it.
const READ_CHUNK_BYTES = 1 << 30;
const METADATA_KEY = '__metadata__';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Validate one `name: { dtype, shape, data_offsets }` entry against a buffer of `bufferLength` bytes. */
function parseEntry(name: string, raw: unknown, bufferLength: number, source: string): SafetensorsEntry {
  const fail = (message: string): never => {
    throw new SafetensorsError(source, message, name);
  };
  if (!isObject(raw)) fail('header entry is not an object with dtype, shape and data_offsets');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') fail('missing or non-string "dtype"');
  if (!isSupportedDtype(dtype as string)) {
    fail(`unsupported dtype ${preview(dtype)} (supported: ${SUPPORTED_DTYPES.join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`"shape" must be an array of non-negative integers, got ${preview(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`"data_offsets" must be [begin, end] non-negative integers, got ${preview(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > bufferLength) {
    fail(`data_offsets [${begin}, ${end}] reach past the end of the ${bufferLength}-byte data buffer (truncated file?)`);
  }
  // A product of huge dims may exceed 2^53 and round, but then it cannot equal a byte count
  // bounded by the file size, so the comparison below still rejects it.
  const numel = (shape as number[]).reduce((product, dim) => product * dim, 1);
  const expected = numel * DTYPE_SIZES[dtype as SafetensorsDtype];
  if (expected !== end - begin) {
    fail(`shape ${preview(shape)} of ${dtype} needs ${expected} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])], dataOffsets: [begin, end] };
}

/** The tensors must tile the buffer: sorted by offset, each begins where the previous ended. */
function checkCoverage(entries: Map<string, SafetensorsEntry>, bufferLength: number, source: string): void {
  const sorted = [...entries].sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  let previous = '';
  for (const [
    name,
    {
      dataOffsets: [begin, end],
    },
  ] of sorted) {
    if (begin < covered) {
      throw new SafetensorsError(source, `bytes [${begin}, ${covered}) overlap tensor ${preview(previous)}`, name);
    }
    if (begin > covered) {
      throw new SafetensorsError(source, `bytes [${covered}, ${begin}) of the data buffer belong to no tensor`);
    }
    covered = end;
    previous = name;
  }
  if (covered !== bufferLength) {
    throw new SafetensorsError(source, `the data buffer has ${bufferLength} bytes but the tensors cover only ${covered}`);
  }
}

/** Parse and fully validate header JSON bytes for a data buffer of `bufferLength` bytes. */
function parseHeader(bytes: Uint8Array, bufferLength: number, source: string): SafetensorsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new SafetensorsError(source, `header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw new SafetensorsError(source, 'header JSON is not an object');
  const metadata: [string, string][] = [];
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(parsed)) {
    if (name !== METADATA_KEY) {
      entries.set(name, parseEntry(name, raw, bufferLength, source));
      continue;
    }
    if (!isObject(raw)) throw new SafetensorsError(source, '"__metadata__" is not an object');
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value !== 'string') {
        throw new SafetensorsError(source, `"__metadata__" value for ${preview(key)} is not a string`);
      }
      metadata.push([key, value]);
    }
  }
  checkCoverage(entries, bufferLength, source);
  // fromEntries defines own properties, so a key such as "__proto__" cannot alter the prototype.
  return { entries, metadata: Object.fromEntries(metadata) };
}

/** Read the header length prefix and check it against the total size before allocating. */
function headerLength(prefix: Uint8Array, totalLength: number, source: string): number {
  if (totalLength < 8) {
    throw new SafetensorsError(source, `file is ${totalLength} bytes, shorter than the 8-byte header length`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(totalLength - 8)) {
    throw new SafetensorsError(source, `header length ${length} exceeds the ${totalLength - 8} bytes after the length prefix (truncated or not safetensors?)`);
  }
  if (length > MAX_HEADER_BYTES) {
    throw new SafetensorsError(source, `header length ${length} is over the ${MAX_HEADER_BYTES}-byte limit`);
  }
  return Number(length);
}

/** Allocate-and-decode one tensor; an allocation failure becomes a SafetensorsError. */
function decodeTensor(entry: SafetensorsEntry, bytes: Uint8Array, name: string, source: string): StoredTensor {
  try {
    return { dtype: entry.dtype, shape: [...entry.shape], data: decodeToFloat32(entry.dtype, bytes) };
  } catch (error) {
    throw new SafetensorsError(source, `cannot decode (${(error as Error).message})`, name);
  }
}

/**
 * Decode a whole safetensors file held in memory. Every tensor is copied out of `bytes` and
 * decoded to float32.
 * @throws SafetensorsError naming `options.source` for any malformed input.
 */
export function decodeSafetensors(bytes: Uint8Array, options: { source?: string } = {}): SafetensorsFile {
  const source = options.source ?? 'safetensors buffer';
  const length = headerLength(bytes.subarray(0, 8), bytes.length, source);
  const start = 8 + length;
  const header = parseHeader(bytes.subarray(8, start), bytes.length - start, source);
  const tensors = new Map<string, StoredTensor>();
  for (const [name, entry] of header.entries) {
    const [begin, end] = entry.dataOffsets;
    tensors.set(name, decodeTensor(entry, bytes.subarray(start + begin, start + end), name, source));
  }
  return { tensors, metadata: header.metadata };
}

/** Tensors as sorted `[name, input]` pairs, validated for writing. */
function writableTensors(tensors: TensorInputs): [string, TensorInput][] {
  const pairs: [string, TensorInput][] =
    tensors instanceof Map ? [...(tensors as ReadonlyMap<string, TensorInput>)] : Object.entries(tensors as Readonly<Record<string, TensorInput>>);
  for (const [name, { shape, data }] of pairs) {
    const fail = (message: string): never => {
      throw new SafetensorsError('encodeSafetensors', message, name);
    };
    if (name === METADATA_KEY) fail('"__metadata__" is reserved for the metadata map');
    if (!(data instanceof Float32Array)) fail('data must be a Float32Array');
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`shape [${shape}] must be non-negative integers`);
    const numel = shape.reduce((product, dim) => product * dim, 1);
    if (numel !== data.length) fail(`shape [${shape}] has ${numel} elements but data has ${data.length}`);
  }
  // Same order as Python's writer for an all-F32 file (by name), so outputs are reproducible.
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The padded header (with its length prefix) and the data chunks, in file order. */
function encodeParts(tensors: TensorInputs, metadata: Record<string, string> | undefined): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new SafetensorsError('encodeSafetensors', `metadata value for ${JSON.stringify(key)} is not a string`);
      }
    }
    header[METADATA_KEY] = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, { shape, data }] of writableTensors(tensors)) {
    // defineProperty, not assignment: a tensor named "__proto__" must stay an ordinary key.
    Object.defineProperty(header, name, {
      value: { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + data.byteLength] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    chunks.push(float32ToBytes(data));
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces to a multiple of 8 so the data buffer starts 8-byte aligned, as Python does.
  const padded = new Uint8Array(8 + Math.ceil(json.length / 8) * 8).fill(0x20);
  new DataView(padded.buffer).setBigUint64(0, BigInt(padded.length - 8), true);
  padded.set(json, 8);
  return [padded, ...chunks];
}

/**
 * Encode tensors as a safetensors file: all F32, names sorted, header space-padded to a multiple
 * of 8 bytes, `__metadata__` first when non-empty (the layout Python's `safetensors` writes).
 * @throws SafetensorsError when a shape does not match its data or a metadata value is not a string.
 */
export function encodeSafetensors(tensors: TensorInputs, metadata?: Record<string, string>): Uint8Array {
  const parts = encodeParts(tensors, metadata);
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Write tensors to `path` as safetensors (see encodeSafetensors), atomically: the file is
 * streamed to a temp file beside `path` and renamed over it, so readers never see half a file.
 */
export async function writeSafetensors(path: string, tensors: TensorInputs, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, encodeParts(tensors, metadata));
}

/** Fill `target` from the file at `position`, or fail clearly if the file ends first. */
async function readFully(handle: FileHandle, target: Uint8Array, position: number, source: string): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(target.length - done, READ_CHUNK_BYTES);
    const { bytesRead } = await handle.read(target, done, length, position + done);
    if (bytesRead === 0) {
      throw new SafetensorsError(source, `file ended at byte ${position + done}, expected ${position + target.length} (truncated or changed while reading?)`);
    }
    done += bytesRead;
  }
}

/** Read and validate only the header of an open file; returns it and where the data starts. */
async function readHeaderFrom(handle: FileHandle, source: string): Promise<SafetensorsHeader & { dataStart: number }> {
  const { size } = await handle.stat();
  const prefix = new Uint8Array(8);
  if (size >= 8) await readFully(handle, prefix, 0, source);
  const length = headerLength(prefix, size, source);
  const bytes = new Uint8Array(length);
  await readFully(handle, bytes, 8, source);
  return { ...parseHeader(bytes, size - 8 - length, source), dataStart: 8 + length };
}

/** Read one tensor's byte range and decode it. */
async function readTensor(handle: FileHandle, entry: SafetensorsEntry, dataStart: number, name: string, source: string): Promise<StoredTensor> {
  const [begin, end] = entry.dataOffsets;
  // The header checks bounded end - begin by the file size, so only a genuine tensor too big
  // for one typed array can fail to allocate here.
  const allocate = <T>(make: () => T): T => {
    try {
      return make();
    } catch (error) {
      throw new SafetensorsError(source, `cannot allocate ${end - begin} bytes (${(error as Error).message})`, name);
    }
  };
  if (entry.dtype === 'F32' && HOST_IS_LITTLE_ENDIAN) {
    // Read straight into the result: fresh memory is slow to touch, so one buffer, not two.
    const data = allocate(() => new Float32Array((end - begin) / 4));
    await readFully(handle, new Uint8Array(data.buffer), dataStart + begin, source);
    return { dtype: entry.dtype, shape: [...entry.shape], data };
  }
  const bytes = allocate(() => new Uint8Array(end - begin));
  await readFully(handle, bytes, dataStart + begin, source);
  return decodeTensor(entry, bytes, name, source);
}

/**
 * Read only the header of a safetensors file (a few KB even for multi-GB checkpoints): tensor
 * names, dtypes, shapes and offsets, and the metadata. The header is fully validated.
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const handle = await open(path, 'r');
  try {
    const { entries, metadata } = await readHeaderFrom(handle, path);
    return { entries, metadata };
  } finally {
    await handle.close();
  }
}

/**
 * Read a safetensors file, decoding tensors to float32. With `options.names`, only the tensors
 * it accepts are read from disk: the header is read first, then just those byte ranges.
 */
export async function readSafetensors(path: string, options: { names?: (name: string) => boolean } = {}): Promise<SafetensorsFile> {
  const handle = await open(path, 'r');
  try {
    const header = await readHeaderFrom(handle, path);
    const tensors = new Map<string, StoredTensor>();
    for (const [name, entry] of header.entries) {
      if (options.names && !options.names(name)) continue;
      tensors.set(name, await readTensor(handle, entry, header.dataStart, name, path));
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await handle.close();
  }
}
