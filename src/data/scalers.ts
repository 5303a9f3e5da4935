/**
 * Standard scaling, fit on the training part only, saved with the model.
 *
 * TSLib protocol: sklearn's StandardScaler fit on the train segment, all channels, applied to
 * train, val and test; metrics are reported on the scaled values. The standard deviation is the
 * population one (ddof 0) and a zero std becomes 1 (sklearn's `_handle_zeros_in_scale`).
 * Missing values (NaN) are skipped when fitting and stay NaN when transforming.
 */
import { isMatching, P } from 'ts-pattern';
import type { Panel, Series } from './types.ts';

/**
 * - `global`: one mean/std per channel over all series (TSLib: a wide file is one series).
 * - `perSeries`: one mean/std per series and channel (long panels of unrelated series).
 */
export type ScalerMode = 'global' | 'perSeries';

/** What `toJSON` writes; `fromJSON` checks it. */
export interface StandardScalerJSON {
  kind: 'standard';
  mode: ScalerMode;
  channels: number;
  /** Series ids of the rows of mean/std (perSeries), or null (global: one row). */
  ids: string[] | null;
  /** [rows, channels] row-major. */
  mean: number[];
  std: number[];
  /** Observed values each statistic was computed from (0: the channel was never observed; mean 0, std 1). */
  count: number[];
}

const jsonPattern = {
  kind: 'standard',
  mode: P.union('global', 'perSeries'),
  channels: P.number,
  ids: P.union(null, P.array(P.string)),
  mean: P.array(P.number),
  std: P.array(P.number),
  count: P.array(P.number),
} as const;

/** A fitted standard scaler: z = (x − mean) / std per channel (and per series in perSeries mode). */
export class StandardScaler {
  private readonly rowOf: Map<string, number> | null;

  private constructor(
    readonly mode: ScalerMode,
    readonly channels: number,
    readonly ids: readonly string[] | null,
    /** Float64, [rows, channels]. */
    readonly mean: Float64Array,
    readonly std: Float64Array,
    readonly count: Float64Array,
  ) {
    this.rowOf = ids ? new Map(ids.map((id, i) => [id, i])) : null;
  }

  /**
   * Fits on the (training) series of a panel: mean and population std of the observed values,
   * accumulated in float64. Pass the train split, never the whole panel.
   */
  static fit(panel: Pick<Panel, 'series' | 'channels'>, options: { mode?: ScalerMode } = {}): StandardScaler {
    const mode = options.mode ?? 'global';
    const c = panel.channels.length;
    const rows = mode === 'global' ? 1 : panel.series.length;
    const sum = new Float64Array(rows * c);
    const count = new Float64Array(rows * c);
    panel.series.forEach((s, index) => {
      const base = mode === 'global' ? 0 : index * c;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        if (Number.isNaN(v)) continue;
        sum[base + (i % c)] += v;
        count[base + (i % c)]++;
      }
    });
    const mean = sum.map((s, k) => (count[k] > 0 ? s / count[k] : 0));
    // Second pass about the mean: the one-pass formula loses digits when |mean| ≫ std.
    const squares = new Float64Array(rows * c);
    panel.series.forEach((s, index) => {
      const base = mode === 'global' ? 0 : index * c;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        if (Number.isNaN(v)) continue;
        const d = v - mean[base + (i % c)];
        squares[base + (i % c)] += d * d;
      }
    });
    const std = squares.map((q, k) => {
      const sd = count[k] > 0 ? Math.sqrt(q / count[k]) : 0;
      return sd === 0 ? 1 : sd;
    });
    if (mode === 'perSeries') {
      const ids = panel.series.map((s) => s.id);
      if (new Set(ids).size !== ids.length) throw new RangeError('StandardScaler.fit: perSeries mode needs distinct series ids');
      return new StandardScaler(mode, c, ids, mean, std, count);
    }
    return new StandardScaler(mode, c, null, mean, std, count);
  }

  private row(seriesId: string | undefined): number {
    if (!this.rowOf) return 0;
    const row = seriesId === undefined ? undefined : this.rowOf.get(seriesId);
    if (row === undefined)
      throw new RangeError(`StandardScaler (perSeries): no statistics for series ${seriesId === undefined ? '(none given)' : `"${seriesId}"`}`);
    return row;
  }

  private apply(values: Float32Array, seriesId: string | undefined, inverse: boolean): Float32Array {
    if (values.length % this.channels !== 0) throw new RangeError(`StandardScaler: ${values.length} values do not split into ${this.channels} channels`);
    const base = this.row(seriesId) * this.channels;
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const k = base + (i % this.channels);
      out[i] = inverse ? values[i] * this.std[k] + this.mean[k] : (values[i] - this.mean[k]) / this.std[k];
    }
    return out;
  }

  /** Scales values [..., channels] row-major (any number of rows); `seriesId` is needed in perSeries mode. */
  transform(values: Float32Array, seriesId?: string): Float32Array {
    return this.apply(values, seriesId, false);
  }

  /** Undoes `transform`: x = z·std + mean. */
  inverse(values: Float32Array, seriesId?: string): Float32Array {
    return this.apply(values, seriesId, true);
  }

  /** The series with scaled values (time and mask shared). */
  transformSeries(series: Series): Series {
    return { ...series, values: this.transform(series.values, series.id) };
  }

  /** Every series of the panel scaled. */
  transformPanel(panel: Panel): Panel {
    return { ...panel, series: panel.series.map((s) => this.transformSeries(s)) };
  }

  /** Plain JSON for a checkpoint's metadata. */
  toJSON(): StandardScalerJSON {
    return {
      kind: 'standard',
      mode: this.mode,
      channels: this.channels,
      ids: this.ids ? [...this.ids] : null,
      mean: Array.from(this.mean),
      std: Array.from(this.std),
      count: Array.from(this.count),
    };
  }

  /** Restores a scaler from `toJSON` output, checking its shape. */
  static fromJSON(json: unknown): StandardScaler {
    if (!isMatching(jsonPattern, json))
      throw new TypeError('StandardScaler.fromJSON: not a standard scaler (expected kind, mode, channels, ids, mean, std, count)');
    const rows = json.ids === null ? 1 : json.ids.length;
    const size = rows * json.channels;
    const consistent =
      Number.isInteger(json.channels) &&
      json.channels > 0 &&
      (json.mode === 'global') === (json.ids === null) &&
      json.mean.length === size &&
      json.std.length === size &&
      json.count.length === size &&
      json.std.every((s) => s > 0 && Number.isFinite(s));
    if (!consistent) throw new TypeError(`StandardScaler.fromJSON: inconsistent sizes or values (${rows} rows × ${json.channels} channels)`);
    return new StandardScaler(json.mode, json.channels, json.ids, Float64Array.from(json.mean), Float64Array.from(json.std), Float64Array.from(json.count));
  }
}
