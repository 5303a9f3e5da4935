/**
 * Normal-equation statistics of sliding windows, for closed-form linear forecasters.
 *
 * For a channel x of length n and windows of width W = L + H starting at w = 0 .. N−1
 * (N = n − W + 1), the model regresses x[w+L .. w+L+H) on x[w .. w+L) and a bias. Every
 * entry of XᵀX and XᵀY is a lagged product sum M[i][j] = Σ_w x[w+i] x[w+j] over the extended
 * window, and consecutive diagonals differ by one term at each end:
 *   M[i+1][j+1] = M[i][j] − x[i] x[j] + x[N+i] x[N+j]
 * so the whole W × W matrix costs O(N·W + W²) per channel instead of O(N·W²).
 */

export interface WindowGram {
  /** Σ over windows of the outer product of the extended window [W × W]. */
  products: Float64Array;
  /** Σ over windows of each position of the extended window [W]. */
  sums: Float64Array;
  /** Number of windows accumulated. */
  count: number;
  width: number;
}

export function emptyGram(width: number): WindowGram {
  return { products: new Float64Array(width * width), sums: new Float64Array(width), count: 0, width };
}

/** Adds the windows of one complete (no missing values) channel: x[t] = values[t·stride + offset]. */
export function accumulateChannel(gram: WindowGram, values: Float32Array, steps: number, stride: number, offset: number): void {
  const w = gram.width;
  const n = steps - w + 1;
  if (n <= 0) return;
  const x = new Float64Array(steps);
  for (let t = 0; t < steps; t++) x[t] = values[t * stride + offset];
  const m = new Float64Array(w * w);
  // First row: M[0][j] = Σ_w x[w] x[w+j].
  for (let j = 0; j < w; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += x[t] * x[t + j];
    m[j] = s;
  }
  // Down each diagonal by the recurrence; the lower triangle mirrors the upper one.
  for (let i = 1; i < w; i++) {
    for (let j = i; j < w; j++) {
      m[i * w + j] = m[(i - 1) * w + (j - 1)] - x[i - 1] * x[j - 1] + x[n + i - 1] * x[n + j - 1];
    }
  }
  for (let i = 0; i < w; i++) {
    for (let j = i; j < w; j++) {
      gram.products[i * w + j] += m[i * w + j];
      if (j !== i) gram.products[j * w + i] += m[i * w + j];
    }
  }
  let running = 0;
  for (let t = 0; t < n; t++) running += x[t];
  for (let i = 0; i < w; i++) {
    gram.sums[i] += running;
    running += x[n + i] - x[i];
  }
  gram.count += n;
}

/** Adds windows one by one, skipping those with a missing value (the slow, general path). */
export function accumulateWindows(gram: WindowGram, values: Float32Array, mask: Uint8Array, steps: number, stride: number, offset: number): void {
  const w = gram.width;
  const window = new Float64Array(w);
  for (let start = 0; start + w <= steps; start++) {
    let complete = true;
    for (let i = 0; i < w && complete; i++) complete = mask[(start + i) * stride + offset] === 1;
    if (!complete) continue;
    for (let i = 0; i < w; i++) window[i] = values[(start + i) * stride + offset];
    for (let i = 0; i < w; i++) {
      gram.sums[i] += window[i];
      for (let j = 0; j < w; j++) gram.products[i * w + j] += window[i] * window[j];
    }
    gram.count++;
  }
}
