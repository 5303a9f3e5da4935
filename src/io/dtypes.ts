/**
 * safetensors element types and their decoding to float32.
 *
 * Every stored tensor is handed to the engine as float32 (GPU.js computes in float32 only), so
 * each dtype here has one job: turn little-endian bytes into a Float32Array. Floats are decoded
 * bit-exactly where float32 can hold them (F16, BF16, F8 are subsets of float32); F64 and wide
 * integers are rounded to the nearest float32, as numpy's `astype(np.float32)` does.
 * Reference: https://github.com/huggingface/safetensors (`Dtype` in safetensors/src/tensor.rs).
 */

/** The safetensors dtypes this module decodes. Others (F8_E8M0, F4, ...) are rejected by name. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'F8_E5M2' | 'F8_E4M3' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Bytes per element of each supported dtype. */
export const DTYPE_SIZES: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** Supported dtype names, for error messages. */
export const SUPPORTED_DTYPES = Object.keys(DTYPE_SIZES) as SafetensorsDtype[];

/** True when `name` is a dtype this module can decode. */
export function isSupportedDtype(name: string): name is SafetensorsDtype {
  return Object.hasOwn(DTYPE_SIZES, name);
}

/** Typed arrays use the host's byte order; the file is always little-endian. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/**
 * IEEE 754 binary16 bits → binary32 bits (exact: every half is a float).
 * Normal: `(-1)^s · 2^(e-15) · (1 + m/1024)`, rebiased by 127 - 15 = 112; subnormal (e = 0):
 * `(-1)^s · m · 2^-24`; e = 31: infinity (m = 0) or NaN, whose payload is kept.
 */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  // Subnormal halves are normal floats; m · 2^-24 is exact in float32, so let the FPU normalise.
  scratchF32[0] = mantissa * 2 ** -24;
  return (sign | scratchU32[0]) >>> 0;
}

// A 256 KiB table makes bulk F16 decoding one lookup per element; built on first use only.
let halfTable: Uint32Array | undefined;
function getHalfTable(): Uint32Array {
  if (!halfTable) {
    halfTable = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfToFloatBits(h);
  }
  return halfTable;
}

/** Decode one IEEE binary16 value given as its 16 bits, e.g. `0x3c00` → 1, `0x7c00` → Infinity. */
export function float16ToFloat32(bits: number): number {
  scratchU32[0] = halfToFloatBits(bits & 0xffff);
  return scratchF32[0];
}

/** Decode one bfloat16 value given as its 16 bits: it is the top half of a float32 (`0x3f80` → 1). */
export function bfloat16ToFloat32(bits: number): number {
  scratchU32[0] = (bits & 0xffff) << 16;
  return scratchF32[0];
}

/**
 * Decode one float8 e4m3fn byte (torch.float8_e4m3fn, safetensors `F8_E4M3`): bias 7, no
 * infinities, `0x7f`/`0xff` are NaN, so the largest value is 448 (OCP FP8 spec, 2023).
 */
export function float8e4m3ToFloat32(byte: number): number {
  const sign = byte & 0x80 ? -1 : 1;
  const exponent = (byte >> 3) & 0xf;
  const mantissa = byte & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9;
  return sign * 2 ** (exponent - 7) * (1 + mantissa / 8);
}

/** Decode one float8 e5m2 byte: it is the top byte of a binary16 (same exponent, 2-bit mantissa). */
export function float8e5m2ToFloat32(byte: number): number {
  return float16ToFloat32((byte & 0xff) << 8);
}

/**
 * Decode `bytes` (little-endian elements of `dtype`, length a multiple of its size) to a new
 * Float32Array. The result never aliases `bytes`.
 */
export function decodeToFloat32(dtype: SafetensorsDtype, bytes: Uint8Array): Float32Array {
  const count = Math.floor(bytes.length / DTYPE_SIZES[dtype]);
  const out = new Float32Array(count);
  if (dtype === 'F32' && HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Writing bit patterns through a Uint32Array view keeps NaN payloads and -0 intact.
  const bits = new Uint32Array(out.buffer);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) bits[i] = view.getUint32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F16': {
      const table = getHalfTable();
      for (let i = 0; i < count; i++) bits[i] = table[view.getUint16(2 * i, true)];
      break;
    }
    case 'BF16':
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    case 'F8_E5M2': {
      const table = getHalfTable();
      for (let i = 0; i < count; i++) bits[i] = table[bytes[i] << 8];
      break;
    }
    case 'F8_E4M3':
      for (let i = 0; i < count; i++) out[i] = float8e4m3ToFloat32(bytes[i]);
      break;
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case 'U64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(8 * i, true));
      break;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case 'U32':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, true);
      break;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      break;
    case 'U16':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, true);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'U8':
      for (let i = 0; i < count; i++) out[i] = bytes[i];
      break;
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      break;
  }
  return out;
}

/**
 * The little-endian F32 bytes of `data`: a view of the same memory on little-endian hosts
 * (no copy for multi-GB checkpoints), a byte-swapped copy elsewhere.
 */
export function float32ToBytes(data: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < data.length; i++) view.setUint32(4 * i, bits[i], true);
  return bytes;
}
