/**
 * Solving symmetric positive-definite systems in float64 (closed-form ridge regression and
 * the like): A X = B by Cholesky factorisation A = L Lᵀ (Golub & Van Loan, Algorithm 4.2.1).
 */

/**
 * Solves A X = B for X. A is n × n (row-major, symmetric positive definite), B is n × m.
 * Returns X as n × m row-major. Throws when A is not positive definite.
 */
export function solvePositiveDefinite(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  if (a.length !== n * n || b.length !== n * m) throw new RangeError(`solvePositiveDefinite: expected A ${n}×${n} and B ${n}×${m}`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j];
    for (let k = 0; k < j; k++) diagonal -= l[j * n + k] ** 2;
    if (!(diagonal > 0)) throw new Error(`solvePositiveDefinite: the matrix is not positive definite (pivot ${j} is ${diagonal})`);
    const root = Math.sqrt(diagonal);
    l[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = sum / root;
    }
  }
  // Forward substitution L Y = B, then back substitution Lᵀ X = Y, all m columns at once.
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const f = l[i * n + k];
      for (let c = 0; c < m; c++) x[i * m + c] -= f * x[k * m + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < m; c++) x[i * m + c] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const f = l[k * n + i];
      for (let c = 0; c < m; c++) x[i * m + c] -= f * x[k * m + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < m; c++) x[i * m + c] /= d;
  }
  return x;
}
