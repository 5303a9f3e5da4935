/**
 * The classifiers the benchmark trains: the S4 sequence model itself (encoder, blocks, mean
 * pooling over the valid steps, linear decoder), or for retrieval a dual encoder with S4's
 * retrieval head (state-spaces/s4 `src/tasks/decoders.py` `RetrievalDecoder` / `RetrievalHead`,
 * `nli=True`, after Nyströmformer's LRA wrapper):
 *
 *   z1, z2 = encode(doc1), encode(doc2)                     shared weights, [B, H] each
 *   logits = Linear_{H→2}(GELU(Linear_{4H→H}([z1, z2, z1 − z2, z1 ⊙ z2])))
 *
 * (upstream's feature order; the brief's [z1, z2, z1·z2, z1 − z2] is the same up to a
 * permutation of the first layer's inputs). Shapes: B batch, L length, H width.
 */
import { AdamW, MLP, Module, Random, concat, narrow, type ParamGroup, type Tensor } from '../../src/engine.ts';
import { createSequenceModel, sequenceParamGroups, type SequenceModel } from '../../models/s4/index.ts';
import type { Batch } from './batches.ts';
import type { LraSetup } from './presets.ts';

/** What the runner needs of a classifier. */
export interface LraNetwork extends Module {
  /** Logits [B, classes] of a batch. */
  logits(batch: Batch): Tensor;
  /** AdamW groups: S4's SSM group (ssmLr, no decay) and the rest. */
  paramGroups(options: { lr: number; weightDecay: number; ssmLr: number }): ParamGroup[];
  /** Trainable scalars that take part in the forward pass. */
  usedParameterCount(): number;
}

/** A single-sequence task: the sequence model as it is. */
export class SequenceClassifier extends Module implements LraNetwork {
  model: SequenceModel;

  constructor(model: SequenceModel) {
    super();
    this.model = model;
  }

  logits(batch: Batch): Tensor {
    return this.model.forward(batch.x, batch.lengths); // [B, K]
  }

  paramGroups(options: { lr: number; weightDecay: number; ssmLr: number }): ParamGroup[] {
    return sequenceParamGroups(this.model, options);
  }

  usedParameterCount(): number {
    return this.parameterCount();
  }
}

/** Retrieval: one encoder for both documents, then S4's NLI-style retrieval head. */
export class RetrievalClassifier extends Module implements LraNetwork {
  encoder: SequenceModel;
  head: MLP;

  constructor(encoder: SequenceModel, classes: number, rng: Random) {
    super();
    const width = encoder.config.dModel;
    this.encoder = encoder;
    this.head = new MLP({ inFeatures: 4 * width, hiddenFeatures: width, outFeatures: classes, activation: 'gelu', rng });
  }

  /** batch.x holds the first documents, then the second ones ([2B, L]); see collate. */
  logits(batch: Batch): Tensor {
    const z = this.encoder.encode(batch.x, batch.lengths); // [2B, H]
    const pairs = z.shape[0] / 2;
    const z1 = narrow(z, 0, 0, pairs); // [B, H]
    const z2 = narrow(z, 0, pairs, pairs); // [B, H]
    return this.head.forward(concat([z1, z2, z1.sub(z2), z1.mul(z2)], -1)); // [B, K]
  }

  /** The encoder's own decoder is never used here, so it is left out of the optimiser. */
  paramGroups(options: { lr: number; weightDecay: number; ssmLr: number }): ParamGroup[] {
    const unused = new Set(this.encoder.decoder.parameters());
    const groups = sequenceParamGroups(this.encoder, options).map((g) => ({ ...g, params: g.params.filter((p) => !unused.has(p)) }));
    return [...groups.filter((g) => g.params.length > 0), { params: this.head.parameters(), lr: options.lr, weightDecay: options.weightDecay }];
  }

  usedParameterCount(): number {
    return this.parameterCount() - this.encoder.decoder.parameterCount();
  }
}

/** The network of a setup, initialised from `seed`. */
export function buildNetwork(setup: LraSetup, seed: number): LraNetwork {
  const rng = new Random(seed);
  if (!setup.dualEncoder) return new SequenceClassifier(createSequenceModel({ ...setup.model, rng }));
  // The encoder's decoder is unused; one output keeps it (and the parameter count) small.
  const encoder = createSequenceModel({ ...setup.model, classes: 1, rng });
  return new RetrievalClassifier(encoder, setup.model.classes, rng);
}

/** AdamW over the network's groups (global lr and weight decay as the defaults). */
export function buildOptimizer(network: LraNetwork, setup: LraSetup): AdamW {
  const { lr, weightDecay, ssmLr } = setup.training;
  return new AdamW(network.paramGroups({ lr, weightDecay, ssmLr }), { lr, weightDecay });
}
