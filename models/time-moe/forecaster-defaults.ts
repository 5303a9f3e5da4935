/**
 * The Time-MoE forecaster's defaults, read by the forecaster, its fine-tuning (fine-tune.ts) and,
 * through the registry, the CLI. The fine-tuning values are the official `main.py` /
 * `TimeMoeTrainer` defaults (reference models.md §3.5): AdamW β (0.9, 0.95), ε 1e-8, learning
 * rate 1e-4 decayed by a cosine to 5e-5 without warmup, weight decay 0.1 (biases excluded, as
 * the transformers Trainer), gradient clipping 1.0, one epoch.
 */
export const timeMoEForecasterDefaults = {
  /**
   * Per-window z-score of each channel's context before `generate`, undone after: with the
   * unbiased std (N − 1), as the README's zero-shot recipe.
   */
  normalization: 'window-unbiased',
  /** Zero-shot: `fit` loads the weights and trains nothing; true fine-tunes them on the data. */
  fineTune: false,
  /** `generate`'s expert path: each expert on its own tokens (same values as 'dense', faster). */
  experts: 'routed',
  /**
   * Series-channels forecast by one `generate` call. 'auto': as many as keep one layer's attention
   * scores (heads × (context + horizon)² floats per row) within 256 MB, at most 4096: 15 rows for
   * TimeMoE-50M at context 512 and horizon 96, thousands for small models and contexts.
   */
  predictBatchSize: 'auto',
  /** Upstream's micro batch (its global batch of 64 is 4 accumulated micro batches). */
  batchSize: 16,
  learningRate: 1e-4,
  /** The end of the cosine (upstream `min_learning_rate`). */
  minLearningRate: 5e-5,
  weightDecay: 0.1,
  betas: [0.9, 0.95],
  clipGradNorm: 1,
  /** Upstream `num_train_epochs`. */
  maxEpochs: 1,
  /** Validate on every n-th window only (1: all): each validation is a forward pass over its windows. */
  validationStride: 1,
  /** Validations without improvement before fine-tuning stops (when there is a validation panel). */
  patience: 3,
  /** Seed of the window order and of the initial weights of a model trained from an architecture. */
  seed: 0,
} as const;
