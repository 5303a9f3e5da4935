/**
 * Figures to compare long-horizon runs with: MSE / MAE on z-scored data, multivariate
 * (features M), all test windows. Every row says where its numbers come from; they are copied
 * from /work/shared/reference/benchmarks.md (§2.4 published anchors, §2.5 baselines computed on
 * the copies in ../shared/data and checked with an independent numpy implementation). A
 * missing row means the reference has no figure: nothing here is estimated.
 */
import type { LstfDatasetName } from './datasets.ts';

/** Which method a figure is for: the three §2.5 baselines or a published model. */
export type ReferenceKind = 'naive' | 'snaive' | 'linear' | 'DLinear' | 'PatchTST/64' | 'TimeMoE-50M';

/** The figures of one method on one data set at every horizon. */
export interface ReferenceRow {
  dataset: LstfDatasetName;
  kind: ReferenceKind;
  /** Lookback of the figures; null where they do not depend on it (the naive baselines) or it depends on the horizon (`contexts`). */
  lookback: number | null;
  /** The context at each horizon, where the protocol sets one per horizon (Time-MoE's run_eval). */
  contexts?: Readonly<Record<number, number>>;
  /** Seasonal period of a seasonal-naive row. */
  season?: number;
  /** Horizon → [MSE, MAE]. */
  figures: Readonly<Record<number, readonly [mse: number, mae: number]>>;
  /** Where the numbers come from (shared by the rows of one origin). */
  source: string;
  /** The row's own setting, e.g. the seasonal period or the ridge strength. */
  detail?: string;
  /** What to know when comparing (e.g. a known overfit). */
  note?: string;
  /** What makes small differences from these figures normal (default: training noise and drop_last). */
  differences?: string;
}

const computed = 'benchmarks.md §2.5: computed on these copies (features M, train-split z-scores, TSLib borders, every test window), verified with numpy';
const dlinearPaper = 'benchmarks.md §2.4: published by Zeng et al. 2023 (DLinear); recalled, corroborated by §2.5';
const ridge = 'closed-form ridge shared across channels, with bias, λ = 1e-3·n_train';
const patchtstPaper = 'benchmarks.md §2.4: published by Nie et al. 2023 (PatchTST/64); recalled';
const timeMoERunEval =
  "benchmarks.md §4.1 (models.md §3.7): a third-party run of the official run_eval (zero-shot, TimeMoE-50M weights, bfloat16); its mean 0.401 / 0.424 is the paper's base ETTh1 figure";

/** Every reference figure there is, by data set. */
export const referenceRows: readonly ReferenceRow[] = [
  {
    dataset: 'ETTh1',
    kind: 'naive',
    lookback: null,
    figures: { 96: [1.294, 0.713], 192: [1.325, 0.733], 336: [1.33, 0.746], 720: [1.335, 0.755] },
    source: computed,
  },
  {
    dataset: 'ETTh1',
    kind: 'snaive',
    lookback: null,
    season: 24,
    figures: { 96: [0.512, 0.433], 192: [0.581, 0.469], 336: [0.65, 0.501], 720: [0.655, 0.514] },
    source: computed,
    detail: 'period 24',
  },
  {
    dataset: 'ETTh1',
    kind: 'linear',
    lookback: 336,
    figures: { 96: [0.37, 0.392], 192: [0.404, 0.413], 336: [0.433, 0.434], 720: [0.471, 0.488] },
    source: computed,
    detail: ridge,
  },
  {
    dataset: 'ETTh1',
    kind: 'DLinear',
    lookback: 336,
    figures: { 96: [0.375, 0.399], 192: [0.405, 0.416], 336: [0.439, 0.443], 720: [0.472, 0.49] },
    source: dlinearPaper,
  },
  {
    dataset: 'ETTh1',
    kind: 'PatchTST/64',
    lookback: 512,
    figures: { 96: [0.37, 0.4], 192: [0.413, 0.429], 336: [0.422, 0.44], 720: [0.447, 0.468] },
    source: patchtstPaper,
  },
  {
    dataset: 'ETTh1',
    kind: 'TimeMoE-50M',
    lookback: null,
    contexts: { 96: 512, 192: 1024, 336: 2048, 720: 3072 },
    figures: { 96: [0.3574, 0.3817], 192: [0.3846, 0.4049], 336: [0.4116, 0.4341], 720: [0.4489, 0.4769] },
    source: timeMoERunEval,
    detail: 'univariate per channel, context 512/1024/2048/3072 by horizon',
    note: 'the Δ means something only for the Maple728/TimeMoE-50M weights',
    differences: 'float32 here against bfloat16 there, and the one test window run_eval skips',
  },

  {
    dataset: 'ETTh2',
    kind: 'naive',
    lookback: null,
    figures: { 96: [0.432, 0.422], 192: [0.534, 0.473], 336: [0.597, 0.511], 720: [0.594, 0.519] },
    source: computed,
  },
  {
    dataset: 'ETTh2',
    kind: 'snaive',
    lookback: null,
    season: 24,
    figures: { 96: [0.391, 0.38], 192: [0.482, 0.429], 336: [0.532, 0.466], 720: [0.525, 0.474] },
    source: computed,
    detail: 'period 24',
  },
  {
    dataset: 'ETTh2',
    kind: 'linear',
    lookback: 336,
    figures: { 96: [0.302, 0.365], 192: [0.397, 0.428], 336: [0.486, 0.484], 720: [0.741, 0.612] },
    source: computed,
    detail: ridge,
    note: 'H=720 overfits (the reference: a stronger ridge is needed)',
  },
  {
    dataset: 'ETTh2',
    kind: 'PatchTST/64',
    lookback: 512,
    figures: { 96: [0.274, 0.337], 192: [0.341, 0.382], 336: [0.329, 0.384], 720: [0.379, 0.422] },
    source: patchtstPaper,
  },

  {
    dataset: 'ETTm1',
    kind: 'naive',
    lookback: null,
    figures: { 96: [1.214, 0.665], 192: [1.261, 0.69], 336: [1.287, 0.707], 720: [1.322, 0.729] },
    source: computed,
  },
  {
    dataset: 'ETTm1',
    kind: 'snaive',
    lookback: null,
    season: 96,
    figures: { 96: [0.423, 0.387], 192: [0.463, 0.406], 336: [0.496, 0.426], 720: [0.574, 0.464] },
    source: computed,
    detail: 'period 96',
  },
  {
    dataset: 'ETTm1',
    kind: 'linear',
    lookback: 336,
    figures: { 96: [0.299, 0.343], 192: [0.334, 0.364], 336: [0.368, 0.384], 720: [0.423, 0.418] },
    source: computed,
    detail: ridge,
  },
  {
    dataset: 'ETTm1',
    kind: 'DLinear',
    lookback: 336,
    figures: { 96: [0.299, 0.343], 192: [0.335, 0.365], 336: [0.369, 0.386], 720: [0.425, 0.421] },
    source: dlinearPaper,
  },
  {
    dataset: 'ETTm1',
    kind: 'PatchTST/64',
    lookback: 512,
    figures: { 96: [0.293, 0.346], 192: [0.333, 0.37], 336: [0.369, 0.392], 720: [0.416, 0.42] },
    source: patchtstPaper,
  },

  {
    dataset: 'exchange_rate',
    kind: 'naive',
    lookback: null,
    figures: { 96: [0.081, 0.196], 192: [0.167, 0.289], 336: [0.306, 0.398], 720: [0.81, 0.676] },
    source: computed,
    note: 'a random walk: naive is near-optimal',
  },
  {
    dataset: 'exchange_rate',
    kind: 'linear',
    lookback: 336,
    figures: { 96: [0.083, 0.206], 192: [0.175, 0.308], 336: [0.37, 0.457], 720: [1.1, 0.787] },
    source: computed,
    detail: ridge,
  },

  {
    dataset: 'national_illness',
    kind: 'naive',
    lookback: null,
    figures: { 24: [6.213, 1.622], 36: [7.714, 1.906], 48: [7.851, 1.952], 60: [6.885, 1.788] },
    source: computed,
  },
  {
    dataset: 'national_illness',
    kind: 'snaive',
    lookback: null,
    season: 52,
    figures: { 24: [2.564, 1.004], 36: [2.266, 0.957], 48: [2.142, 0.941], 60: [1.917, 0.939] },
    source: computed,
    detail: 'period 52',
  },
  {
    dataset: 'national_illness',
    kind: 'linear',
    lookback: 36,
    figures: { 24: [2.817, 1.145], 36: [2.751, 1.133], 48: [2.758, 1.139], 60: [2.909, 1.175] },
    source: computed,
    detail: ridge,
  },
];

/** The reference kind that checks a model of ours, by its display name (RidgeLinear → linear, …). */
export const referenceKindOf: Readonly<Record<string, ReferenceKind>> = {
  Naive: 'naive',
  SeasonalNaive: 'snaive',
  RidgeLinear: 'linear',
  DLinear: 'DLinear',
  TimeMoE: 'TimeMoE-50M',
};

/** Kinds whose figures a correct implementation reproduces exactly (deterministic; about 1e-3). */
export const deterministicKinds: readonly ReferenceKind[] = ['naive', 'snaive', 'linear'];

/** A row's label with its lookback, e.g. `linear L=336`, `DLinear (paper) L=336`. */
export function referenceLabel(row: ReferenceRow): string {
  const name = deterministicKinds.includes(row.kind) ? row.kind : row.kind === 'TimeMoE-50M' ? `${row.kind} (run_eval)` : `${row.kind} (paper)`;
  return row.lookback === null ? name : `${name} L=${row.lookback}`;
}

/** The reference rows of a data set, baselines first. */
export function referencesFor(dataset: LstfDatasetName): ReferenceRow[] {
  return referenceRows.filter((row) => row.dataset === dataset);
}
