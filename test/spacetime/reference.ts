/**
 * Float64 references for SpaceTime: the companion recurrence x ← A x with A = S + a e_dᵀ, one
 * step at a time (the definition the fast kernel and the Krylov path must reproduce).
 */

/** A x for A = S + a e_dᵀ: (Ax)_i = x_{i−1} + a_i·x_{d−1}. */
export function companionTimes(a: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const d = a.length;
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) y[i] = (i > 0 ? x[i - 1] : 0) + a[i] * x[d - 1];
  return y;
}

/** K[l] = cᵀ Aˡ b for l < length, by the recurrence x_{l+1} = A x_l, x_0 = b. */
export function companionKernelReference(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, length: number): Float64Array {
  const out = new Float64Array(length);
  let x: Float64Array = Float64Array.from(b);
  for (let l = 0; l < length; l++) {
    let acc = 0;
    for (let i = 0; i < a.length; i++) acc += c[i] * x[i];
    out[l] = acc;
    x = companionTimes(a, x);
  }
  return out;
}

/** Row r of a [rows, d] array. */
export const row = (x: ArrayLike<number>, r: number, d: number): Float64Array => Float64Array.from({ length: d }, (_, i) => x[r * d + i]);

/** x / ||x||₁ (float64). */
export function normalized(x: ArrayLike<number>): Float64Array {
  let norm = 0;
  for (let i = 0; i < x.length; i++) norm += Math.abs(x[i]);
  return Float64Array.from(x, (v) => v / norm);
}

const dot = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc += x[i] * y[i];
  return acc;
};

/** One channel's decoder system (already normalised where the model normalises). */
export interface ClosedLoopSystem {
  a: ArrayLike<number>;
  /** Raw b: drives the lookback state (as upstream). */
  b: ArrayLike<number>;
  /** Normalised b: in A + b̂k̂ᵀ and the open-loop kernels. */
  bHat: ArrayLike<number>;
  c: ArrayLike<number>;
  k: ArrayLike<number>;
}

/**
 * The unrolled decoder recurrence of one channel: x_t = A x_{t−1} + b u_t over the inputs, then
 * y_h = cᵀ x_h with x_{h+1} = A x_h + b̂ (kᵀ x_h), the feedback generating the next input.
 */
export function closedLoopReference(system: ClosedLoopSystem, inputs: ArrayLike<number>, horizon: number): Float64Array {
  let x: Float64Array = new Float64Array(system.a.length);
  for (let t = 0; t < inputs.length; t++) {
    x = companionTimes(system.a, x);
    for (let i = 0; i < x.length; i++) x[i] += system.b[i] * inputs[t];
  }
  const y = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    y[h] = dot(system.c, x);
    const generated = dot(system.k, x);
    x = companionTimes(system.a, x);
    for (let i = 0; i < x.length; i++) x[i] += system.bHat[i] * generated;
  }
  return y;
}

/** The open-loop outputs r_t = readoutᵀ x_t with x_t = A x_{t−1} + b̂ u_t over the inputs. */
export function openLoopReference(system: ClosedLoopSystem, readout: ArrayLike<number>, inputs: ArrayLike<number>): Float64Array {
  let x: Float64Array = new Float64Array(system.a.length);
  return Float64Array.from(inputs, (u) => {
    x = companionTimes(system.a, x);
    for (let i = 0; i < x.length; i++) x[i] += system.bHat[i] * u;
    return dot(readout, x);
  });
}
