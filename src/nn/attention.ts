/** Multi-head self-attention (Vaswani et al. 2017) with a fused q/k/v projection. */
import { ShapeError } from '../../kernels/index.ts';
import { scaledDotProductAttention, type AttentionOptions } from '../ops/attention.ts';
import { globalRandom, type Random } from '../random.ts';
import { permute, reshape, split } from '../ops/shape.ts';
import type { Tensor } from '../tensor.ts';
import { Linear } from './linear.ts';
import { Module } from './module.ts';

export interface MultiHeadAttentionOptions {
  dim: number;
  heads: number;
  bias?: boolean;
  /** Dropout on the attention weights. */
  dropout?: number;
  rng?: Random;
}

export class MultiHeadAttention extends Module {
  qkv: Linear;
  proj: Linear;
  private readonly dropoutRng: Random;

  constructor(readonly options: MultiHeadAttentionOptions) {
    super();
    const { dim, heads, bias, rng = globalRandom } = options;
    if (dim % heads !== 0) throw new ShapeError('MultiHeadAttention', [[dim]], `dim ${dim} is not divisible by ${heads} heads`);
    this.qkv = new Linear(dim, 3 * dim, { bias, rng });
    this.proj = new Linear(dim, dim, { bias, rng });
    this.dropoutRng = rng.fork();
  }

  /** x [B, L, D] → [B, L, D]; masks as in scaledDotProductAttention. */
  forward(x: Tensor, mask: Pick<AttentionOptions, 'causal' | 'mask' | 'keyPadding'> = {}): Tensor {
    const [b, l, d] = x.shape;
    const h = this.options.heads;
    const heads = (t: Tensor) => permute(reshape(t, [b, l, h, d / h]), [0, 2, 1, 3]); // [B, H, L, D/H]
    const [q, k, v] = split(this.qkv.forward(x), d, -1).map(heads);
    const p = this.training ? (this.options.dropout ?? 0) : 0;
    const attended = scaledDotProductAttention(q, k, v, { ...mask, dropout: p > 0 ? { p, rng: this.dropoutRng } : undefined }); // [B, H, L, D/H]
    return this.proj.forward(reshape(permute(attended, [0, 2, 1, 3]), [b, l, d])); // [B, L, D]
  }
}
