/**
 * Per-window normalisation (RevIN, Kim et al. 2022, without the affine part; also the
 * "non-stationary" normalisation of DLinear/PatchTST): each context window is standardised by
 * its own mean and std per channel, and the forecast is mapped back with the same statistics.
 * Plain Float32Array functions for baselines; models do the same on tensors.
 *
 *   mean = (1/L) Σ_t x_t,  std = sqrt((1/L) Σ_t (x_t − mean)² + eps),  z = (x − mean) / std
 */

/** Per-window statistics, [batch, channels] row-major. */
export interface WindowStats {
  mean: Float32Array;
  std: Float32Array;
}

/** Shape of row-major windows [batch, length, channels]. */
export interface WindowShape {
  batch: number;
  length: number;
  channels: number;
}

function checkShape(values: Float32Array, { batch, length, channels }: WindowShape, what: string): void {
  if (values.length !== batch * length * channels) {
    throw new RangeError(`${what}: ${values.length} values for [${batch}, ${length}, ${channels}]`);
  }
}

/**
 * Standardises each window of `context` [B, L, C] by its own mean and std per channel (RevIN's
 * population variance plus `eps`, default 1e-5). Missing values (NaN) are left out of the
 * statistics and stay NaN; a channel with no observed value in its window gets mean 0, std 1.
 */
export function normalizeWindows(context: Float32Array, shape: WindowShape, eps = 1e-5): { values: Float32Array; stats: WindowStats } {
  checkShape(context, shape, 'normalizeWindows');
  const { batch, length, channels } = shape;
  const mean = new Float32Array(batch * channels);
  const std = new Float32Array(batch * channels);
  const values = new Float32Array(context.length);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const at = (t: number) => (b * length + t) * channels + c;
      let sum = 0;
      let count = 0;
      for (let t = 0; t < length; t++) {
        const v = context[at(t)];
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      const m = count > 0 ? sum / count : 0;
      let squares = 0;
      for (let t = 0; t < length; t++) {
        const v = context[at(t)];
        if (!Number.isNaN(v)) squares += (v - m) * (v - m);
      }
      const s = count > 0 ? Math.sqrt(squares / count + eps) : 1;
      mean[b * channels + c] = m;
      std[b * channels + c] = s;
      for (let t = 0; t < length; t++) values[at(t)] = (context[at(t)] - m) / s;
    }
  }
  return { values, stats: { mean, std } };
}

/** Maps normalised forecasts [B, H, C] back: x = z·std + mean with each window's statistics. */
export function denormalizeWindows(forecast: Float32Array, stats: WindowStats, shape: WindowShape): Float32Array {
  checkShape(forecast, shape, 'denormalizeWindows');
  const { batch, length, channels } = shape;
  if (stats.mean.length !== batch * channels || stats.std.length !== batch * channels) {
    throw new RangeError(`denormalizeWindows: statistics for ${stats.mean.length / channels} windows, forecasts for ${batch}`);
  }
  const out = new Float32Array(forecast.length);
  for (let i = 0; i < forecast.length; i++) {
    const c = i % channels;
    const b = Math.floor(i / (length * channels));
    out[i] = forecast[i] * stats.std[b * channels + c] + stats.mean[b * channels + c];
  }
  return out;
}
