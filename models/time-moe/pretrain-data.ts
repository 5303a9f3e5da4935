/**
 * Time-MoE's pretraining data, as the official `time_moe/datasets`: each series normalised by
 * `zero_scaler` (its own mean and population standard deviation, `np.std`), then cut by
 * `TimeMoEWindowDataset` into packed windows of `maxLength + 1` points at stride `maxLength`
 * (input = the first `maxLength` points, labels = the same shifted by one, loss mask 1 on real
 * points and 0 on the right padding of a series shorter than one window).
 */

/** One training window: `input`, `labels` and `lossMask`, each `maxLength` long. */
export interface PackedWindow {
  /** Which series (index into the list given to `packWindows`) and where the window starts. */
  series: number;
  offset: number;
  input: Float32Array;
  labels: Float32Array;
  lossMask: Float32Array;
}

/**
 * Upstream's `zero_scaler`: (x − mean) / std with the population std; a constant series is only
 * centred (std 0 would divide by zero). Computed in float64, returned as float32.
 */
export function zeroScale(values: ArrayLike<number>): Float32Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const scale = std === 0 ? 1 : std;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (values[i] - mean) / scale;
  return out;
}

/**
 * The start offsets `TimeMoEWindowDataset` takes in a series of `length` points: always 0, then
 * every `stride` while a whole window of `maxLength + 1` points fits. The tail after the last
 * whole window is dropped (upstream's behaviour), except a series shorter than one window, whose
 * only window is padded. Series of fewer than 2 points give no window.
 */
export function windowOffsets(length: number, maxLength: number, stride = maxLength): number[] {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`windowOffsets: maxLength must be a positive integer, got ${maxLength}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`windowOffsets: stride must be a positive integer, got ${stride}`);
  if (length < 2) return [];
  const offsets = [0];
  for (let offset = stride; offset <= length - (maxLength + 1); offset += stride) offsets.push(offset);
  return offsets;
}

/**
 * Cuts each (already normalised) series into packed windows (`windowOffsets`): input = points
 * [o, o + maxLength), labels = [o + 1, o + maxLength + 1), zero-padded on the right; the mask is
 * 1 where the label is a real point.
 */
export function packWindows(series: readonly Float32Array[], maxLength: number, stride = maxLength): PackedWindow[] {
  const windows: PackedWindow[] = [];
  series.forEach((values, index) => {
    for (const offset of windowOffsets(values.length, maxLength, stride)) {
      const seq = values.subarray(offset, offset + maxLength + 1); // may be shorter: padding follows
      const input = new Float32Array(maxLength);
      const labels = new Float32Array(maxLength);
      const lossMask = new Float32Array(maxLength);
      input.set(seq.subarray(0, maxLength)); // upstream pads first, then input = seq[:-1]: a short series' last point is input too
      labels.set(seq.subarray(1));
      lossMask.fill(1, 0, seq.length - 1);
      windows.push({ series: index, offset, input, labels, lossMask });
    }
  });
  return windows;
}
