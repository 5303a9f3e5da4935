import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bfloat16ToFloat32, decodeToFloat32, float16ToFloat32, float8e4m3ToFloat32, float8e5m2ToFloat32, SUPPORTED_DTYPES } from '../../src/io/dtypes.ts';
import { SafetensorsError, decodeSafetensors, encodeSafetensors, readSafetensors, readSafetensorsHeader, writeSafetensors } from '../../src/io/safetensors.ts';
import { writeFileAtomic } from '../../src/io/atomic-write.ts';

const SOURCE = 'hostile.safetensors';

/** A file from header JSON (an object, or raw text to send malformed JSON) and data bytes. */
function build(header: unknown, data: ArrayLike<number> = []): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  return withHeaderBytes(new TextEncoder().encode(text), data);
}

function withHeaderBytes(header: Uint8Array, data: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** Decoding `bytes` must throw a SafetensorsError naming the source and every fragment. */
function rejects(bytes: Uint8Array, ...fragments: string[]): void {
  try {
    decodeSafetensors(bytes, { source: SOURCE });
  } catch (error) {
    assert.instance(error, SafetensorsError);
    const message = (error as Error).message;
    assert.ok(message.startsWith(SOURCE), `"${message}" should name the file`);
    for (const fragment of fragments) assert.ok(message.includes(fragment), `"${message}" should mention "${fragment}"`);
    return;
  }
  assert.unreachable('decoded a hostile file');
}

const f32Bits = (values: Float32Array): number[] => [...new Uint32Array(values.buffer, values.byteOffset, values.length)];
const le16 = (...values: number[]): number[] => values.flatMap((v) => [v & 0xff, v >> 8]);
const entry = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });

test('float16 bit patterns decode to their IEEE values', () => {
  const cases: [number, number][] = [
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x0400, 2 ** -14],
    [0x3555, 0.333251953125],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
    [0x0000, 0],
  ];
  for (const [bits, value] of cases) assert.is(float16ToFloat32(bits), value, `0x${bits.toString(16)}`);
  assert.ok(Object.is(float16ToFloat32(0x8000), -0));
  assert.ok(Number.isNaN(float16ToFloat32(0x7e00)));
  assert.ok(Number.isNaN(float16ToFloat32(0xfc01)));
});

test('bfloat16 is the top half of a float32', () => {
  assert.is(bfloat16ToFloat32(0x3f80), 1);
  assert.is(bfloat16ToFloat32(0xc000), -2);
  assert.is(bfloat16ToFloat32(0x7f80), Infinity);
  assert.is(bfloat16ToFloat32(0xff80), -Infinity);
  assert.is(bfloat16ToFloat32(0x0001), 2 ** -133);
  assert.is(bfloat16ToFloat32(0x4049), 3.140625);
  assert.ok(Number.isNaN(bfloat16ToFloat32(0x7fc0)));
});

test('float8 e4m3fn and e5m2 bytes decode to their OCP values', () => {
  assert.is(float8e4m3ToFloat32(0x38), 1);
  assert.is(float8e4m3ToFloat32(0xb8), -1);
  assert.is(float8e4m3ToFloat32(0x7e), 448);
  assert.is(float8e4m3ToFloat32(0x01), 2 ** -9);
  assert.ok(Number.isNaN(float8e4m3ToFloat32(0x7f)));
  assert.is(float8e5m2ToFloat32(0x3c), 1);
  assert.is(float8e5m2ToFloat32(0x7b), 57344);
  assert.is(float8e5m2ToFloat32(0x01), 2 ** -16);
  assert.is(float8e5m2ToFloat32(0xfc), -Infinity);
});

test('bulk float16 decoding matches the scalar decoder and keeps NaN payloads', () => {
  const halves = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000, 0x7e01];
  // Start at an odd byte offset: tensors in a file need not be aligned in memory.
  const bytes = new Uint8Array([0, ...le16(...halves)]).subarray(1);
  const out = decodeToFloat32('F16', bytes);
  for (let i = 0; i < 6; i++) assert.ok(Object.is(out[i], float16ToFloat32(halves[i])), `element ${i}`);
  assert.is(f32Bits(out)[6], 0x7fc02000);
});

test('float32 data is copied bit for bit, including a signalling NaN', () => {
  const bits = new Uint32Array([0x3f800000, 0x7fa00001, 0x80000000, 0x00000001]);
  const bytes = new Uint8Array([9, ...new Uint8Array(bits.buffer)]).subarray(1);
  assert.equal(f32Bits(decodeToFloat32('F32', bytes)), [...bits]);
});

test('a file of every supported dtype decodes to float32', () => {
  const parts: [string, number[], number[]][] = [
    ['f64', [1.5, -(2 ** 40)], [...new Uint8Array(new Float64Array([1.5, -(2 ** 40)]).buffer)]],
    ['bf16', [1, -2], le16(0x3f80, 0xc000)],
    ['i64', [-3, 2 ** 40], [...new Uint8Array(new BigInt64Array([-3n, 2n ** 40n]).buffer)]],
    ['u64', [7], [...new Uint8Array(new BigUint64Array([7n]).buffer)]],
    ['i32', [-5, 6], [...new Uint8Array(new Int32Array([-5, 6]).buffer)]],
    ['u32', [4000000000], [...new Uint8Array(new Uint32Array([4000000000]).buffer)]],
    ['i16', [-300], le16(0xfed4)],
    ['u16', [65535], le16(0xffff)],
    ['i8', [-1, 5], [0xff, 5]],
    ['u8', [255], [255]],
    ['bool', [1, 0, 1], [1, 0, 2]],
    ['f8', [1, 448], [0x38, 0x7e]],
    ['f8b', [1], [0x3c]],
  ];
  const dtypes = ['F64', 'BF16', 'I64', 'U64', 'I32', 'U32', 'I16', 'U16', 'I8', 'U8', 'BOOL', 'F8_E4M3', 'F8_E5M2'];
  const header: Record<string, unknown> = {};
  const data: number[] = [];
  parts.forEach(([name, values, bytes], i) => {
    header[name] = entry(dtypes[i], [values.length], [data.length, data.length + bytes.length]);
    data.push(...bytes);
  });
  const { tensors } = decodeSafetensors(build(header, data));
  parts.forEach(([name, values], i) => {
    assert.is(tensors.get(name)!.dtype, dtypes[i]);
    assert.equal([...tensors.get(name)!.data], values, name);
  });
});

test('encoding then decoding keeps names, shapes, bits and metadata', () => {
  const weird = new Float32Array(new Uint32Array([0x7fa00001, 0x80000000, 0x00000001, 0x7f7fffff]).buffer);
  const input = new Map([
    ['layers.1.w', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }],
    ['layers.0.b', { shape: [4], data: weird }],
    ['scale', { shape: [], data: new Float32Array([0.5]) }],
    ['empty', { shape: [3, 0, 2], data: new Float32Array(0) }],
    ['__proto__', { shape: [1], data: new Float32Array([7]) }],
  ]);
  const metadata = { family: 's4', config: '{"width":8}', version: '0.1.0', __proto__x: 'ü ✓' };
  const file = decodeSafetensors(encodeSafetensors(input, metadata));
  assert.equal([...file.tensors.keys()].sort(), [...input.keys()].sort());
  for (const [name, { shape, data }] of input) {
    const stored = file.tensors.get(name)!;
    assert.is(stored.dtype, 'F32');
    assert.equal(stored.shape, shape, name);
    assert.equal(f32Bits(stored.data), f32Bits(data), name);
  }
  assert.equal(file.metadata, metadata);
  assert.is(Object.getPrototypeOf(file.metadata), Object.prototype);
});

test('a plain record of tensors encodes the same as a map', () => {
  const a = { shape: [2], data: new Float32Array([1, 2]) };
  assert.equal(encodeSafetensors({ a }), encodeSafetensors(new Map([['a', a]])));
});

// The exact bytes Python's safetensors (Rust serde_json, compact, "__metadata__" first, padded
// with spaces to a multiple of 8) writes for save_file({"a": torch.tensor([1., 2.])}, metadata={"format": "pt"}).
const PYTHON_HEADER = '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}   ';
const PYTHON_FIXTURE = new Uint8Array([0x58, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode(PYTHON_HEADER), 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40]);

test('a file written by Python safetensors decodes', () => {
  assert.is(PYTHON_HEADER.length, 0x58);
  const { tensors, metadata } = decodeSafetensors(PYTHON_FIXTURE);
  assert.equal(metadata, { format: 'pt' });
  assert.equal(tensors.get('a'), { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) });
});

test('encoding produces byte for byte what Python safetensors writes', () => {
  const encoded = encodeSafetensors({ a: { shape: [2], data: new Float32Array([1, 2]) } }, { format: 'pt' });
  assert.equal([...encoded], [...PYTHON_FIXTURE]);
});

test('encoded headers are sorted, padded to 8 bytes and leave the data aligned', () => {
  const bytes = encodeSafetensors({ zeta: { shape: [1], data: new Float32Array([1]) }, alpha: { shape: [1], data: new Float32Array([2]) } });
  const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.is(length % 8, 0);
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  assert.ok(header.indexOf('"alpha"') < header.indexOf('"zeta"'));
  assert.not.ok(header.includes('__metadata__'));
  assert.equal(JSON.parse(header).zeta.data_offsets, [4, 8]);
});

const PYTHON_CHECK = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
assert (8 + n) % 8 == 0, "data not aligned"
header = json.loads(raw[8:8 + n].decode("utf-8"))
buf = raw[8 + n:]
out = {"metadata": header.pop("__metadata__", {}), "tensors": {}}
end = 0
for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
    b, e = info["data_offsets"]
    assert b == end, "not contiguous"
    end = e
    arr = np.frombuffer(buf[b:e], dtype=np.dtype(info["dtype"].replace("F32", "<f4"))).reshape(info["shape"])
    out["tensors"][name] = {"shape": list(arr.shape), "values": arr.reshape(-1).tolist()}
assert end == len(buf), "buffer not covered"
print(json.dumps(out))
`;

function pythonWithNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('an encoded file parses in Python with json, struct and numpy', async () => {
  if (!pythonWithNumpy()) {
    console.log('  note: python3 with numpy not found; skipped the Python interoperability check');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'safetensors-'));
  try {
    const path = join(dir, 'model.safetensors');
    const tensors = {
      'blocks.0.kernel': { shape: [2, 2], data: new Float32Array([0.1, -2, 3e-8, 4]) },
      bias: { shape: [3], data: new Float32Array([1, 2, 3]) },
      scalar: { shape: [], data: new Float32Array([9]) },
      empty: { shape: [0, 4], data: new Float32Array(0) },
    };
    await writeSafetensors(path, tensors, { family: 'spacetime', config: '{"d_model": 64}' });
    const result = JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, path], { encoding: 'utf8' }));
    assert.equal(result.metadata, { family: 'spacetime', config: '{"d_model": 64}' });
    for (const [name, { shape, data }] of Object.entries(tensors)) {
      assert.equal(result.tensors[name], { shape, values: [...data] }, name);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('short files and impossible header lengths are rejected before any allocation', () => {
  rejects(new Uint8Array(0), 'shorter than the 8-byte header length');
  rejects(new Uint8Array(7), 'shorter than the 8-byte header length');
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setBigUint64(0, 0xffffffffffffffffn, true);
  rejects(huge, 'header length 18446744073709551615 exceeds');
  rejects(build('{}').subarray(0, 9), 'header length 2 exceeds the 1 bytes');
});

test('headers that are not UTF-8 JSON objects are rejected', () => {
  rejects(withHeaderBytes(new Uint8Array([0x7b, 0xff, 0x7d])), 'not valid UTF-8 JSON');
  rejects(build('{"a": '), 'not valid UTF-8 JSON');
  rejects(build(''), 'not valid UTF-8 JSON');
  for (const text of ['[]', 'null', '42', '"x"']) rejects(build(text), 'not an object');
});

test('malformed tensor entries are rejected naming the tensor', () => {
  const bad: [unknown, string][] = [
    [null, 'not an object'],
    [[1, 2], 'not an object'],
    [{ shape: [1], data_offsets: [0, 4] }, '"dtype"'],
    [{ dtype: 32, shape: [1], data_offsets: [0, 4] }, '"dtype"'],
    [{ dtype: 'F32', data_offsets: [0, 4] }, '"shape"'],
    [entry('F32', [-1], [0, 4]), '"shape"'],
    [entry('F32', [1.5], [0, 4]), '"shape"'],
    [entry('F32', ['1'], [0, 4]), '"shape"'],
    [entry('F32', 1, [0, 4]), '"shape"'],
    [{ dtype: 'F32', shape: [1] }, '"data_offsets"'],
    [entry('F32', [1], [0, 4, 8]), '"data_offsets"'],
    [entry('F32', [1], [0.5, 4]), '"data_offsets"'],
    [entry('F32', [1], [-4, 0]), '"data_offsets"'],
    [entry('F32', [1], ['0', '4']), '"data_offsets"'],
    [entry('F32', [1], [0, 1e400]), '"data_offsets"'],
  ];
  for (const [raw, fragment] of bad) rejects(build({ 'layer.w': raw }, [0, 0, 0, 0]), 'tensor "layer.w"', fragment);
});

test('error messages quote only the start of a huge hostile shape', () => {
  try {
    decodeSafetensors(build({ w: entry('F32', new Array(100_000).fill(-1), [0, 4]) }, [0, 0, 0, 0]));
    assert.unreachable('decoded a negative shape');
  } catch (error) {
    assert.instance(error, SafetensorsError);
    assert.ok((error as Error).message.length < 300, 'the message copies the whole shape');
  }
});

test('an unknown dtype is named along with the supported ones', () => {
  rejects(build({ q: entry('F8_E8M0', [4], [0, 4]) }, [0, 0, 0, 0]), 'tensor "q"', '"F8_E8M0"', SUPPORTED_DTYPES.join(', '));
  rejects(build({ q: entry('constructor', [4], [0, 4]) }, [0, 0, 0, 0]), '"constructor"');
});

test('offsets outside the buffer or disagreeing with the shape are rejected', () => {
  const data = [0, 0, 0, 0, 0, 0, 0, 0];
  rejects(build({ a: entry('F32', [3], [0, 12]) }, data), 'tensor "a"', 'past the end of the 8-byte data buffer');
  rejects(build({ a: entry('F32', [1e12], [0, 4e12]) }, data), 'past the end');
  rejects(build({ a: entry('F32', [1], [8, 4]) }, data), 'end before they begin');
  rejects(build({ a: entry('F32', [1], [0, 8]) }, data), 'needs 4 bytes', 'span 8');
  rejects(build({ a: entry('F16', [2 ** 40, 2 ** 40], [0, 8]) }, data), 'tensor "a"', 'span 8');
});

test('overlapping tensors, gaps and trailing bytes are rejected', () => {
  const data = new Array(12).fill(0);
  rejects(build({ a: entry('F32', [2], [0, 8]), b: entry('F32', [2], [4, 12]) }, data), 'tensor "b"', 'overlap tensor "a"');
  rejects(build({ a: entry('F32', [1], [0, 4]), b: entry('F32', [1], [8, 12]) }, data), 'bytes [4, 8)', 'belong to no tensor');
  rejects(build({ a: entry('F32', [2], [0, 8]) }, data), 'has 12 bytes but the tensors cover only 8');
  rejects(build({ a: entry('F32', [3], [0, 12]), b: entry('F32', [0], [4, 4]) }, data), 'overlap');
});

test('metadata must be a map of strings', () => {
  rejects(build({ __metadata__: { format: 1 } }), '"format" is not a string');
  rejects(build({ __metadata__: { nested: { a: 'b' } } }), '"nested" is not a string');
  rejects(build({ __metadata__: ['pt'] }), '"__metadata__" is not an object');
  rejects(build({ __metadata__: null }), '"__metadata__" is not an object');
});

test('special names cannot reach the prototype', () => {
  const file = decodeSafetensors(build('{"__metadata__":{"__proto__":"x"},"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [3]));
  assert.is(Object.getPrototypeOf(file.metadata), Object.prototype);
  assert.is(file.metadata['__proto__'], 'x');
  assert.equal([...file.tensors.get('__proto__')!.data], [3]);
});

test('every truncation of a valid file is a clear error', () => {
  const bytes = encodeSafetensors({ a: { shape: [2], data: new Float32Array([1, 2]) }, b: { shape: [1], data: new Float32Array([3]) } }, { k: 'v' });
  for (let length = 0; length < bytes.length; length++) rejects(bytes.subarray(0, length));
});

test('random byte corruption never escapes as anything but a SafetensorsError', () => {
  const bytes = encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }, s: { shape: [], data: new Float32Array([5]) } }, { k: 'v' });
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let trial = 0; trial < 3000; trial++) {
    const copy = bytes.slice();
    for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    try {
      decodeSafetensors(copy);
    } catch (error) {
      assert.instance(error, SafetensorsError, String(error));
    }
  }
});

test('encoding rejects shapes that do not match the data and non-string metadata', () => {
  const throwsWith = (fn: () => unknown, fragment: string) => assert.throws(fn, (e: Error) => e instanceof SafetensorsError && e.message.includes(fragment));
  throwsWith(() => encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } }), 'has 4 elements but data has 3');
  throwsWith(() => encodeSafetensors({ w: { shape: [-1], data: new Float32Array(1) } }), 'non-negative integers');
  throwsWith(() => encodeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } }), 'reserved');
  throwsWith(() => encodeSafetensors({}, { version: 1 as unknown as string }), '"version" is not a string');
});

/** A temp directory for one test, removed afterwards. */
async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'safetensors-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a written file reads back whole, header only, or filtered by name', () =>
  inTempDir(async (dir) => {
    const path = join(dir, 'ckpt.safetensors');
    const tensors = { 'enc.w': { shape: [2], data: new Float32Array([1, 2]) }, 'dec.w': { shape: [1, 1], data: new Float32Array([3]) } };
    await writeSafetensors(path, tensors, { family: 'timemoe' });
    assert.equal(new Uint8Array(await readFile(path)), encodeSafetensors(tensors, { family: 'timemoe' }));
    const whole = await readSafetensors(path);
    assert.equal(whole, decodeSafetensors(await readFile(path)));
    const filtered = await readSafetensors(path, { names: (name) => name.startsWith('dec.') });
    assert.equal([...filtered.tensors.keys()], ['dec.w']);
    const header = await readSafetensorsHeader(path);
    assert.equal(header.metadata, { family: 'timemoe' });
    assert.equal(header.entries.get('enc.w'), { dtype: 'F32', shape: [2], dataOffsets: [4, 12] });
  }));

test('half-precision tensors read from disk are decoded to float32', () =>
  inTempDir(async (dir) => {
    const path = join(dir, 'half.safetensors');
    const header = { 'h.w': entry('F16', [2], [0, 4]), 'b.w': entry('BF16', [1, 1], [4, 6]), __metadata__: { format: 'pt' } };
    await writeFile(path, build(header, le16(0x3c00, 0xc000, 0x3f80)));
    const { tensors } = await readSafetensors(path);
    assert.equal(tensors.get('h.w'), { dtype: 'F16', shape: [2], data: new Float32Array([1, -2]) });
    assert.equal(tensors.get('b.w'), { dtype: 'BF16', shape: [1, 1], data: new Float32Array([1]) });
  }));

test('filtered reads of a large file touch only the selected tensors', () =>
  inTempDir(async (dir) => {
    // A sparse 1 GiB file: reading the big tensor would allocate 1 GiB, reading the small one 8 bytes.
    const big = 2 ** 28;
    const header = new TextEncoder().encode(
      JSON.stringify({
        big: entry('F32', [big], [0, 4 * big]),
        small: entry('F32', [2], [4 * big, 4 * big + 8]),
      }),
    );
    const path = join(dir, 'large.safetensors');
    const handle = await open(path, 'w');
    await handle.write(withHeaderBytes(header));
    await handle.write(new Uint8Array(new Float32Array([5, 6]).buffer), 0, 8, 8 + header.length + 4 * big);
    await handle.close();
    const before = process.memoryUsage().arrayBuffers;
    const { tensors } = await readSafetensors(path, { names: (name) => name === 'small' });
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20, 'allocated far more than the selected tensor');
    assert.equal([...tensors.keys()], ['small']);
    assert.equal([...tensors.get('small')!.data], [5, 6]);
    assert.equal((await readSafetensorsHeader(path)).entries.get('big')!.shape, [big]);
  }));

test('file errors name the path, and a header over 100 MB is refused unread', () =>
  inTempDir(async (dir) => {
    const truncated = join(dir, 'truncated.safetensors');
    await writeFile(truncated, PYTHON_FIXTURE.subarray(0, PYTHON_FIXTURE.length - 1));
    for (const read of [readSafetensors, readSafetensorsHeader]) {
      await read(truncated).then(
        () => assert.unreachable('read a truncated file'),
        (error: Error) =>
          assert.ok(error instanceof SafetensorsError && error.message.startsWith(truncated) && error.message.includes('truncated'), error.message),
      );
    }
    const absurd = join(dir, 'absurd.safetensors');
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, 150_000_000n, true);
    await writeFile(absurd, prefix);
    const handle = await open(absurd, 'r+');
    await handle.truncate(200_000_000);
    await handle.close();
    await readSafetensorsHeader(absurd).then(
      () => assert.unreachable('read an absurd header'),
      (error: Error) => assert.ok(error instanceof SafetensorsError && error.message.includes('over the 100000000-byte limit'), error.message),
    );
  }));

test('an atomic write leaves the old file untouched until the rename and removes its temp file on error', () =>
  inTempDir(async (dir) => {
    const path = join(dir, 'model.safetensors');
    await writeFile(path, 'old');
    async function* failingMidway() {
      yield new Uint8Array([1, 2, 3]);
      assert.is(await readFile(path, 'utf8'), 'old', 'the destination changed before the rename');
      assert.is((await readdir(dir)).filter((name) => name.endsWith('.tmp')).length, 1);
      throw new Error('disk full');
    }
    await writeFileAtomic(path, failingMidway()).then(
      () => assert.unreachable('the write succeeded'),
      (error: Error) => assert.is(error.message, 'disk full'),
    );
    assert.is(await readFile(path, 'utf8'), 'old');
    assert.equal(await readdir(dir), ['model.safetensors']);
    await writeFileAtomic(path, [new Uint8Array([110, 101]), new Uint8Array([119])]);
    assert.is(await readFile(path, 'utf8'), 'new');
    assert.equal(await readdir(dir), ['model.safetensors']);
  }));

test('a failed checkpoint write leaves no file behind', () =>
  inTempDir(async (dir) => {
    const path = join(dir, 'model.safetensors');
    await writeFile(path, 'old');
    await writeSafetensors(path, { w: { shape: [2], data: new Float32Array(1) } }).then(
      () => assert.unreachable('wrote a bad tensor'),
      (error: Error) => assert.instance(error, SafetensorsError),
    );
    await writeSafetensors(join(dir, 'missing', 'model.safetensors'), {}).then(
      () => assert.unreachable('wrote into a missing directory'),
      (error: NodeJS.ErrnoException) => assert.is(error.code, 'ENOENT'),
    );
    assert.is(await readFile(path, 'utf8'), 'old');
    assert.equal(await readdir(dir), ['model.safetensors']);
  }));

test.run();
