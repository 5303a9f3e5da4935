/**
 * Time-MoE's configuration: the keys of the Hugging Face `config.json` (snake_case, as the
 * official `TimeMoeConfig` in time_moe/models/configuration_time_moe.py writes them), their
 * class defaults, the released presets, and the one function that reads and checks a config.
 */

/** The architecture, by the official config keys. */
export interface TimeMoEConfig {
  /** Values per time point (1: univariate, as the released models). */
  input_size: number;
  /** H, the width of the residual stream. */
  hidden_size: number;
  /** I, the shared expert's width (and the dense FFN's with `use_dense`); each routed expert is I / k wide. */
  intermediate_size: number;
  /** The output heads' horizons, ascending (the released models: 1, 8, 32, 64). */
  horizon_lengths: readonly number[];
  num_hidden_layers: number;
  num_attention_heads: number;
  /** Key/value heads (grouped-query attention when fewer than the attention heads). */
  num_key_value_heads: number;
  /** The activation of the embedding and the SwiGLU blocks (only 'silu' exists upstream). */
  hidden_act: 'silu';
  /** k, experts per token. */
  num_experts_per_tok: number;
  /** E, routed experts per layer. */
  num_experts: number;
  /** The longest position the rotary tables are built for (longer inputs extend them, as upstream). */
  max_position_embeddings: number;
  /** The standard deviation of the normal initial weights. */
  initializer_range: number;
  rms_norm_eps: number;
  /** A dense SwiGLU FFN instead of the mixture of experts (exclusive with `apply_aux_loss`). */
  use_dense: boolean;
  /** θ of the rotary embedding. */
  rope_theta: number;
  attention_dropout: number;
  /** Add the load-balancing loss in training (exclusive with `use_dense`). */
  apply_aux_loss: boolean;
  /** Its weight. */
  router_aux_loss_factor: number;
}

/** The class defaults of the official `TimeMoeConfig` (`num_key_value_heads` defaults to the attention heads). */
export const timeMoEDefaults = {
  input_size: 1,
  hidden_size: 4096,
  intermediate_size: 22016,
  horizon_lengths: [1],
  num_hidden_layers: 32,
  num_attention_heads: 32,
  hidden_act: 'silu',
  num_experts_per_tok: 2,
  num_experts: 1,
  max_position_embeddings: 32768,
  initializer_range: 0.02,
  rms_norm_eps: 1e-6,
  use_dense: false,
  rope_theta: 10000,
  attention_dropout: 0,
  apply_aux_loss: true,
  router_aux_loss_factor: 0.02,
} as const;

const released = {
  horizon_lengths: [1, 8, 32, 64],
  num_hidden_layers: 12,
  num_attention_heads: 12,
  num_key_value_heads: 12,
  num_experts: 8,
  num_experts_per_tok: 2,
  max_position_embeddings: 4096,
} as const;

/** The released checkpoints' architectures (Maple728/TimeMoE-50M and -200M `config.json`). */
export const timeMoEPresets = {
  /** 113M parameters, 50M active per token. */
  timeMoE50M: { ...released, hidden_size: 384, intermediate_size: 1536 },
  /** 453M parameters, 200M active per token. */
  timeMoE200M: { ...released, hidden_size: 768, intermediate_size: 3072 },
} as const satisfies Record<string, Partial<TimeMoEConfig>>;

/** Keys a `config.json` must hold: the architecture cannot be guessed from class defaults meant for a 4096-wide model. */
const requiredKeys = ['hidden_size', 'intermediate_size', 'horizon_lengths', 'num_hidden_layers', 'num_attention_heads'] as const;

/** The keys every config must give (`parseTimeMoEConfig` refuses one without them). */
export type TimeMoEArchitecture = Pick<TimeMoEConfig, (typeof requiredKeys)[number]>;

/**
 * Reads a config (a parsed `config.json`, or a partial config over the class defaults with
 * `{ defaults: true }`) and checks every key the model uses. Keys the model does not use
 * (`architectures`, `torch_dtype`, `auto_map`, ...) are ignored here; the checkpoint writer
 * keeps them. `source` names the file in errors.
 * @throws Error naming the source and the key, and what it must be.
 */
export function parseTimeMoEConfig(raw: unknown, source = 'config', options: { defaults?: boolean } = {}): TimeMoEConfig {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('a Time-MoE config must be a JSON object');
  const given = raw as Record<string, unknown>;
  if (!options.defaults) {
    for (const key of requiredKeys)
      if (given[key] === undefined) fail(`missing "${key}" (a Time-MoE config.json names the architecture; see the released configs)`);
  }
  const value = (key: keyof TimeMoEConfig): unknown => given[key] ?? (timeMoEDefaults as Record<string, unknown>)[key];
  const integer = (key: keyof TimeMoEConfig, min = 1): number => {
    const v = value(key);
    if (!Number.isSafeInteger(v) || (v as number) < min) fail(`"${key}" must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const real = (key: keyof TimeMoEConfig, check: (v: number) => boolean, what: string): number => {
    const v = value(key);
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) fail(`"${key}" must be ${what}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const flag = (key: keyof TimeMoEConfig): boolean => {
    const v = value(key);
    if (typeof v !== 'boolean') fail(`"${key}" must be true or false, got ${JSON.stringify(v)}`);
    return v as boolean;
  };
  // Upstream accepts a bare integer for one head.
  let horizons = value('horizon_lengths');
  if (typeof horizons === 'number') horizons = [horizons];
  if (!Array.isArray(horizons) || horizons.length === 0 || !horizons.every((h) => Number.isSafeInteger(h) && h >= 1)) {
    fail(`"horizon_lengths" must be a non-empty list of positive integers, got ${JSON.stringify(horizons)}`);
  }
  const horizonLengths = [...(horizons as number[])];
  // Head selection walks the list and stops at the first longer head, so it must ascend.
  for (let i = 1; i < horizonLengths.length; i++) {
    if (horizonLengths[i] <= horizonLengths[i - 1]) fail(`"horizon_lengths" must be strictly ascending, got ${JSON.stringify(horizonLengths)}`);
  }
  const heads = integer('num_attention_heads');
  const kvHeads = given.num_key_value_heads === undefined || given.num_key_value_heads === null ? heads : integer('num_key_value_heads');
  const hidden = integer('hidden_size');
  if (hidden % heads !== 0) fail(`"hidden_size" ${hidden} must be divisible by "num_attention_heads" ${heads}`);
  if ((hidden / heads) % 2 !== 0) fail(`the head width hidden_size / num_attention_heads = ${hidden / heads} must be even for the rotary embedding`);
  if (heads % kvHeads !== 0) fail(`"num_attention_heads" ${heads} must be a multiple of "num_key_value_heads" ${kvHeads}`);
  const act = value('hidden_act');
  if (act !== 'silu') fail(`"hidden_act" must be "silu" (the only activation of the released models), got ${JSON.stringify(act)}`);
  const useDense = flag('use_dense');
  const applyAux = flag('apply_aux_loss');
  if (useDense === applyAux) fail(`"use_dense" and "apply_aux_loss" must differ (upstream's rule), got both ${useDense}`);
  const experts = integer('num_experts');
  const k = integer('num_experts_per_tok');
  const intermediate = integer('intermediate_size');
  if (!useDense) {
    if (k > experts) fail(`"num_experts_per_tok" ${k} exceeds "num_experts" ${experts}`);
    if (Math.floor(intermediate / k) < 1) fail(`"intermediate_size" ${intermediate} leaves experts of width 0 with ${k} per token`);
  }
  return {
    input_size: integer('input_size'),
    hidden_size: hidden,
    intermediate_size: intermediate,
    horizon_lengths: horizonLengths,
    num_hidden_layers: integer('num_hidden_layers'),
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    hidden_act: 'silu',
    num_experts_per_tok: k,
    num_experts: experts,
    max_position_embeddings: integer('max_position_embeddings'),
    initializer_range: real('initializer_range', (v) => v >= 0, 'a number ≥ 0'),
    rms_norm_eps: real('rms_norm_eps', (v) => v > 0, 'a number > 0'),
    use_dense: useDense,
    rope_theta: real('rope_theta', (v) => v > 0, 'a number > 0'),
    attention_dropout: real('attention_dropout', (v) => v >= 0 && v < 1, 'in [0, 1)'),
    apply_aux_loss: applyAux,
    router_aux_loss_factor: real('router_aux_loss_factor', (v) => v >= 0, 'a number ≥ 0'),
  };
}
