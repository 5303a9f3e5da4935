/**
 * HiPPO-LegS and its normal-plus-low-rank (NPLR) diagonalisation, in float64: the state matrix
 * behind S4 (Gu et al. 2022, "Efficiently Modeling Long Sequences with Structured State Spaces",
 * §3) and the S4D-LegS init (Gu et al. 2022, "On the Parameterization and Initialization of
 * Diagonal State Space Models").
 *
 * Follows state-spaces/s4 `models/s4/s4.py`: `transition('legs')`, `rank_correction('legs')`
 * and `nplr()`. The only deviation: eigenvector phases come from our own Hermitian solver
 * (hermitian-eigen.ts), which reproduces LAPACK's up to a real sign per mode; the sign does not
 * change B's clipping and flips B and P together, leaving the kernel's distribution unchanged.
 * (`nplr()`'s special case for a zero eigenvalue only arises for the Fourier measure, not LegS.)
 *
 * Shapes: N state size (even), N2 = N/2 complex modes kept (one of each conjugate pair).
 */
import { hermitianEigen, type Complex64 } from './hermitian-eigen.ts';

/**
 * HiPPO-LegS: A[n,k] = −√(2n+1)√(2k+1) for n > k, −(n+1) for n = k, 0 above the diagonal;
 * B[n] = √(2n+1). A is N × N row-major.
 */
export function legsTransition(stateSize: number): { A: Float64Array; B: Float64Array } {
  const n = stateSize;
  const A = new Float64Array(n * n);
  const B = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    B[i] = Math.sqrt(2 * i + 1);
    A[i * n + i] = -(i + 1);
    for (let k = 0; k < i; k++) A[i * n + k] = -Math.sqrt(2 * i + 1) * Math.sqrt(2 * k + 1);
  }
  return { A, B };
}

/** The rank-1 correction P[n] = √(n + ½) that makes A + P Pᵀ normal: −½ I + a skew-symmetric matrix. */
export function legsRankCorrection(stateSize: number): Float64Array {
  return Float64Array.from({ length: stateSize }, (_, n) => Math.sqrt(n + 0.5));
}

export interface Nplr {
  /** Diagonal part W [N2]: eigenvalues of A + PPᵀ with negative imaginary part, ascending in Im. */
  W: Complex64;
  /** Low-rank factor V*P [N2] (rank 1), so the state matrix is diag(W) − P Pᴴ in the eigenbasis. */
  P: Complex64;
  /** Input vector V*B [N2], its imaginary part clipped to ±bClip. */
  B: Complex64;
  /** Eigenvectors V [N, N2] (row-major): A + PPᵀ = 2·Re(V diag(W) Vᴴ). */
  V: Complex64;
  /** Every eigenvalue of A + PPᵀ, ascending in Im (length N), and their eigenvectors [N, N]. */
  allW: Complex64;
  allV: Complex64;
}

export interface NplrOptions {
  /** Clip Im(V*B) to [−bClip, bClip] (official `B_clip`, default 2; null: no clipping). */
  bClip?: number | null;
}

/**
 * The NPLR form of HiPPO-LegS, diagonalised as the official `nplr()`:
 *   AP = A + P Pᵀ = −½ I + S (S skew-symmetric),
 *   W_re = mean(diag(AP)),  (W_im, V) = eigh(AP · (−i)) (Hermitian: −iS, diagonal ignored),
 *   sort by W_im, keep the first N/2 (negative imaginary parts) and their eigenvectors,
 *   B ← V*B, P ← V*P, Im B clipped to ±2.
 */
export function nplrLegS(stateSize: number, options: NplrOptions = {}): Nplr {
  const n = stateSize;
  if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) throw new RangeError(`nplrLegS: state size ${n} must be an even integer ≥ 2`);
  const bClip = options.bClip === undefined ? 2 : options.bClip;
  const key = `${n}:${bClip}`;
  let cached = nplrCache.get(key);
  if (!cached) nplrCache.set(key, (cached = diagonalizeLegS(n, bClip)));
  const copy = (z: Complex64): Complex64 => ({ re: z.re.slice(), im: z.im.slice() });
  return { W: copy(cached.W), P: copy(cached.P), B: copy(cached.B), V: copy(cached.V), allW: copy(cached.allW), allV: copy(cached.allV) };
}

/** Every layer of a model shares one diagonalisation per (N, bClip); callers get copies. */
const nplrCache = new Map<string, Nplr>();

function diagonalizeLegS(n: number, bClip: number | null): Nplr {
  const { A, B } = legsTransition(n);
  const p = legsRankCorrection(n);
  const ap = A.map((a, index) => a + p[Math.floor(index / n)] * p[index % n]);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += ap[i * n + i];
  const wRe = trace / n;
  // H = AP · (−i): real part 0, imaginary part −AP (LAPACK reads the diagonal as real, so it drops out).
  const hermitian: Complex64 = { re: new Float64Array(n * n), im: ap.map((x) => -x) };
  const { values, vectors } = hermitianEigen(hermitian, n);
  // eigh returns ascending eigenvalues, which is the official sort by W.imag.
  const half = n / 2;
  const allW: Complex64 = { re: new Float64Array(n).fill(wRe), im: Float64Array.from(values) };
  const W: Complex64 = { re: allW.re.slice(0, half), im: allW.im.slice(0, half) };
  const V: Complex64 = { re: new Float64Array(n * half), im: new Float64Array(n * half) };
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < half; c++) {
      V.re[r * half + c] = vectors.re[r * n + c];
      V.im[r * half + c] = vectors.im[r * n + c];
    }
  }
  const project = (x: Float64Array): Complex64 => {
    // V* x for real x: conj(V)ᵀ x.
    const out: Complex64 = { re: new Float64Array(half), im: new Float64Array(half) };
    for (let c = 0; c < half; c++) {
      for (let r = 0; r < n; r++) {
        out.re[c] += V.re[r * half + c] * x[r];
        out.im[c] -= V.im[r * half + c] * x[r];
      }
    }
    return out;
  };
  const projectedB = project(B);
  if (bClip !== null) projectedB.im = projectedB.im.map((v) => Math.min(bClip, Math.max(-bClip, v)));
  return { W, P: project(p), B: projectedB, V, allW, allV: vectors };
}
