/**
 * S4Block: the S4 layer as used in a backbone (state-spaces/s4 `models/s4/s4.py` `S4Block`,
 * `src/models/sequence/modules/s4block.py`), around any of the three kernels:
 *
 *   y = GLU(Linear_{C·H→2H}(Dropout(GELU(K * u + D·u)))),  GLU(a, b) = a ⊙ σ(b),
 *
 * with Dropout tied over L (`DropoutNd`, one mask per batch and feature) by default. No residual
 * or norm: the backbone adds them. Plus `s4ParamGroups`, the official `setup_optimizer` grouping.
 *
 * Field names follow the standalone S4Block's state dict: `layer.kernel.*`, `layer.D`,
 * `output_linear.0.{weight,bias}` (upstream `nn.Sequential(Linear, GLU)`).
 * Deviations: GELU after the layer's output, as the main repository (the standalone file applies
 * the layer dropout first; identical in eval mode); one dropout instead of two; no gate,
 * bottleneck or other final activations; `step` applies no dropout (inference).
 *
 * Shapes: B batch, H width, L length, C channels, N2 complex modes.
 */
import { Linear, Module, dropout, globalRandom, matmul, narrow, permute, reshape, tensor, type ParamGroup, type Random, type Tensor } from '../../src/index.ts';
import type { ConvolutionKernel, FFTConv } from './conv.ts';
import { S4Kernel, createS4, type S4Config } from './s4.ts';
import { S4DKernel, createS4D, type S4DConfig } from './s4d.ts';
import { SGConvKernel, createSGConv, type SGConvConfig } from './sgconv.ts';

export type BlockActivation = 'gelu' | 'silu' | 'none';

export interface S4BlockOptions {
  /** After the convolution (default 'gelu'). */
  activation?: BlockActivation;
  /** Default 0. */
  dropout?: number;
  /** One mask per (batch, feature), shared over L (default true, as s4d.py's DropoutNd). */
  tieDropout?: boolean;
  rng?: Random;
}

/** a ⊙ σ(b) for x = [a, b] split in halves on the last axis. */
function glu(x: Tensor): Tensor {
  const half = x.shape[x.rank - 1] / 2;
  return narrow(x, -1, 0, half).mul(narrow(x, -1, half, half).sigmoid());
}

function activate(x: Tensor, activation: BlockActivation): Tensor {
  if (activation === 'gelu') return x.gelu();
  if (activation === 'silu') return x.silu();
  return x;
}

export class S4Block<K extends Module & ConvolutionKernel = Module & ConvolutionKernel> extends Module {
  layer: FFTConv<K>;
  /** [Linear(C·H → 2H)], named `output_linear.0` as upstream. */
  output_linear: Linear[];
  readonly activation: BlockActivation;
  readonly dropout: number;
  readonly tieDropout: boolean;
  private readonly dropoutRng: Random;

  constructor(layer: FFTConv<K>, options: S4BlockOptions = {}) {
    super();
    const rng = options.rng ?? globalRandom;
    this.layer = layer;
    this.activation = options.activation ?? 'gelu';
    this.dropout = options.dropout ?? 0;
    this.tieDropout = options.tieDropout ?? true;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new RangeError(`S4Block: dropout ${this.dropout} must be in [0, 1)`);
    this.dropoutRng = rng.fork();
    this.output_linear = [new Linear(layer.channels * layer.width, 2 * layer.width, { rng })];
  }

  /**
   * Dropout on y, with tied masks shared over the length axis `lengthAxis` (1 for [B, L, F],
   * 2 for [B, F, L]) or independent ones.
   */
  private drop(y: Tensor, lengthAxis: 1 | 2): Tensor {
    if (!this.training || this.dropout === 0) return y;
    if (!this.tieDropout) return dropout(y, this.dropout, this.dropoutRng);
    const batch = y.shape[0];
    const features = y.shape[3 - lengthAxis];
    const scale = 1 / (1 - this.dropout);
    const mask = Float32Array.from({ length: batch * features }, () => (this.dropoutRng.uniform() < this.dropout ? 0 : scale));
    return y.mul(tensor(mask, lengthAxis === 1 ? [batch, 1, features] : [batch, features, 1]));
  }

  /** x [B, L, H] → [B, L, H]. */
  forwardBLH(x: Tensor): Tensor {
    const y = permute(this.layer.forward(permute(x, [0, 2, 1])), [0, 2, 1]); // [B, L, C·H]
    const hidden = this.drop(activate(y, this.activation), 1); // [B, L, C·H]
    return glu(this.output_linear[0].forward(hidden)); // [B, L, H]
  }

  /**
   * x [B, H, L] → [B, H, L], channel-first throughout (as upstream's `transposed` layout): the
   * output linear is W · y per batch, a 1×1 convolution, so no transposes are needed.
   */
  forward(x: Tensor): Tensor {
    const { weight, bias } = this.output_linear[0];
    const hidden = this.drop(activate(this.layer.forward(x), this.activation), 2); // [B, C·H, L]
    let z = matmul(weight, hidden); // [2H, C·H] · [B, C·H, L] → [B, 2H, L]
    if (bias) z = z.add(reshape(bias, [bias.shape[0], 1])); // + [2H, 1]
    const half = z.shape[1] / 2;
    return narrow(z, 1, 0, half).mul(narrow(z, 1, half, half).sigmoid()); // GLU over the features: [B, H, L]
  }

  /** The zero state [B, H, N2, 2] of an SSM layer. */
  initialState(batch: number): Tensor {
    return this.layer.initialState(batch);
  }

  /** One step: u [B, H] → y [B, H] (no dropout). */
  step(u: Tensor, state: Tensor): { y: Tensor; state: Tensor } {
    const next = this.layer.step(u, state); // y [B, C·H]
    return { y: glu(this.output_linear[0].forward(activate(next.y, this.activation))), state: next.state };
  }
}

/** Which kernel an S4Block wraps, with that layer's config. */
export type S4LayerConfig = ({ kind: 's4d' } & S4DConfig) | ({ kind: 's4' } & S4Config) | ({ kind: 'sgconv' } & SGConvConfig);

export interface S4BlockConfig extends S4BlockOptions {
  layer: S4LayerConfig;
}

export function createS4Block(config: S4BlockOptions & { layer: { kind: 's4d' } & S4DConfig }): S4Block<S4DKernel>;
export function createS4Block(config: S4BlockOptions & { layer: { kind: 's4' } & S4Config }): S4Block<S4Kernel>;
export function createS4Block(config: S4BlockOptions & { layer: { kind: 'sgconv' } & SGConvConfig }): S4Block<SGConvKernel>;
export function createS4Block(config: S4BlockConfig): S4Block;
export function createS4Block(config: S4BlockConfig): S4Block {
  const { layer, ...options } = config;
  const rng = config.rng ?? globalRandom;
  const conv = createLayer(layer, rng) as FFTConv<Module & ConvolutionKernel>;
  return new S4Block(conv, { ...options, rng });
}

function createLayer(config: S4LayerConfig, rng: Random): FFTConv<S4DKernel> | FFTConv<S4Kernel> | FFTConv<SGConvKernel> {
  switch (config.kind) {
    case 's4d': {
      const { kind, ...layer } = config;
      return createS4D({ rng, ...layer });
    }
    case 's4': {
      const { kind, ...layer } = config;
      return createS4({ rng, ...layer });
    }
    case 'sgconv': {
      const { kind, ...layer } = config;
      return createSGConv({ rng, ...layer });
    }
  }
}

export interface S4ParamGroupOptions {
  /** The global learning rate and weight decay (everything not listed below). */
  lr: number;
  weightDecay: number;
  /** Learning rate of dt, A, B, P (and C with includeC, and SGConv's sub-kernels); default lr. */
  ssmLr?: number;
  /** Put C in the SSM group too (upstream: only when its lr is set explicitly). */
  includeC?: boolean;
}

/**
 * Parameter groups as upstream `setup_optimizer`: the SSM parameters dt, A, B, P (registered with
 * `_optim = {lr, weight_decay: 0}`) in one group with ssmLr and no weight decay; SGConv's
 * sub-kernels (`_optim = {lr}`) with ssmLr and the global weight decay; the rest with lr/weightDecay.
 */
export function s4ParamGroups(model: Module, options: S4ParamGroupOptions): ParamGroup[] {
  const ssmLr = options.ssmLr ?? options.lr;
  const ssm: Tensor[] = [];
  const sgconv: Tensor[] = [];
  const visit = (module: Module): void => {
    if (module instanceof S4DKernel || module instanceof S4Kernel) {
      ssm.push(module.inv_dt, module.A_real, module.A_imag);
      if (module.B) ssm.push(module.B);
      if (module instanceof S4Kernel) ssm.push(module.P);
      if (options.includeC) ssm.push(module.C);
    } else if (module instanceof SGConvKernel) sgconv.push(...module.kernel_list);
    for (const [, child] of module.namedChildren()) visit(child);
  };
  visit(model);
  const special = new Set([...ssm, ...sgconv]);
  const groups: ParamGroup[] = [{ params: model.parameters().filter((p) => !special.has(p)), lr: options.lr, weightDecay: options.weightDecay }];
  if (ssm.length > 0) groups.push({ params: ssm.filter((p) => p.requiresGrad), lr: ssmLr, weightDecay: 0 });
  if (sgconv.length > 0) groups.push({ params: sgconv, lr: ssmLr, weightDecay: options.weightDecay });
  return groups.filter((g) => g.params.length > 0);
}
