/**
 * Float64 references for the state-space ops, written independently of src/: complex scalars as
 * [re, im], the naive materialised S4D kernel, the diagonal recurrence, and the dense bilinear
 * discretisation of a DPLR system over its conjugate-pair-expanded state.
 */
export type Complex = [number, number];

export const cadd = (a: Complex, b: Complex): Complex => [a[0] + b[0], a[1] + b[1]];
export const csub = (a: Complex, b: Complex): Complex => [a[0] - b[0], a[1] - b[1]];
export const cmul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
export const cdiv = (a: Complex, b: Complex): Complex => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
export const cconj = (a: Complex): Complex => [a[0], -a[1]];
export const cexp = (a: Complex): Complex => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];
export const clog = (a: Complex): Complex => [Math.log(Math.hypot(a[0], a[1])), Math.atan2(a[1], a[0])];
export const cscale = (a: Complex, s: number): Complex => [a[0] * s, a[1] * s];

/** Entry i of a pair-layout array. */
export const at = (x: ArrayLike<number>, i: number): Complex => [x[2 * i], x[2 * i + 1]];

/** The parameters of a diagonal system as flat float arrays: dt [H], A, B [S, N2, 2], C [channels, H, N2, 2]. */
export interface DiagonalArrays {
  dt: Float32Array;
  A: Float32Array;
  B: Float32Array;
  C: Float32Array;
  channels: number;
  H: number;
  S: number;
  N2: number;
}

/** Per (h, n): the discrete pole dA and the input map dB (float64), for copy h mod S of (A, B). */
export function discretize(p: DiagonalArrays, h: number, n: number, discretization: 'zoh' | 'bilinear'): { dA: Complex; dB: Complex; logDA: Complex } {
  const A = at(p.A, (h % p.S) * p.N2 + n);
  const B = at(p.B, (h % p.S) * p.N2 + n);
  const dtA = cscale(A, p.dt[h]);
  if (discretization === 'zoh') {
    return { dA: cexp(dtA), dB: cmul(B, cdiv(csub(cexp(dtA), [1, 0]), A)), logDA: dtA };
  }
  const half = cscale(dtA, 0.5);
  const dA = cdiv(cadd([1, 0], half), csub([1, 0], half));
  return { dA, dB: cmul(B, cdiv([p.dt[h], 0], csub([1, 0], half))), logDA: clog(dA) };
}

/** K[c, h, l] = 2 Re Σ_n C[c, h, n]·dB[h, n]·exp(l·log dA[h, n]), materialised term by term. */
export function s4dKernelReference(p: DiagonalArrays, length: number, discretization: 'zoh' | 'bilinear'): Float64Array {
  const out = new Float64Array(p.channels * p.H * length);
  for (let c = 0; c < p.channels; c++) {
    for (let h = 0; h < p.H; h++) {
      for (let n = 0; n < p.N2; n++) {
        const { dB, logDA } = discretize(p, h, n, discretization);
        const weight = cmul(at(p.C, (c * p.H + h) * p.N2 + n), dB);
        for (let l = 0; l < length; l++) out[(c * p.H + h) * length + l] += 2 * cmul(weight, cexp(cscale(logDA, l)))[0];
      }
    }
  }
  return out;
}

/** y[b, c, h, l] from x_l = dA ⊙ x_{l−1} + dB·u[b, h, l], y_l = 2 Re Σ_n C x_l, run step by step. */
export function recurrenceReference(p: DiagonalArrays, u: Float32Array, batch: number, length: number, discretization: 'zoh' | 'bilinear'): Float64Array {
  const out = new Float64Array(batch * p.channels * p.H * length);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < p.H; h++) {
      const poles = Array.from({ length: p.N2 }, (_, n) => discretize(p, h, n, discretization));
      const state: Complex[] = poles.map(() => [0, 0]);
      for (let l = 0; l < length; l++) {
        const input = u[(b * p.H + h) * length + l];
        poles.forEach(({ dA, dB }, n) => (state[n] = cadd(cmul(dA, state[n]), cscale(dB, input))));
        for (let c = 0; c < p.channels; c++) {
          let y = 0;
          state.forEach((x, n) => (y += 2 * cmul(at(p.C, (c * p.H + h) * p.N2 + n), x)[0]));
          out[((b * p.channels + c) * p.H + h) * length + l] = y;
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dense complex linear algebra (small N)

export type Matrix = Complex[][];

export const identity = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): Complex => (i === j ? [1, 0] : [0, 0])));

export function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce<Complex>((acc, v, k) => cadd(acc, cmul(v, b[k][j])), [0, 0])));
}

export const matvec = (a: Matrix, x: Complex[]): Complex[] => a.map((row) => row.reduce<Complex>((acc, v, k) => cadd(acc, cmul(v, x[k])), [0, 0]));

export const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));

/** Gauss–Jordan inverse with partial pivoting. */
export function inverse(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...identity(n)[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.hypot(...m[r][col]) > Math.hypot(...m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const scale = cdiv([1, 0], m[col][col]);
    m[col] = m[col].map((v) => cmul(v, scale));
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r][col];
      m[r] = m[r].map((v, j) => csub(v, cmul(factor, m[col][j])));
    }
  }
  return m.map((row) => row.slice(n));
}

export function matpow(a: Matrix, power: number): Matrix {
  let result = identity(a.length);
  for (let i = 0; i < power; i++) result = matmul(result, a);
  return result;
}

/**
 * The bilinear discretisation of a DPLR channel over the conjugate-pair-expanded state
 * (size 2·N2: modes, then their conjugates): A_full = diag(Λ, conj Λ) − P_f P_fᴴ with
 * P_f = (P, conj P), dA = (I − dt/2·A_full)⁻¹(I + dt/2·A_full), dB = (I − dt/2·A_full)⁻¹·dt·B_f.
 */
export function denseBilinear(lambda: Complex[], P: Complex[], B: Complex[], dt: number): { dA: Matrix; dB: Complex[] } {
  const expand = (v: Complex[]): Complex[] => [...v, ...v.map(cconj)];
  const [L, Pf, Bf] = [expand(lambda), expand(P), expand(B)];
  const full: Matrix = L.map((l, i) => Pf.map((_, j) => csub(i === j ? l : [0, 0], cmul(Pf[i], cconj(Pf[j])))));
  const minus = full.map((row, i) => row.map((v, j) => csub(i === j ? [1, 0] : [0, 0], cscale(v, dt / 2))));
  const plus = full.map((row, i) => row.map((v, j) => cadd(i === j ? [1, 0] : [0, 0], cscale(v, dt / 2))));
  const solve = inverse(minus);
  return {
    dA: matmul(solve, plus),
    dB: matvec(
      solve,
      Bf.map((b) => cscale(b, dt)),
    ),
  };
}
