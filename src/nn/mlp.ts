/**
 * Feed-forward blocks: two-layer MLP with GELU/ReLU/SiLU, or the gated SwiGLU of
 * Shazeer (2020) as in LLaMA and Time-MoE (down(silu(gate(x)) · up(x))).
 */
import { gelu, mul, relu, silu } from '../ops/elementwise.ts';
import type { Random } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { Dropout } from './dropout.ts';
import { Linear } from './linear.ts';
import { Module } from './module.ts';

export type MlpActivation = 'gelu' | 'geluTanh' | 'relu' | 'silu' | 'swiglu';

export interface MlpOptions {
  inFeatures: number;
  hiddenFeatures: number;
  /** Default: inFeatures. */
  outFeatures?: number;
  activation?: MlpActivation;
  bias?: boolean;
  dropout?: number;
  rng?: Random;
}

/** Two-layer MLP: fc2(act(fc1(x))). */
export class MLP extends Module {
  fc1: Linear;
  fc2: Linear;
  drop: Dropout;

  constructor(readonly options: MlpOptions & { activation?: Exclude<MlpActivation, 'swiglu'> }) {
    super();
    const { inFeatures, hiddenFeatures, outFeatures = inFeatures, bias, rng } = options;
    this.fc1 = new Linear(inFeatures, hiddenFeatures, { bias, rng });
    this.fc2 = new Linear(hiddenFeatures, outFeatures, { bias, rng });
    this.drop = new Dropout(options.dropout ?? 0, { rng });
  }

  forward(x: Tensor): Tensor {
    const h = this.fc1.forward(x); // [..., hidden]
    const activation = this.options.activation ?? 'gelu';
    const a = activation === 'relu' ? relu(h) : activation === 'silu' ? silu(h) : gelu(h, { approximate: activation === 'geluTanh' ? 'tanh' : 'none' });
    return this.fc2.forward(this.drop.forward(a)); // [..., out]
  }
}

/** Gated feed-forward: down(silu(gate(x)) · up(x)); field names follow LLaMA / Time-MoE. */
export class SwiGLU extends Module {
  gate_proj: Linear;
  up_proj: Linear;
  down_proj: Linear;

  constructor(options: Omit<MlpOptions, 'activation' | 'dropout'>) {
    super();
    const { inFeatures, hiddenFeatures, outFeatures = inFeatures, rng } = options;
    const bias = options.bias ?? false;
    this.gate_proj = new Linear(inFeatures, hiddenFeatures, { bias, rng });
    this.up_proj = new Linear(inFeatures, hiddenFeatures, { bias, rng });
    this.down_proj = new Linear(hiddenFeatures, outFeatures, { bias, rng });
  }

  forward(x: Tensor): Tensor {
    return this.down_proj.forward(mul(silu(this.gate_proj.forward(x)), this.up_proj.forward(x)));
  }
}
