/**
 * Dense real linear algebra in float64 for the S4 recurrent-mode setup: products, powers by
 * squaring (the official `power(L, A)`), and LU factorisation with partial pivoting
 * (Golub & Van Loan §3.4) to solve several right-hand sides. Matrices are n × n row-major;
 * O(n³) per product or factorisation, fine for a one-time setup with N ≤ 256.
 */

/** a · b for n × n matrices. */
function realMatmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      const row = k * n;
      const target = i * n;
      for (let j = 0; j < n; j++) out[target + j] += aik * b[row + j];
    }
  }
  return out;
}

/** aᵖ by binary powering, p ≥ 0. */
export function realPower(a: Float64Array, n: number, p: number): Float64Array {
  let result: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) result[i * n + i] = 1;
  let base = a;
  for (let e = p; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = realMatmul(base, result, n);
    if (e > 1) base = realMatmul(base, base, n);
  }
  return result;
}

/** P A = L U in place (unit lower L below the diagonal, U on and above), with the row order. */
export interface LuFactors {
  lu: Float64Array;
  order: Int32Array;
  n: number;
}

/** Factorises a (copied); throws if a is singular. */
export function luFactor(a: Float64Array, n: number): LuFactors {
  const lu = Float64Array.from(a);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[pivot * n + k])) pivot = i;
    if (lu[pivot * n + k] === 0) throw new Error('luFactor: the matrix is singular');
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[pivot * n + j];
        lu[pivot * n + j] = t;
      }
      const t = order[k];
      order[k] = order[pivot];
      order[pivot] = t;
    }
    const d = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, order, n };
}

/** x with A x = b, from A's factors. */
export function luSolve({ lu, order, n }: LuFactors, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(order, (i) => b[i]);
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) x[i] -= lu[i * n + k] * x[k];
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] -= lu[i * n + k] * x[k];
    x[i] /= lu[i * n + i];
  }
  return x;
}
