/**
 * Images as sequences (sCIFAR, Pathfinder, sMNIST): an 8-bit image flattened row-major is a
 * sequence of grey levels, fed either as normalised reals (S4) or as tokens 0..255 (LRA).
 */
import type { Vocabulary } from './task.ts';

/** `'real'`: normalised Float32 values; `'tokens'`: the grey levels 0..255 as Int32 ids. */
export type PixelEncoding = 'real' | 'tokens';

/** Grey levels as tokens: 256 ids, no padding (every image has the same length). */
export const pixelVocabulary: Vocabulary = { size: 256 };

/** Maps grey level g (0..255) to the real input. */
export type PixelScale = { offset: number; scale: number };

/** x/255: S4's sCIFAR-grey and sMNIST input in [0, 1]. */
export const unitScale: PixelScale = { offset: 0, scale: 1 / 255 };

/** (x/255 − 0.5)/0.5: S4's Pathfinder input in [−1, 1]. */
export const symmetricScale: PixelScale = { offset: -1, scale: 2 / 255 };

/**
 * One image's pixels as a sequence; `permutation[t]` (psMNIST) is the pixel read at step t.
 */
export function pixelSequence(image: Uint8Array, encoding: PixelEncoding, scale: PixelScale, permutation?: Int32Array): Int32Array | Float32Array {
  const n = image.length;
  if (encoding === 'tokens') {
    const out = new Int32Array(n);
    for (let t = 0; t < n; t++) out[t] = image[permutation ? permutation[t] : t];
    return out;
  }
  const out = new Float32Array(n);
  for (let t = 0; t < n; t++) out[t] = scale.offset + scale.scale * image[permutation ? permutation[t] : t];
  return out;
}
