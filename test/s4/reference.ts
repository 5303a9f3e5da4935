/**
 * Float64 references for the S4 layer tests, written from the definitions and independent of
 * models/s4: complex scalars as [re, im], dense complex matrices as arrays of rows, the DPLR
 * system's bilinear discretisation by an explicit inverse, and kernels by plain recurrence.
 */
// The complex helpers and small dense matrix routines are the SSM tests' (test/ssm/reference.ts).
import { at, cadd, cconj, cdiv, cexp, cmul, cscale, csub, identity, matmul, matvec, type Complex, type Matrix } from '../ssm/reference.ts';

export { at, cadd, cconj, cdiv, cexp, cmul, cscale, csub, identity, matmul, matvec, type Complex, type Matrix };

export const vecmat = (v: Complex[], a: Matrix): Complex[] => a[0].map((_, j) => v.reduce<Complex>((s, x, k) => cadd(s, cmul(x, a[k][j])), [0, 0]));

/** The inverse by Gauss–Jordan elimination with partial pivoting. */
export function inverse(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row.map((x): Complex => [...x]), ...identity(n)[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.hypot(...m[i][k]) > Math.hypot(...m[p][k])) p = i;
    [m[k], m[p]] = [m[p], m[k]];
    const pivot = m[k][k];
    m[k] = m[k].map((x) => cdiv(x, pivot));
    for (let i = 0; i < n; i++)
      if (i !== k) {
        const f = m[i][k];
        m[i] = m[i].map((x, j) => csub(x, cmul(f, m[k][j])));
      }
  }
  return m.map((row) => row.slice(n));
}

/** One head of a DPLR system: A, B, P [N2] complex and dt. */
export interface Head {
  dt: number;
  A: Complex[];
  B: Complex[];
  P: Complex[];
}

/** The expanded (conjugate pairs) vector [v; v̄]. */
export const expand = (v: Complex[]): Complex[] => [...v, ...v.map(cconj)];

/** dA = (I − dt/2·A_f)⁻¹(I + dt/2·A_f), dB = (I − dt/2·A_f)⁻¹·dt·B̂, A_f = diag(Â) − P̂ P̂ᴴ (expanded). */
export function bilinearDplr(head: Head): { dA: Matrix; dB: Complex[] } {
  const [A, P, B] = [expand(head.A), expand(head.P), expand(head.B)];
  const n = A.length;
  const full: Matrix = A.map((a, i) => A.map((_, j) => csub(i === j ? a : [0, 0], cmul(P[i], cconj(P[j])))));
  const a = head.dt / 2;
  const minus = full.map((row, i) => row.map((x, j) => csub(i === j ? [1, 0] : [0, 0], cscale(x, a))));
  const plus = full.map((row, i) => row.map((x, j) => cadd(i === j ? [1, 0] : [0, 0], cscale(x, a))));
  const inv = inverse(minus);
  return {
    dA: matmul(inv, plus),
    dB: matvec(
      inv,
      B.map((b) => cscale(b, head.dt)),
    ).slice(0, n),
  };
}

export function matpow(a: Matrix, p: number): Matrix {
  let out = identity(a.length);
  for (let i = 0; i < p; i++) out = matmul(out, a);
  return out;
}

/** K_l = Ĉᵀ dA^l dB for l < length (real: the expanded sum is conjugate-symmetric). */
export function kernelByPowers(C: Complex[], dA: Matrix, dB: Complex[], length: number): number[] {
  const c = expand(C);
  const K: number[] = [];
  let x = dB;
  for (let l = 0; l < length; l++) {
    K.push(c.reduce((s, ci, i) => s + cmul(ci, x[i])[0], 0));
    x = matvec(dA, x);
  }
  return K;
}

/** C̃ = (Ĉᵀ(I − dA^L))[:N2]: the row vector times (I − dA^L), first half. */
export function attuneReference(C: Complex[], dA: Matrix, length: number): Complex[] {
  const power = matpow(dA, length);
  const c = expand(C);
  const moved = vecmat(c, power);
  return C.map((ci, i) => csub(ci, moved[i]));
}

/** The largest |a − b| over two arrays. */
export function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
