/**
 * SequenceModel: the deep S4 network of the S4 / S4D / SGConv papers' classification
 * experiments (LRA, sCIFAR, sMNIST), following state-spaces/s4 `src/models/sequence/backbones/`
 * (`model.py` SequenceModel, `block.py` SequenceResidualBlock), the `linear` / `embedding`
 * encoders and the `sequence` decoder (`src/tasks/{encoders,decoders}.py`), and `example.py`:
 *
 *   h = encoder(x)                                    Linear(C → H) or Embedding(V, H)
 *   per block:  y = norm(h) if prenorm else h;  y = S4Block(y);  h = h + dropout(y);
 *               h = norm(h) if post-norm
 *   h = norm(h) if prenorm                            (the backbone's final norm)
 *   z = pool(h)                                       mean over valid steps, or the last one
 *   logits = decoder(z)                               Linear(H → classes)
 *
 * Unidirectional (causal) models also run step by step (`step`, `stepBlocks`): the S4Blocks'
 * recurrent mode, the norms applied per step (LayerNorm, or BatchNorm with running statistics).
 *
 * Deviations: no input dropout, drop path, residual variants, pooling stages or layer repeats;
 * one dropout setting for the layers and the residuals (as upstream's `dropout`); the decoder
 * pools `mean` or `last` only (no `ragged`, attention pooling or multi-step `l_output`; the
 * forecaster reads `features` instead). Names: see README.md "Sequence model" for the mapping.
 *
 * Shapes: B batch, L length, C input channels, V vocabulary, H width (dModel), K classes,
 * N2 complex state modes.
 */
import {
  BatchNorm1d,
  Embedding,
  LayerNorm,
  Linear,
  Module,
  arange,
  dropout,
  globalRandom,
  narrow,
  permute,
  reshape,
  squeeze,
  tensor,
  unsqueeze,
  type ParamGroup,
  type Random,
  type Tensor,
} from '../../src/index.ts';
import { type S4Block, createS4Block, s4ParamGroups, type S4LayerConfig } from './block.ts';
import type { SsmInit } from './init.ts';

/** The SSM layer of each block (mapped onto createS4Block's layer config). */
export interface SequenceLayerConfig {
  kernel: 's4' | 's4d' | 'sgconv';
  /** N (S4, S4D; default 64). */
  dState?: number;
  /** Two-sided kernels (default false); bidirectional models have no recurrent mode. */
  bidirectional?: boolean;
  /** The longest sequence: S4 attunes C̃ to it, S4D caps its kernel at it, SGConv sizes its scales. */
  lMax: number;
  /** S4/S4D init (block.ts / init.ts): 'legs', 'diag-lin', 'diag-inv', 'diag-legs', 'diag-real', 'diag'. */
  init?: string;
  dtMin?: number;
  dtMax?: number;
  /** Copies of (A, B) shared across features (default H; LRA configs use 1). */
  nSsm?: number;
  /** S4D only (S4's DPLR kernel is bilinear by construction). */
  discretization?: 'zoh' | 'bilinear';
  /** SGConv sub-kernel size d (default 64). */
  kernelDim?: number;
}

export interface SequenceModelConfig {
  input: { kind: 'tokens'; vocabulary: number; padId?: number } | { kind: 'real'; channels: number };
  dModel: number;
  layers: number;
  /** The SSM layer of each block (passed to createS4Block; see block.ts for the options). */
  layer: SequenceLayerConfig;
  /** Default 'layer'. */
  norm?: 'layer' | 'batch';
  /** Default false (post-norm). */
  prenorm?: boolean;
  /** Dropout in each S4Block and on each residual branch (default 0). */
  dropout?: number;
  /** One dropout mask per (batch, feature), shared over L (default false, upstream's `tie_dropout`). */
  tieDropout?: boolean;
  /** Default 'mean' (over the valid steps when lengths are given). */
  pooling?: 'mean' | 'last';
  /** Decoder output size. */
  classes: number;
  rng?: Random;
}

type Norm = LayerNorm | BatchNorm1d;

/** LayerNorm over H, or BatchNorm1d over channels H, for h [B, L, H] or a step [B, H]. */
function applyNorm(norm: Norm, h: Tensor): Tensor {
  if (norm instanceof LayerNorm || h.rank === 2) return norm.forward(h);
  return permute(norm.forward(permute(h, [0, 2, 1])), [0, 2, 1]); // [B, L, H]
}

const knownInits = ['legs', 'diag-lin', 'diag-inv', 'diag-legs', 'diag-real', 'diag'] as const satisfies readonly SsmInit[];

/** createS4Block's layer config for one block. */
export function s4LayerConfig(layer: SequenceLayerConfig, dModel: number): S4LayerConfig {
  const { kernel, dState, bidirectional, lMax, dtMin, dtMax, nSsm, discretization, kernelDim } = layer;
  if (layer.init !== undefined && !(knownInits as readonly string[]).includes(layer.init)) {
    throw new RangeError(`SequenceModel: unknown init '${layer.init}'; one of ${knownInits.join(', ')}`);
  }
  const init = layer.init as SsmInit | undefined;
  const ssm = { dModel, dState, bidirectional, lMax, init, dtMin, dtMax, nSsm };
  if (kernel === 's4d') return { kind: 's4d', ...ssm, discretization };
  if (discretization === 'zoh') throw new RangeError(`SequenceModel: ${kernel} has no 'zoh' discretisation`);
  if (kernel === 's4') return { kind: 's4', ...ssm };
  return { kind: 'sgconv', dModel, bidirectional, lMax, kernelDim };
}

/** One residual block: y = x + dropout(S4Block(norm?(x))), then norm(y) when post-norm. */
export class SequenceResidualBlock extends Module {
  layer: S4Block;
  norm: Norm;
  readonly prenorm: boolean;
  readonly dropout: number;
  readonly tieDropout: boolean;
  private readonly dropoutRng: Random;

  constructor(config: SequenceModelConfig, rng: Random) {
    super();
    const { dModel, dropout: p = 0, tieDropout = false } = config;
    this.prenorm = config.prenorm ?? false;
    this.dropout = p;
    this.tieDropout = tieDropout;
    this.layer = createS4Block({ layer: s4LayerConfig(config.layer, dModel), dropout: p, tieDropout, rng });
    this.norm = config.norm === 'batch' ? new BatchNorm1d(dModel) : new LayerNorm(dModel);
    this.dropoutRng = rng.fork();
  }

  /** Residual dropout on y [B, L, H]: tied masks [B, 1, H] (upstream DropoutNd) or independent ones. */
  private drop(y: Tensor): Tensor {
    if (!this.training || this.dropout === 0) return y;
    if (!this.tieDropout) return dropout(y, this.dropout, this.dropoutRng);
    const [batch, , width] = y.shape;
    const keep = 1 / (1 - this.dropout);
    const mask = Float32Array.from({ length: batch * width }, () => (this.dropoutRng.uniform() < this.dropout ? 0 : keep));
    return y.mul(tensor(mask, [batch, 1, width]));
  }

  /** h [B, L, H] → [B, L, H]. */
  forward(h: Tensor): Tensor {
    const y = this.layer.forwardBLH(this.prenorm ? applyNorm(this.norm, h) : h); // [B, L, H]
    const out = h.add(this.drop(y)); // [B, L, H]
    return this.prenorm ? out : applyNorm(this.norm, out);
  }

  /** The zero state [B, H, N2, 2] of the block's SSM. */
  initialState(batch: number): Tensor {
    return this.layer.initialState(batch);
  }

  /** One step: h [B, H], state [B, H, N2, 2] → [B, H] (no dropout). */
  step(h: Tensor, state: Tensor): { y: Tensor; state: Tensor } {
    const next = this.layer.step(this.prenorm ? applyNorm(this.norm, h) : h, state); // y [B, H]
    const out = h.add(next.y);
    return { y: this.prenorm ? out : applyNorm(this.norm, out), state: next.state };
  }
}

export class SequenceModel extends Module {
  encoder: Linear | Embedding;
  layers: SequenceResidualBlock[];
  /** The final norm of a prenorm backbone (null for post-norm). */
  norm: Norm | null;
  decoder: Linear;
  readonly config: SequenceModelConfig;

  constructor(config: SequenceModelConfig) {
    super();
    const { input, dModel, layers, classes } = config;
    for (const [name, v] of [
      ['dModel', dModel],
      ['layers', layers],
      ['classes', classes],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`SequenceModel: ${name} must be a positive integer, got ${v}`);
    }
    const rng = config.rng ?? globalRandom;
    this.config = config;
    this.encoder = input.kind === 'tokens' ? new Embedding(input.vocabulary, dModel, { rng }) : new Linear(input.channels, dModel, { rng });
    this.layers = Array.from({ length: layers }, () => new SequenceResidualBlock(config, rng));
    this.norm = config.prenorm ? (config.norm === 'batch' ? new BatchNorm1d(dModel) : new LayerNorm(dModel)) : null;
    this.decoder = new Linear(dModel, classes, { rng });
  }

  /** Encoder input: tokens [B, L] (float ids) or reals [B, L, C]; checked here. */
  private embed(x: Tensor): Tensor {
    const { input } = this.config;
    const expected = input.kind === 'tokens' ? 'tokens [B, L]' : `reals [B, L, ${input.channels}]`;
    if (input.kind === 'tokens' ? x.rank !== 2 : x.rank !== 3 || x.shape[2] !== input.channels) {
      throw new RangeError(`SequenceModel: expected ${expected}, got [${x.shape.join(', ')}]`);
    }
    return this.encoder.forward(x); // [B, L, H]
  }

  /** Encoder + blocks + final norm: x → h [B, L, H] (per-step features, before pooling). */
  features(x: Tensor): Tensor {
    let h = this.embed(x); // [B, L, H]
    for (const block of this.layers) h = block.forward(h); // [B, L, H]
    return this.norm ? applyNorm(this.norm, h) : h;
  }

  /** Valid-step weights [B, L]: 1 for t < length (or for non-pad tokens), else 0; null when all count. */
  private validSteps(x: Tensor, lengths?: Tensor): Tensor | null {
    const length = x.shape[1];
    if (lengths) {
      if (lengths.rank !== 1 || lengths.shape[0] !== x.shape[0])
        throw new RangeError(`SequenceModel: lengths must be [${x.shape[0]}], got [${lengths.shape.join(', ')}]`);
      return arange(length).reshape([1, length]).less(unsqueeze(lengths, 1)); // [B, L]
    }
    const { input } = this.config;
    return input.kind === 'tokens' && input.padId !== undefined ? x.notEqual(input.padId) : null;
  }

  /** The encoder, blocks and pooling: x, lengths [B] → z [B, H] (dual-encoder heads use this). */
  encode(x: Tensor, lengths?: Tensor): Tensor {
    const h = this.features(x); // [B, L, H]
    const [batch, length] = h.shape;
    const valid = this.validSteps(x, lengths); // [B, L] or null
    if ((this.config.pooling ?? 'mean') === 'mean') {
      if (!valid) return h.mean(1); // [B, H]
      return h
        .mul(unsqueeze(valid, -1))
        .sum(1)
        .div(unsqueeze(valid.sum(1).maximum(1), -1)); // [B, H]
    }
    if (!valid) return squeeze(narrow(h, 1, length - 1, 1), 1); // [B, H]
    // The last valid step: one-hot at (number of valid steps − 1).
    const last = arange(length)
      .reshape([1, length])
      .equal(unsqueeze(valid.sum(1).sub(1), 1)); // [B, L]
    return reshape(h.mul(unsqueeze(last, -1)).sum(1), [batch, h.shape[2]]); // [B, H]
  }

  /** x: tokens [B, L] (float ids) or reals [B, L, C]; lengths [B] optional → logits [B, K]. */
  forward(x: Tensor, lengths?: Tensor): Tensor {
    return this.decoder.forward(this.encode(x, lengths)); // [B, K]
  }

  /** Zero recurrent states, one [B, H, N2, 2] per block (causal models only). */
  initialState(batch: number): Tensor[] {
    return this.layers.map((block) => block.initialState(batch));
  }

  /** The blocks and final norm for one step: h [B, H] (encoded input) → [B, H] features. */
  stepBlocks(h: Tensor, states: readonly Tensor[]): { y: Tensor; states: Tensor[] } {
    if (states.length !== this.layers.length) throw new RangeError(`SequenceModel: ${states.length} states for ${this.layers.length} blocks`);
    const next: Tensor[] = [];
    let y = h;
    this.layers.forEach((block, i) => {
      const out = block.step(y, states[i]);
      y = out.y;
      next.push(out.state);
    });
    return { y: this.norm ? applyNorm(this.norm, y) : y, states: next };
  }

  /** One step from the raw input: x_t tokens [B] or reals [B, C] → features [B, H] (as `features` at t). */
  step(xt: Tensor, states: readonly Tensor[]): { y: Tensor; states: Tensor[] } {
    return this.stepBlocks(this.encoder.forward(xt), states);
  }
}

export function createSequenceModel(config: SequenceModelConfig): SequenceModel {
  return new SequenceModel(config);
}

export interface SequenceParamGroupOptions {
  lr: number;
  weightDecay: number;
  /** dt, A, B (and P) learning rate, without weight decay (s4ParamGroups). */
  ssmLr: number;
  /**
   * Weight decay on biases, norm parameters and the embedding too (default true). false is
   * upstream's `optimizer_param_grouping: {bias_weight_decay: False, normalization_weight_decay: False}`.
   */
  biasAndNormDecay?: boolean;
}

/** AdamW parameter groups: s4ParamGroups, optionally with biases, norms and embeddings undecayed. */
export function sequenceParamGroups(model: SequenceModel, options: SequenceParamGroupOptions): ParamGroup[] {
  const groups = s4ParamGroups(model, options);
  if (options.biasAndNormDecay ?? true) return groups;
  const undecayed = new Set<Tensor>();
  const visit = (module: Module): void => {
    if (module instanceof LayerNorm || module instanceof BatchNorm1d || module instanceof Embedding) module.parameters().forEach((p) => undecayed.add(p));
    else if (module instanceof Linear && module.bias) undecayed.add(module.bias);
    for (const [, child] of module.namedChildren()) visit(child);
  };
  visit(model);
  return groups.flatMap((group) => {
    if (group.weightDecay === 0) return [group];
    const kept = group.params.filter((p) => !undecayed.has(p));
    const freed = group.params.filter((p) => undecayed.has(p));
    return [
      { ...group, params: kept },
      { ...group, params: freed, weightDecay: 0 },
    ].filter((g) => g.params.length > 0);
  });
}
