/**
 * The `cpu` pretraining preset: a Time-MoE small enough to pretrain from scratch on two CPU
 * cores within an hour, with the official trainer's recipe (`main.py` defaults: AdamW β (0.9,
 * 0.95), weight decay 0.1, cosine to half the learning rate, clipping 1.0) scaled for the
 * budget: a larger learning rate for the small width, a short warmup, `maxLength` 512 so that
 * zero-shot contexts of 512 (horizon 96 by the official protocol) stay within trained positions.
 */
import type { TimeMoEArchitecture, TimeMoEConfig } from './config.ts';

/** A pretraining recipe: the architecture and the optimiser and data settings. */
export interface TimeMoEPretrainPreset {
  config: TimeMoEArchitecture & Partial<TimeMoEConfig>;
  /** Window length (upstream `max_length`): windows of maxLength + 1 points at stride maxLength. */
  maxLength: number;
  batchSize: number;
  lr: number;
  /** The cosine ends at lr · minLrFactor (upstream: min_learning_rate 5e-5 for lr 1e-4). */
  minLrFactor: number;
  /** Warmup as a fraction of the planned steps. */
  warmupRatio: number;
  weightDecay: number;
  betas: [number, number];
  clipGradNorm: number;
  /** The wall-clock budget the preset is sized for, in minutes. */
  minutes: number;
}

/** The `cpu` preset: H 128, 4 layers, 4 experts top-2, heads 1, 8, 32, 64 (about 2.7M parameters). */
export const timeMoECpuPreset: TimeMoEPretrainPreset = {
  config: {
    hidden_size: 128,
    intermediate_size: 512,
    num_hidden_layers: 4,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    num_experts: 4,
    num_experts_per_tok: 2,
    horizon_lengths: [1, 8, 32, 64],
    max_position_embeddings: 4096,
  },
  maxLength: 512,
  batchSize: 8,
  lr: 1e-3,
  minLrFactor: 0.5,
  warmupRatio: 0.05,
  weightDecay: 0.1,
  betas: [0.9, 0.95],
  clipGradNorm: 1,
  minutes: 60,
};
