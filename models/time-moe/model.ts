/**
 * Time-MoE (Shi et al. 2024, "Time-MoE: Billion-Scale Time Series Foundation Models with Mixture
 * of Experts"), following the official `TimeMoeModel` and `TimeMoeForPrediction`
 * (Time-MoE/Time-MoE, time_moe/models/modeling_time_moe.py):
 *
 *   h = embed(x)                                         point-wise SwiGLU        [B, T, H]
 *   h = h + attn(RMSNorm(h));  h = h + MoE(RMSNorm(h))   × num_hidden_layers      [B, T, H]
 *   ŷ = lm_heads[j](RMSNorm(h))                          head j: H → h_j·C        [B, T, h_j·C]
 *
 * The output at position t is the forecast of points t+1 … t+h_j (h major, channel minor, as
 * upstream's logits). One head is evaluated per call, chosen as upstream (heads.ts). Positions
 * continue after a key/value cache, so decoding new points through `forward(x, { past })` equals
 * a full forward over the whole sequence.
 *
 * Deviations: see layers.ts (this one-graph path runs every expert on every token, weighted by the sparse top-k weights; routed.ts dispatches) and
 * README.md. Shapes: B batch, T points, C = input_size, H hidden, E experts, N = B·T tokens.
 */
import {
  Module,
  RMSNorm,
  Random,
  SAFETENSORS_CHECKPOINT_HINT,
  narrow,
  reshape,
  resolveCheckpointDir,
  selectSafetensorsCheckpoint,
  unsqueeze,
  type HubDownloadOptions,
  type Tensor,
} from '../../src/index.ts';
import { loadHuggingFaceFolder, saveHuggingFaceFolder } from './checkpoint.ts';
import { parseTimeMoEConfig, type TimeMoEArchitecture, type TimeMoEConfig } from './config.ts';
import { selectHead } from './heads.ts';
import { DecoderLayer, InputEmbedding, Projection, rotaryTables, type LayerCache, type WeightInit } from './layers.ts';

/** Every layer's cached keys and values, and how many points they hold. */
export interface TimeMoECache {
  layers: LayerCache[];
  length: number;
}

/** The backbone's outputs for some new points. */
export interface TimeMoEHidden {
  /** The final-norm hidden states [B, T, H]. */
  hidden: Tensor;
  /** Each sparse layer's router logits [N, E] (empty with `use_dense`). */
  routerLogits: Tensor[];
  /** The cache grown by these points. */
  cache: TimeMoECache;
}

export interface TimeMoEForwardOptions {
  /** Steps wanted: selects the head (largest not longer, or the first truncated); default the first head's horizon. */
  maxHorizon?: number;
  /** Keys and values of the points before `x` (from an earlier call); positions continue after them. */
  past?: TimeMoECache | null;
}

/** `TimeMoeModel`: the embedding, the decoder layers and the final norm. */
export class TimeMoEBackbone extends Module {
  embed_layer: InputEmbedding;
  layers: DecoderLayer[];
  norm: RMSNorm;
  readonly #config: TimeMoEConfig;
  #rope: { cos: Tensor; sin: Tensor } | null = null;

  constructor(config: TimeMoEConfig, init: WeightInit) {
    super();
    this.#config = config;
    this.embed_layer = new InputEmbedding(config, init);
    this.layers = Array.from({ length: config.num_hidden_layers }, () => new DecoderLayer(config, init));
    this.norm = new RMSNorm(config.hidden_size, { eps: config.rms_norm_eps });
  }

  /** x [B, T, C] after `past` → hidden states, router logits and the grown cache. */
  forward(x: Tensor, past: TimeMoECache | null): TimeMoEHidden {
    const start = past?.length ?? 0;
    const positions = this.positions(start, x.shape[1]);
    let h = this.embed_layer.forward(x); // [B, T, H]
    const routerLogits: Tensor[] = [];
    const layers: LayerCache[] = [];
    for (const [i, layer] of this.layers.entries()) {
      const out = layer.forward(h, positions, past?.layers[i] ?? null);
      h = out.hidden; // [B, T, H]
      layers.push(out.cache);
      if (out.routerLogits) routerLogits.push(out.routerLogits);
    }
    return { hidden: this.norm.forward(h), routerLogits, cache: { layers, length: start + x.shape[1] } };
  }

  /** cos and sin [T, hd] of positions start … start + T − 1. */
  positions(start: number, length: number): { cos: Tensor; sin: Tensor } {
    const rope = this.rotary(start + length);
    return { cos: narrow(rope.cos, 0, start, length), sin: narrow(rope.sin, 0, start, length) }; // [T, hd] each
  }

  /** The rotary tables for at least `needed` positions: max_position_embeddings, extended past it as upstream does. */
  private rotary(needed: number): { cos: Tensor; sin: Tensor } {
    if (!this.#rope || this.#rope.cos.shape[0] < needed) {
      const c = this.#config;
      this.#rope = rotaryTables(c.hidden_size / c.num_attention_heads, Math.max(needed, c.max_position_embeddings), c.rope_theta);
    }
    return this.#rope;
  }
}

/** `TimeMoeOutputLayer`: one head, H → h·C without bias. */
export class OutputLayer extends Module {
  out_layer: Projection;

  constructor(config: TimeMoEConfig, horizon: number, init: WeightInit) {
    super();
    this.out_layer = new Projection(config.hidden_size, config.input_size * horizon, { bias: false, init });
  }

  /** [B, T, H] → [B, T, h·C] */
  forward(h: Tensor): Tensor {
    return this.out_layer.forward(h);
  }
}

export interface TimeMoEOptions {
  /** Generator of the initial weights, N(0, initializer_range²) as upstream (default: seeded with 0). */
  rng?: Random;
  /** 'zeros' skips drawing weights that a checkpoint is about to replace. */
  init?: 'normal' | 'zeros';
}

/** `TimeMoeForPrediction`: the backbone and the multi-resolution heads, by upstream's parameter names. */
export class TimeMoE extends Module {
  model: TimeMoEBackbone;
  lm_heads: OutputLayer[];
  readonly config: TimeMoEConfig;
  /** The `config.json` keys this model was loaded with, written back by `save` (architectures, auto_map, ...). */
  #extraConfig: Record<string, unknown> = {};

  /**
   * A config as `config.json` spells it: the architecture keys are required (the class defaults
   * describe a 4096-wide, 32-layer model nobody means by accident); the others default as upstream.
   */
  constructor(config: TimeMoEArchitecture & Partial<TimeMoEConfig>, options: TimeMoEOptions = {}) {
    super();
    this.config = parseTimeMoEConfig(config, 'TimeMoE config');
    const init: WeightInit = options.init === 'zeros' ? null : { std: this.config.initializer_range, rng: options.rng ?? new Random(0) };
    this.model = new TimeMoEBackbone(this.config, init);
    this.lm_heads = this.config.horizon_lengths.map((h) => new OutputLayer(this.config, h, init));
  }

  /**
   * Reads a Hugging Face folder as downloaded (`config.json` and `model.safetensors` or a sharded
   * `model.safetensors.index.json`; F32, F16 or BF16), by the official tensor names. Everything is
   * checked (names both ways, shapes, dtypes, finite values) before any weight is set.
   *
   * `source` is that folder, or a Hub id such as `Maple728/TimeMoE-50M`: then the checkpoint's
   * files are downloaded into the cache (resumable, verified against the Hub's sizes and hashes,
   * `options.onProgress` for progress) or taken from it; offline, the error names the folder to
   * put the files in.
   */
  static async fromPretrained(source: string, options: HubDownloadOptions = {}): Promise<TimeMoE> {
    const dir = await resolveCheckpointDir(source, { files: selectSafetensorsCheckpoint, filesHint: SAFETENSORS_CHECKPOINT_HINT, ...options });
    return loadHuggingFaceFolder(dir, (config, extra) => {
      const model = new TimeMoE(config, { init: 'zeros' });
      model.#extraConfig = extra;
      return model;
    });
  }

  /** Writes `config.json` and `model.safetensors` (F32, official names) into `dir`, each atomically, for the official PyTorch code. */
  save(dir: string): Promise<void> {
    return saveHuggingFaceFolder(dir, { ...this.#extraConfig, ...this.config }, this.stateDict());
  }

  /** x [B, T] (input_size 1) or [B, T, C] → [B, T, C]. */
  points(x: Tensor): Tensor {
    const c = this.config.input_size;
    if (x.rank === 2 && c === 1) return unsqueeze(x, 2); // [B, T, 1]
    if (x.rank === 3 && x.shape[2] === c) return x;
    throw new RangeError(`TimeMoE: expected x ${c === 1 ? '[B, T] or [B, T, 1]' : `[B, T, ${c}]`} (input_size ${c}), got [${x.shape.join(', ')}]`);
  }

  /** The backbone over new points x [B, T] or [B, T, C] after `past`. */
  hidden(x: Tensor, past: TimeMoECache | null = null): TimeMoEHidden {
    return this.model.forward(this.points(x), past);
  }

  /** Head `index` on hidden states [B, T, H] → [B, T, h·C]. */
  head(hidden: Tensor, index: number): Tensor {
    return this.lm_heads[index].forward(hidden);
  }

  /** The chosen head's forecast at every position: x [B, T] (or [B, T, C]) → [B, T, h·C], h as `selectHead`. */
  forward(x: Tensor, options: TimeMoEForwardOptions = {}): Tensor {
    return this.decode(x, options).prediction;
  }

  /** `forward` that also returns the grown cache, for decoding: feed the next points with `past: cache`. */
  decode(x: Tensor, options: TimeMoEForwardOptions = {}): { prediction: Tensor; cache: TimeMoECache; horizon: number } {
    const { hidden, cache } = this.hidden(x, options.past ?? null);
    const choice = selectHead(this.config.horizon_lengths, options.maxHorizon ?? this.config.horizon_lengths[0]);
    let prediction = this.head(hidden, choice.index); // [B, T, h·C]
    if (choice.keep < choice.horizon) prediction = narrow(prediction, 2, 0, choice.keep * this.config.input_size); // [B, T, keep·C]
    return { prediction, cache, horizon: choice.keep };
  }
}

/** [B, T, h·C] → [B, T, h, C]: upstream's view of one head's output. */
export function splitHorizon(prediction: Tensor, channels: number): Tensor {
  const [b, t, width] = prediction.shape;
  return reshape(prediction, [b, t, width / channels, channels]); // [B, T, h, C]
}
