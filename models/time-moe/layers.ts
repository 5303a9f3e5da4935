/**
 * Time-MoE's building blocks, bottom-up, as the official modeling_time_moe.py
 * (Time-MoE/Time-MoE, time_moe/models): the point-wise SwiGLU input embedding
 * (`TimeMoeInputEmbedding`), the rotary tables (`TimeMoeRotaryEmbedding`, rotate-half), causal
 * self-attention with q/k/v biases and a key/value cache (`TimeMoeAttention`, eager), the SwiGLU
 * block (`TimeMoeTemporalBlock`), the sparse mixture of experts with its sigmoid-gated shared
 * expert (`TimeMoeSparseExpertsLayer`) and the pre-norm decoder layer (`TimeMoeDecoderLayer`).
 * Field names are upstream's attribute names, so dotted parameter names match the checkpoints.
 *
 * Two expert paths: `forward` builds one graph in which every routed expert runs on every token,
 * weighted by the router's top-k weights, exactly 0 off the top k (same values and gradients as
 * upstream's per-expert dispatch, E/k times the routed-expert FLOPs; training uses it, since a
 * dispatch needs the routing's values, which a graph built without awaiting does not have);
 * `route` + `dispatch` run each expert on its own tokens once the routing is realised
 * (routed.ts, for inference).
 *
 * Shapes: B batch, T new time points, S cached + new points, H hidden, nH heads, nKV key/value
 * heads, hd head width H/nH, E experts, k experts per token, N = B·T tokens.
 */
import {
  Module,
  RMSNorm,
  concat,
  expand,
  indexAdd,
  indexSelect,
  linear,
  mul,
  narrow,
  neg,
  normalParameter,
  parameter,
  permute,
  reshape,
  scaledDotProductAttention,
  scatterAdd,
  sigmoid,
  silu,
  softmax,
  tensor,
  topk,
  Random,
  type Tensor,
} from '../../src/index.ts';
import type { TimeMoEConfig } from './config.ts';

/** How new weights are drawn: N(0, std²) as upstream's `_init_weights`, or zeros for a model about to load a checkpoint. */
export type WeightInit = { std: number; rng: Random } | null;

/** A bias-optional affine map with torch.nn.Linear's names and layout (weight [out, in]), initialised as upstream. */
export class Projection extends Module {
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: { bias: boolean; init: WeightInit }) {
    super();
    const { init } = options;
    this.weight = init
      ? normalParameter([outFeatures, inFeatures], init.std, init.rng)
      : parameter(new Float32Array(outFeatures * inFeatures), [outFeatures, inFeatures]);
    this.bias = options.bias ? parameter(new Float32Array(outFeatures), [outFeatures]) : null;
  }

  /** [..., in] → [..., out] */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** `TimeMoeInputEmbedding`: one token per time point, h = silu(W_gate x) ⊙ (W_emb x). */
export class InputEmbedding extends Module {
  emb_layer: Projection;
  gate_layer: Projection;

  constructor(config: TimeMoEConfig, init: WeightInit) {
    super();
    this.emb_layer = new Projection(config.input_size, config.hidden_size, { bias: false, init });
    this.gate_layer = new Projection(config.input_size, config.hidden_size, { bias: false, init });
  }

  /** x [B, T, C] → [B, T, H] */
  forward(x: Tensor): Tensor {
    return mul(silu(this.gate_layer.forward(x)), this.emb_layer.forward(x)); // [B, T, H]
  }
}

/** `TimeMoeTemporalBlock`: down(silu(gate(x)) ⊙ up(x)), no biases. */
export class TemporalBlock extends Module {
  gate_proj: Projection;
  up_proj: Projection;
  down_proj: Projection;

  constructor(hidden: number, width: number, init: WeightInit) {
    super();
    this.gate_proj = new Projection(hidden, width, { bias: false, init });
    this.up_proj = new Projection(hidden, width, { bias: false, init });
    this.down_proj = new Projection(width, hidden, { bias: false, init });
  }

  /** [..., H] → [..., H] */
  forward(x: Tensor): Tensor {
    return this.down_proj.forward(mul(silu(this.gate_proj.forward(x)), this.up_proj.forward(x))); // [..., H]
  }
}

/**
 * The rotary tables cos(p·θ_i), sin(p·θ_i) for positions p < `length`, with θ_i = 1/θ^(2i/hd)
 * repeated over both halves (upstream's `cat(freqs, freqs)`), rounded step by step to float32
 * as torch computes them.
 */
export function rotaryTables(headDim: number, length: number, theta: number): { cos: Tensor; sin: Tensor } {
  const half = headDim / 2;
  const inverse = Float32Array.from({ length: half }, (_, i) => Math.fround(1 / Math.fround(theta ** Math.fround((2 * i) / headDim))));
  const cos = new Float32Array(length * headDim);
  const sin = new Float32Array(length * headDim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * inverse[i]);
      cos[p * headDim + i] = cos[p * headDim + half + i] = Math.cos(angle);
      sin[p * headDim + i] = sin[p * headDim + half + i] = Math.sin(angle);
    }
  }
  return { cos: tensor(cos, [length, headDim]), sin: tensor(sin, [length, headDim]) };
}

/** x·cos + rotate_half(x)·sin with rotate_half([x1, x2]) = [−x2, x1]: x [B, n, T, hd], cos/sin [T, hd]. */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const half = x.shape[3] / 2;
  const rotated = concat([neg(narrow(x, 3, half, half)), narrow(x, 3, 0, half)], 3); // [B, n, T, hd]
  return mul(x, cos).add(mul(rotated, sin)); // [B, n, T, hd]
}

/** One layer's cached keys (after the rotary embedding) and values: [B, nKV, S, hd] each. */
export interface LayerCache {
  key: Tensor;
  value: Tensor;
}

/** `TimeMoeAttention` (eager): causal softmax(q kᵀ/√hd) v over the cache and the new points. */
export class Attention extends Module {
  q_proj: Projection;
  k_proj: Projection;
  v_proj: Projection;
  o_proj: Projection;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly #rng: Random;

  constructor(config: TimeMoEConfig, init: WeightInit) {
    super();
    const h = config.hidden_size;
    this.heads = config.num_attention_heads;
    this.kvHeads = config.num_key_value_heads;
    this.headDim = h / this.heads;
    this.dropout = config.attention_dropout;
    this.#rng = init?.rng.fork() ?? new Random(0); // attention dropout's masks (0 in the released models)
    this.q_proj = new Projection(h, this.heads * this.headDim, { bias: true, init });
    this.k_proj = new Projection(h, this.kvHeads * this.headDim, { bias: true, init });
    this.v_proj = new Projection(h, this.kvHeads * this.headDim, { bias: true, init });
    this.o_proj = new Projection(this.heads * this.headDim, h, { bias: false, init });
  }

  /** x [B, T, H] at positions given by cos/sin [T, hd], after `past` → output [B, T, H] and the grown cache. */
  forward(x: Tensor, rope: { cos: Tensor; sin: Tensor }, past: LayerCache | null): { output: Tensor; cache: LayerCache } {
    const [b, t] = x.shape;
    const split = (y: Tensor, n: number) => permute(reshape(y, [b, t, n, this.headDim]), [0, 2, 1, 3]); // [B, n, T, hd]
    const q = applyRotary(split(this.q_proj.forward(x), this.heads), rope.cos, rope.sin); // [B, nH, T, hd]
    let key = applyRotary(split(this.k_proj.forward(x), this.kvHeads), rope.cos, rope.sin); // [B, nKV, T, hd]
    let value = split(this.v_proj.forward(x), this.kvHeads); // [B, nKV, T, hd]
    if (past) {
      key = concat([past.key, key], 2); // [B, nKV, S, hd]
      value = concat([past.value, value], 2); // [B, nKV, S, hd]
    }
    const p = this.training ? this.dropout : 0;
    const attended = scaledDotProductAttention(q, this.repeatKv(key), this.repeatKv(value), {
      causal: true, // queries are the last T of the S keys, so the mask also covers cached decoding
      dropout: p > 0 ? { p, rng: this.#rng } : undefined,
    }); // [B, nH, T, hd]
    const merged = reshape(permute(attended, [0, 2, 1, 3]), [b, t, this.heads * this.headDim]); // [B, T, H]
    return { output: this.o_proj.forward(merged), cache: { key, value } };
  }

  /** Grouped-query attention: each key/value head serves nH/nKV query heads ([B, nKV, S, hd] → [B, nH, S, hd]). */
  private repeatKv(x: Tensor): Tensor {
    const groups = this.heads / this.kvHeads;
    if (groups === 1) return x;
    const [b, n, s, d] = x.shape;
    return reshape(expand(reshape(x, [b, n, 1, s, d]), [b, n, groups, s, d]), [b, n * groups, s, d]); // [B, nH, S, hd]
  }
}

/**
 * `TimeMoeSparseExpertsLayer`: p = softmax(gate(x)); the top-k p_e (not renormalised) weight
 * their experts; plus sigmoid(shared_expert_gate(x)) · shared_expert(x). Returns the router
 * logits for the load-balancing loss.
 */
export class SparseExpertsLayer extends Module {
  gate: Projection;
  experts: TemporalBlock[];
  shared_expert: TemporalBlock;
  shared_expert_gate: Projection;
  readonly topK: number;

  constructor(config: TimeMoEConfig, init: WeightInit) {
    super();
    const h = config.hidden_size;
    this.topK = config.num_experts_per_tok;
    this.gate = new Projection(h, config.num_experts, { bias: false, init });
    const width = Math.floor(config.intermediate_size / this.topK);
    this.experts = Array.from({ length: config.num_experts }, () => new TemporalBlock(h, width, init));
    this.shared_expert = new TemporalBlock(h, config.intermediate_size, init);
    this.shared_expert_gate = new Projection(h, 1, { bias: false, init });
  }

  /** x [B, T, H] → output [B, T, H] and router logits [N, E]. */
  forward(x: Tensor): { output: Tensor; routerLogits: Tensor } {
    const [b, t, h] = x.shape;
    const tokens = reshape(x, [b * t, h]); // [N, H]
    const { routerLogits, probabilities, values, indices } = this.route(tokens);
    const weights = scatterAdd(indices, values, -1, probabilities.shape); // [N, E], zero off the top k
    let output = this.shared(tokens); // [N, H]
    for (const [e, expert] of this.experts.entries()) {
      output = output.add(mul(expert.forward(tokens), narrow(weights, 1, e, 1))); // [N, H]
    }
    return { output: reshape(output, [b, t, h]), routerLogits };
  }

  /** The router on tokens [N, H]: logits and probabilities [N, E], the top-k probabilities and experts [N, k]. */
  route(tokens: Tensor): { routerLogits: Tensor; probabilities: Tensor; values: Tensor; indices: Tensor } {
    const routerLogits = this.gate.forward(tokens); // [N, E]
    const probabilities = softmax(routerLogits, -1); // [N, E]
    const { values, indices } = topk(probabilities, this.topK); // [N, k] each, not renormalised
    return { routerLogits, probabilities, values, indices };
  }

  /** σ(shared_expert_gate(x)) · shared_expert(x) on tokens [N, H]. */
  shared(tokens: Tensor): Tensor {
    return mul(this.shared_expert.forward(tokens), sigmoid(this.shared_expert_gate.forward(tokens))); // [N, H]
  }

  /**
   * The routed experts by dispatch, for a routing already computed (realised) on tokens [N, H]:
   * each expert runs on its own tokens only, and the weighted outputs are added back at their
   * token (upstream's loop of `index_add_`). `indices` and `values` are the router's [N, k]
   * choices and probabilities, as plain arrays.
   */
  dispatch(tokens: Tensor, indices: Float32Array, values: Float32Array): Tensor {
    const [n] = tokens.shape;
    const parts: Tensor[] = [];
    const rows: number[] = [];
    for (const [e, expert] of this.experts.entries()) {
      const mine: number[] = [];
      const weights: number[] = [];
      for (let i = 0; i < indices.length; i++) {
        if (indices[i] === e) {
          mine.push(Math.floor(i / this.topK));
          weights.push(values[i]);
        }
      }
      if (mine.length === 0) continue;
      const selected = indexSelect(tokens, 0, tensor(mine, [mine.length])); // [n_e, H]
      parts.push(mul(expert.forward(selected), tensor(weights, [weights.length, 1]))); // [n_e, H]
      for (const row of mine) rows.push(row); // not push(...mine): tens of thousands of arguments overflow the stack
    }
    const routed = indexAdd(tensor(rows, [rows.length]), parts.length === 1 ? parts[0] : concat(parts, 0), 0, n); // [N, H]
    return this.shared(tokens).add(routed); // [N, H]
  }
}

/** `TimeMoeDecoderLayer`: h += attn(norm(h)); h += ffn(norm(h)), pre-norm RMSNorm. */
export class DecoderLayer extends Module {
  self_attn: Attention;
  ffn_layer: SparseExpertsLayer | TemporalBlock;
  input_layernorm: RMSNorm;
  post_attention_layernorm: RMSNorm;

  constructor(config: TimeMoEConfig, init: WeightInit) {
    super();
    this.self_attn = new Attention(config, init);
    this.ffn_layer = config.use_dense ? new TemporalBlock(config.hidden_size, config.intermediate_size, init) : new SparseExpertsLayer(config, init);
    this.input_layernorm = new RMSNorm(config.hidden_size, { eps: config.rms_norm_eps });
    this.post_attention_layernorm = new RMSNorm(config.hidden_size, { eps: config.rms_norm_eps });
  }

  /** h [B, T, H] → [B, T, H], the grown cache, and the router logits [N, E] (null for the dense FFN). */
  forward(h: Tensor, rope: { cos: Tensor; sin: Tensor }, past: LayerCache | null): { hidden: Tensor; cache: LayerCache; routerLogits: Tensor | null } {
    const { mid, normed, cache } = this.attend(h, rope, past);
    if (this.ffn_layer instanceof SparseExpertsLayer) {
      const { output, routerLogits } = this.ffn_layer.forward(normed);
      return { hidden: mid.add(output), cache, routerLogits };
    }
    return { hidden: mid.add(this.ffn_layer.forward(normed)), cache, routerLogits: null };
  }

  /** The attention half: mid = h + attn(norm(h)) [B, T, H], the FFN's input norm(mid) [B, T, H], the grown cache. */
  attend(h: Tensor, rope: { cos: Tensor; sin: Tensor }, past: LayerCache | null): { mid: Tensor; normed: Tensor; cache: LayerCache } {
    const attention = this.self_attn.forward(this.input_layernorm.forward(h), rope, past);
    const mid = h.add(attention.output); // [B, T, H]
    return { mid, normed: this.post_attention_layernorm.forward(mid), cache: attention.cache };
  }
}
