/**
 * Scaled dot-product attention (Vaswani et al. 2017), composed from batched matmul, a masked
 * fill and softmax: softmax(q kᵀ · scale, masked) v.
 */
import { ShapeError } from '../../kernels/index.ts';
import { leaf } from '../engine/apply.ts';
import type { Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { mul, where } from './elementwise.ts';
import { dropout, softmax } from './functional.ts';
import { matmul } from './linalg.ts';
import { reshape } from './shape.ts';

export interface AttentionOptions {
  /**
   * Causal masking: query i sees keys up to its own position, counting queries as the last
   * Lq positions of the Lk keys (so it also serves decoding with a key/value cache).
   */
  causal?: boolean;
  /** 1 where a query may attend a key, 0 where not; broadcastable to [B, H, Lq, Lk] (e.g. block-causal). */
  mask?: Tensor;
  /** 1 for real keys, 0 for padding: [B, Lk]. */
  keyPadding?: Tensor;
  /** Multiplies the scores (default 1/√D). */
  scale?: number;
  /** Attention dropout probability, with the generator for its mask. */
  dropout?: { p: number; rng: Random };
}

/** Stands in for −∞ in masked scores: exp underflows to exactly 0, and a fully masked row stays finite. */
const MASKED = -1e9;

const causalMasks = new Map<string, Tensor>();

/** The lower-triangular [Lq, Lk] mask, aligned to the bottom right; built once per size. */
export function causalMask(queries: number, keys: number): Tensor {
  const key = `${queries}x${keys}`;
  let mask = causalMasks.get(key);
  if (!mask) {
    const data = new Float32Array(queries * keys);
    const shift = keys - queries;
    for (let i = 0; i < queries; i++) for (let j = 0; j <= Math.min(keys - 1, i + shift); j++) data[i * keys + j] = 1;
    mask = leaf(data, [queries, keys]);
    causalMasks.set(key, mask);
  }
  return mask;
}

/** q [..., Lq, D], k [..., Lk, D], v [..., Lk, Dv] → [..., Lq, Dv]. */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor {
  const d = q.shape[q.rank - 1];
  if (q.rank < 2 || k.shape[k.rank - 1] !== d || k.shape[k.rank - 2] !== v.shape[v.rank - 2]) {
    throw new ShapeError('scaledDotProductAttention', [q.shape, k.shape, v.shape], 'expected q [..., Lq, D], k [..., Lk, D], v [..., Lk, Dv]');
  }
  const lq = q.shape[q.rank - 2];
  const lk = k.shape[k.rank - 2];
  let scores = mul(matmul(q, k, { transB: true }), options.scale ?? 1 / Math.sqrt(d)); // [..., Lq, Lk]
  if (options.causal) scores = where(causalMask(lq, lk), scores, MASKED);
  if (options.mask) scores = where(options.mask, scores, MASKED);
  if (options.keyPadding) {
    const [b, keys] = options.keyPadding.shape;
    if (options.keyPadding.rank !== 2 || keys !== lk) {
      throw new ShapeError('scaledDotProductAttention', [options.keyPadding.shape, k.shape], 'keyPadding must be [B, Lk]');
    }
    scores = where(reshape(options.keyPadding, [b, 1, 1, lk]), scores, MASKED); // broadcast over heads and queries
  }
  let weights = softmax(scores, -1);
  if (options.dropout && options.dropout.p > 0) weights = dropout(weights, options.dropout.p, options.dropout.rng);
  return matmul(weights, v);
}
