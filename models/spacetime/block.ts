/**
 * SpaceTime's blocks (HazyResearch/spacetime `model/block.py`, `model/mlp.py`):
 *
 *   MLP (pre-activation, one layer):  y = Dropout(Linear(GELU(x)) [+ x])
 *   encoder block:  z = pre(u),  y = mlp(ssm(z)),  out = y + z  (skip connection; z = u without pre)
 *   decoder block:  the closed-loop SSM alone (no pre, no MLP, no skip)
 *
 * Module names follow upstream's state dict: `blocks.0.pre`, `blocks.0.ssm`,
 * `blocks.0.mlp.layers.1.weight` (layers.0 is the activation) and `decoder.blocks.ssm`. Dropout
 * comes after the linear layer and the skip, as upstream's `MLP.forward` applies it.
 *
 * Shapes: B batch, L length, D width.
 */
import { Dropout, Linear, Module, gelu, type Random, type Tensor } from '../../src/index.ts';
import type { ClosedLoopCompanionSSM } from './closed-loop.ts';
import type { CompanionSSM, ShiftSSM } from './companion-ssm.ts';
import type { ResidualSSM } from './preprocess.ts';

/** GELU as a module, so the MLP's `layers` list keeps upstream's indices. */
export class Gelu extends Module {
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

export interface PreActivationMLPConfig {
  inputDim: number;
  outputDim: number;
  dropout?: number;
  /** y = layers(x) + x (default false; the encoder's MLPs set it). */
  skipConnection?: boolean;
  rng?: Random;
}

export class PreActivationMLP extends Module {
  /** [GELU, Linear(in → out)] */
  layers: [Gelu, Linear];
  dropout: Dropout;
  readonly skipConnection: boolean;

  constructor(config: PreActivationMLPConfig) {
    super();
    this.layers = [new Gelu(), new Linear(config.inputDim, config.outputDim, { rng: config.rng })];
    this.dropout = new Dropout(config.dropout ?? 0, { rng: config.rng });
    this.skipConnection = config.skipConnection ?? false;
  }

  /** x [..., in] → [..., out] */
  forward(x: Tensor): Tensor {
    const y = this.layers[1].forward(this.layers[0].forward(x)); // [..., out]
    return this.dropout.forward(this.skipConnection ? y.add(x) : y);
  }
}

export class EncoderBlock extends Module {
  /** The fixed preprocessing SSM (first block only), or null. */
  pre: ResidualSSM | null;
  ssm: CompanionSSM | ShiftSSM;
  mlp: PreActivationMLP;

  constructor(parts: { pre: ResidualSSM | null; ssm: CompanionSSM | ShiftSSM; mlp: PreActivationMLP }) {
    super();
    this.pre = parts.pre;
    this.ssm = parts.ssm;
    this.mlp = parts.mlp;
  }

  /** u [B, L, D] → [B, L, D] */
  forward(u: Tensor): Tensor {
    const z = this.pre ? this.pre.forward(u) : u; // [B, L, D]
    return this.mlp.forward(this.ssm.forward(z)).add(z);
  }
}

export class Encoder extends Module {
  blocks: EncoderBlock[];

  constructor(blocks: EncoderBlock[]) {
    super();
    this.blocks = blocks;
  }

  /** u [B, L, D] → [B, L, D] */
  forward(u: Tensor): Tensor {
    return this.blocks.reduce((z, block) => block.forward(z), u);
  }
}

/** Holds the decoder SSM under upstream's name `decoder.blocks.ssm`. */
export class DecoderBlock extends Module {
  ssm: ClosedLoopCompanionSSM;

  constructor(ssm: ClosedLoopCompanionSSM) {
    super();
    this.ssm = ssm;
  }
}

export class Decoder extends Module {
  blocks: DecoderBlock;

  constructor(ssm: ClosedLoopCompanionSSM) {
    super();
    this.blocks = new DecoderBlock(ssm);
  }

  get ssm(): ClosedLoopCompanionSSM {
    return this.blocks.ssm;
  }
}
