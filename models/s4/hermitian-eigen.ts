/**
 * Eigendecomposition of a complex Hermitian matrix in float64, A = V diag(λ) Vᴴ, for the
 * HiPPO diagonalisation of S4 (state-spaces/s4 `nplr()`, which calls `torch.linalg.eigh`).
 *
 * Method (Golub & Van Loan §8.3): Householder reduction to a real symmetric tridiagonal
 * T = Qᴴ A Q, then the implicit QL iteration with Wilkinson shifts on T (EISPACK tql2),
 * V = Q Z. O(n³): n = 256 takes about 0.1–0.3 s.
 *
 * Why this and not Jacobi: eigenvectors are unique only up to a phase per column, and S4's init
 * depends on that phase (B = V*B is clipped to |Im B| ≤ 2 afterwards). The reflectors follow
 * LAPACK's zhetd2 on the lower triangle with zlarfg's conventions, which is what eigh runs, so
 * our V equals LAPACK's up to a real sign per column (the tridiagonal solver's sign choice);
 * the clip is symmetric under that sign. We fix the sign so that Z's first row is ≥ 0.
 * The diagonal's imaginary part is ignored, as LAPACK does.
 */

/** A complex matrix or vector as separate real and imaginary float64 arrays (row-major). */
export interface Complex64 {
  re: Float64Array;
  im: Float64Array;
}

export interface HermitianEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as columns of an n × n matrix: A V = V diag(values), Vᴴ V = I. */
  vectors: Complex64;
}

/**
 * Eigenvalues and eigenvectors of the Hermitian n × n matrix `a` (row-major; only the lower
 * triangle and the real part of the diagonal are read).
 */
export function hermitianEigen(a: Complex64, n: number): HermitianEigen {
  if (a.re.length !== n * n || a.im.length !== n * n) throw new RangeError(`hermitianEigen: expected ${n}×${n} arrays`);
  const { diagonal, offDiagonal, reflectors } = tridiagonalize(a, n);
  const z = symmetricTridiagonalEigen(diagonal, offDiagonal, n); // eigenvalues land in `diagonal`
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diagonal[i] - diagonal[j]);
  const values = Float64Array.from(order, (i) => diagonal[i]);
  // Z's columns reordered, each signed so that its first row is non-negative; then V = Q Z.
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  order.forEach((source, column) => {
    const sign = z[source] < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) re[r * n + column] = sign * z[r * n + source];
  });
  applyReflectors(reflectors, { re, im }, n);
  return { values, vectors: { re, im } };
}

/** H_k = I − τ_k v_k v_kᴴ acting on rows start..n−1 (v_k[0] = 1). */
interface Reflector {
  start: number;
  tauR: number;
  tauI: number;
  vr: Float64Array;
  vi: Float64Array;
}

/**
 * Householder reduction T = Qᴴ A Q, Q = H_0 H_1 ⋯, with T real symmetric tridiagonal (diagonal d,
 * subdiagonal e). Step k reflects x = A[k+1:, k] with H = I − τ v vᴴ, v₀ = 1, chosen (zlarfg) so
 * that Hᴴ x = β e₁ with β real; the trailing block becomes A − v wᴴ − w vᴴ with
 * w = τ A v − ½|τ|² (vᴴ A v) v. Only the lower triangle is stored and updated.
 */
function tridiagonalize(a: Complex64, n: number): { diagonal: Float64Array; offDiagonal: Float64Array; reflectors: Reflector[] } {
  const re = Float64Array.from(a.re);
  const im = Float64Array.from(a.im);
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  const reflectors: Reflector[] = [];
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    const s = k + 1; // the reflector acts on rows/columns s..n-1
    const m = n - s;
    const alphaR = re[s * n + k];
    const alphaI = im[s * n + k];
    let tail = 0;
    for (let i = s + 1; i < n; i++) tail += re[i * n + k] ** 2 + im[i * n + k] ** 2;
    diagonal[k] = re[k * n + k];
    if (tail === 0 && alphaI === 0) {
      offDiagonal[k] = alphaR;
      continue;
    }
    const beta = -Math.sign(alphaR || 1) * Math.sqrt(alphaR * alphaR + alphaI * alphaI + tail);
    const tauR = (beta - alphaR) / beta;
    const tauI = -alphaI / beta;
    offDiagonal[k] = beta;
    // v = [1; x[1:] / (α − β)]
    const vr = new Float64Array(m);
    const vi = new Float64Array(m);
    const dr = alphaR - beta;
    const dd = dr * dr + alphaI * alphaI;
    vr[0] = 1;
    for (let i = 1; i < m; i++) {
      const xr = re[(s + i) * n + k];
      const xi = im[(s + i) * n + k];
      vr[i] = (xr * dr + xi * alphaI) / dd;
      vi[i] = (xi * dr - xr * alphaI) / dd;
    }
    reflectors.push({ start: s, tauR, tauI, vr, vi });
    // y = A v from the lower triangle (row i: A[i,j] for j ≤ i, conj(A[i,j]) for the mirror).
    wr.fill(0, 0, m);
    wi.fill(0, 0, m);
    for (let i = 0; i < m; i++) {
      const row = (s + i) * n + s;
      let yr = re[row + i] * vr[i];
      let yi = re[row + i] * vi[i];
      for (let j = 0; j < i; j++) {
        const ar = re[row + j];
        const ai = im[row + j];
        yr += ar * vr[j] - ai * vi[j];
        yi += ar * vi[j] + ai * vr[j];
        wr[j] += ar * vr[i] + ai * vi[i];
        wi[j] += ar * vi[i] - ai * vr[i];
      }
      wr[i] += yr;
      wi[i] += yi;
    }
    // w = τ y − ½|τ|² (vᴴ y) v
    let vAv = 0;
    for (let i = 0; i < m; i++) vAv += vr[i] * wr[i] + vi[i] * wi[i];
    const half = 0.5 * (tauR * tauR + tauI * tauI) * vAv;
    for (let i = 0; i < m; i++) {
      const yr = wr[i];
      const yi = wi[i];
      wr[i] = tauR * yr - tauI * yi - half * vr[i];
      wi[i] = tauR * yi + tauI * yr - half * vi[i];
    }
    // A ← A − v wᴴ − w vᴴ on the trailing lower triangle.
    for (let i = 0; i < m; i++) {
      const row = (s + i) * n + s;
      for (let j = 0; j <= i; j++) {
        re[row + j] -= vr[i] * wr[j] + vi[i] * wi[j] + wr[i] * vr[j] + wi[i] * vi[j];
        im[row + j] -= vi[i] * wr[j] - vr[i] * wi[j] + wi[i] * vr[j] - wr[i] * vi[j];
      }
    }
  }
  diagonal[n - 1] = re[(n - 1) * n + n - 1];
  return { diagonal, offDiagonal, reflectors };
}

/** X ← Q X = H_0 (H_1 (⋯ X)) for an n × n complex X, applying the last reflector first. */
function applyReflectors(reflectors: readonly Reflector[], x: Complex64, n: number): void {
  const { re, im } = x;
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let h = reflectors.length - 1; h >= 0; h--) {
    const { start, tauR, tauI, vr, vi } = reflectors[h];
    // p = vᴴ X[start:, :] (a row), then X[start:, :] −= (τ v) p.
    pr.fill(0);
    pi.fill(0);
    for (let i = 0; i < vr.length; i++) {
      const a = vr[i];
      const b = vi[i];
      const row = (start + i) * n;
      for (let c = 0; c < n; c++) {
        pr[c] += a * re[row + c] + b * im[row + c];
        pi[c] += a * im[row + c] - b * re[row + c];
      }
    }
    for (let i = 0; i < vr.length; i++) {
      const a = tauR * vr[i] - tauI * vi[i];
      const b = tauR * vi[i] + tauI * vr[i];
      const row = (start + i) * n;
      for (let c = 0; c < n; c++) {
        re[row + c] -= a * pr[c] - b * pi[c];
        im[row + c] -= a * pi[c] + b * pr[c];
      }
    }
  }
}

/**
 * Implicit QL with shifts on the symmetric tridiagonal (d, e), e[i] = T[i+1, i] (EISPACK tql2,
 * as in JAMA). Overwrites d with the eigenvalues (unsorted) and returns the eigenvectors as
 * columns of an n × n row-major matrix.
 */
function symmetricTridiagonalEigen(d: Float64Array, e: Float64Array, n: number): Float64Array {
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  e[n - 1] = 0;
  const eps = 2 ** -52;
  let shift = 0;
  let norm = 0;
  for (let l = 0; l < n; l++) {
    norm = Math.max(norm, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * norm) m++;
    if (m > l) {
      for (let iteration = 0; Math.abs(e[l]) > eps * norm; iteration++) {
        if (iteration > 60) throw new Error('hermitianEigen: the QL iteration did not converge');
        // Wilkinson-style shift from the leading 2 × 2 block.
        const g0 = d[l];
        let p = (d[l + 1] - g0) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        const h0 = g0 - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h0;
        shift += h0;
        // Implicit QL sweep from m up to l.
        p = d[m];
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const g = c * e[i];
          const h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const zk1 = z[k * n + i + 1];
            z[k * n + i + 1] = s * z[k * n + i] + c * zk1;
            z[k * n + i] = c * z[k * n + i] - s * zk1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      }
    }
    d[l] += shift;
    e[l] = 0;
  }
  return z;
}
