/**
 * The S4 family's initialisations: the Hermitian eigensolver, HiPPO-LegS and its NPLR
 * diagonalisation (against LAPACK's values from numpy.linalg.eigh, up to a sign per mode), the
 * S4D inits, the log-uniform step sizes and the complex-normal C.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random } from '../../src/index.ts';
import { hermitianEigen, type Complex64 } from '../../models/s4/hermitian-eigen.ts';
import { legsRankCorrection, legsTransition, nplrLegS } from '../../models/s4/hippo.ts';
import { complexNormal, initInvDt, inversePositive, inverseTransform, positiveValue, ssmInit } from '../../models/s4/init.ts';

/** max |Σ_k V[i,k]·w_k·conj(V[j,k]) (·2 Re when half) − target[i,j]| */
function reconstructionError(
  V: Complex64,
  wRe: ArrayLike<number>,
  wIm: ArrayLike<number>,
  cols: number,
  n: number,
  target: (i: number, j: number) => [number, number],
  half: boolean,
): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < cols; k++) {
        // V[i,k] w_k conj(V[j,k])
        const [ar, ai] = [V.re[i * cols + k], V.im[i * cols + k]];
        const [br, bi] = [V.re[j * cols + k], -V.im[j * cols + k]];
        const [pr, pi] = [ar * wRe[k] - ai * wIm[k], ar * wIm[k] + ai * wRe[k]];
        re += pr * br - pi * bi;
        im += pr * bi + pi * br;
      }
      const [tr, ti] = target(i, j);
      worst = Math.max(worst, half ? Math.abs(2 * re - tr) : Math.hypot(re - tr, im - ti));
    }
  }
  return worst;
}

test('the Hermitian eigensolver reconstructs random Hermitian matrices with orthonormal eigenvectors', () => {
  const rng = new Random(11);
  for (const n of [1, 2, 5, 33]) {
    const a: Complex64 = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) {
      a.re[i * n + i] = rng.normal();
      for (let j = 0; j < i; j++) {
        [a.re[i * n + j], a.im[i * n + j]] = [rng.normal(), rng.normal()];
        [a.re[j * n + i], a.im[j * n + i]] = [a.re[i * n + j], -a.im[i * n + j]];
      }
    }
    const { values, vectors } = hermitianEigen(a, n);
    for (let k = 1; k < n; k++) assert.ok(values[k - 1] <= values[k], 'ascending eigenvalues');
    const err = reconstructionError(vectors, values, new Float64Array(n), n, n, (i, j) => [a.re[i * n + j], a.im[i * n + j]], false);
    assert.ok(err < 1e-12, `n = ${n}: A = V Λ Vᴴ to ${err}`);
    const unit = reconstructionError(vectors, new Float64Array(n).fill(1), new Float64Array(n), n, n, (i, j) => [i === j ? 1 : 0, 0], false);
    assert.ok(unit < 1e-12, `n = ${n}: V Vᴴ = I to ${unit}`);
  }
});

test('HiPPO-LegS is T M T⁻¹ of the official construction and A + PPᵀ is −½ I plus a skew-symmetric matrix', () => {
  const n = 6;
  const { A, B } = legsTransition(n);
  const P = legsRankCorrection(n);
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(B[i] - Math.sqrt(2 * i + 1)) < 1e-15);
    for (let k = 0; k < n; k++) {
      // M = −(where(row ≥ col, 2k+1, 0) − diag(n)), A = T M T⁻¹ with T = diag(√(2n+1))
      const m = -((i >= k ? 2 * k + 1 : 0) - (i === k ? i : 0));
      const expected = (Math.sqrt(2 * i + 1) * m) / Math.sqrt(2 * k + 1);
      assert.ok(Math.abs(A[i * n + k] - expected) < 1e-12, `A[${i},${k}]`);
      const ap = A[i * n + k] + P[i] * P[k];
      const apT = A[k * n + i] + P[k] * P[i];
      assert.ok(Math.abs(ap + apT - (i === k ? -1 : 0)) < 1e-12, `AP + APᵀ at ${i},${k}`);
    }
  }
});

test('the NPLR diagonalisation of N = 2 has W = −½ − i·√3/2', () => {
  const { W, allW } = nplrLegS(2);
  assert.ok(Math.abs(W.re[0] + 0.5) < 1e-15 && Math.abs(W.im[0] + Math.sqrt(3) / 2) < 1e-14, `W = ${W.re[0]} + ${W.im[0]}i`);
  assert.ok(Math.abs(allW.im[1] - Math.sqrt(3) / 2) < 1e-14, 'the conjugate pair');
});

for (const N of [2, 4, 64]) {
  test(`the NPLR diagonalisation reconstructs AP = V diag(W) Vᴴ to 1e-9 (N = ${N}), also from the kept half as 2·Re`, () => {
    const { A } = legsTransition(N);
    const P = legsRankCorrection(N);
    const ap = (i: number, j: number): [number, number] => [A[i * N + j] + P[i] * P[j], 0];
    const { W, V, allW, allV } = nplrLegS(N);
    const full = reconstructionError(allV, allW.re, allW.im, N, N, ap, false);
    assert.ok(full < 1e-9 * N, `full: ${full}`);
    const half = reconstructionError(V, W.re, W.im, N / 2, N, ap, true);
    assert.ok(half < 1e-9 * N, `half: ${half}`);
    // −½ + i·W_im are the eigenvalues: AP v = (W_re + i W_im) v for each eigenvector column.
    for (let k = 0; k < N; k++) {
      let worst = 0;
      for (let i = 0; i < N; i++) {
        let [re, im] = [0, 0];
        for (let j = 0; j < N; j++) [re, im] = [re + ap(i, j)[0] * allV.re[j * N + k], im + ap(i, j)[0] * allV.im[j * N + k]];
        const [vr, vi] = [allV.re[i * N + k], allV.im[i * N + k]];
        worst = Math.max(worst, Math.hypot(re - (-0.5 * vr - allW.im[k] * vi), im - (-0.5 * vi + allW.im[k] * vr)));
      }
      assert.ok(worst < 1e-9 * N, `eigenpair ${k}: ${worst}`);
      assert.ok(Math.abs(allW.re[k] + 0.5) < 1e-12);
    }
    for (let k = 0; k < N / 2; k++) assert.ok(W.im[k] < 0 && Math.abs(allW.im[k] + allW.im[N - 1 - k]) < 1e-9 * N, 'conjugate pairs, negative half kept');
  });
}

/** LAPACK's (numpy.linalg.eigh) nplr('legs') values: W_im, B (clipped) and P as (re, im) per mode. */
const lapack: Record<number, { W: number[]; B: [number, number][]; P: [number, number][] }> = {
  4: {
    W: [-4.603293007066851, -0.556501115083743],
    B: [
      [-0.28701986009037495, -2.0],
      [0.6462349417307152, 0.7192609313584418],
    ],
    P: [
      [-0.20295368940511832, -1.8685105983939976],
      [0.45695710953748203, 0.5085942820061059],
    ],
  },
  8: {
    W: [-19.857410370970573, -5.354208515030874, -1.957794150902805, -0.4274887122858604],
    B: [
      [-0.12977502729559764, -2.0],
      [0.17144282224579532, 1.835881237418731],
      [-0.2907405540940702, -1.138420312471225],
      [0.6076477031931378, 0.5195250683229897],
    ],
    P: [
      [-0.09176480182938646, -3.644422655073829],
      [0.12122838219576193, 1.2981640724319348],
      [-0.2055846173658512, -0.8049847227889118],
      [0.42967181150029826, 0.36735969880759045],
    ],
  },
  64: {
    W: [-1303.2738429811964, -433.0307565386912, -258.1522102153826, -182.6204114000344],
    B: [
      [0.015634411035595153, 2.0],
      [-0.015709768189307527, -2.0],
      [0.01586086161834782, 2.0],
      [-0.01608850524791927, -2.0],
    ],
    P: [
      [0.011055198063130434, 28.815900929313145],
      [-0.011108483617528142, -9.62063012979051],
      [0.01121532280579518, 5.7905207411898125],
      [-0.011376291159958307, -4.155085943676242],
    ],
  },
};

test('NPLR eigenvalues, B (clipped to |Im| ≤ 2) and P match LAPACK, up to one real sign per mode shared by B and P', () => {
  for (const [N, expected] of Object.entries(lapack)) {
    const { W, B, P } = nplrLegS(Number(N));
    expected.W.forEach((w, k) => {
      assert.ok(Math.abs(W.im[k] - w) < 1e-9 * Math.abs(w), `N = ${N}: W_im[${k}] = ${W.im[k]}, LAPACK ${w}`);
      const sign = Math.sign(P.re[k]) === Math.sign(expected.P[k][0]) ? 1 : -1;
      for (const [ours, theirs] of [
        [B, expected.B[k]],
        [P, expected.P[k]],
      ] as const) {
        assert.ok(
          Math.abs(ours.re[k] - sign * theirs[0]) < 1e-9 && Math.abs(ours.im[k] - sign * theirs[1]) < 1e-9,
          `N = ${N}: mode ${k} (${ours.re[k]}, ${ours.im[k]}) vs ±(${theirs[0]}, ${theirs[1]})`,
        );
      }
    });
  }
});

test('without clipping B = √2·P (both are V* of √(2n+1) = √2·√(n+½))', () => {
  const { B, P } = nplrLegS(16, { bClip: null });
  for (let k = 0; k < 8; k++) assert.ok(Math.abs(B.re[k] - Math.SQRT2 * P.re[k]) < 1e-9 && Math.abs(B.im[k] - Math.SQRT2 * P.im[k]) < 1e-9);
});

test('the N = 256 diagonalisation solves the eigenproblem (A v = λ v for every mode)', () => {
  // Speed is a benchmark's business; here only the size that the S4 paper configs reach is checked.
  const n = 256;
  const { A } = legsTransition(n);
  const P = legsRankCorrection(n);
  // AP = −½ I + S with S skew-symmetric; the eigenproblem is that of the Hermitian S·(−i).
  const im = A.map((a, i) => (Math.floor(i / n) === i % n ? 0 : -(a + P[Math.floor(i / n)] * P[i % n])));
  const started = performance.now();
  const { values, vectors } = hermitianEigen({ re: new Float64Array(n * n), im }, n);
  console.log(`\nnote: hermitianEigen(256) took ${(performance.now() - started).toFixed(0)} ms`);
  let worst = 0;
  for (let k = 0; k < n; k += 17) {
    for (let r = 0; r < n; r++) {
      // (i·M v)[r] − λ v[r] with M = im: (0 + i·im)(vr + i·vi) = −im·vi + i·im·vr
      let re = 0;
      let imag = 0;
      for (let c = 0; c < n; c++) {
        re -= im[r * n + c] * vectors.im[c * n + k];
        imag += im[r * n + c] * vectors.re[c * n + k];
      }
      worst = Math.max(worst, Math.hypot(re - values[k] * vectors.re[r * n + k], imag - values[k] * vectors.im[r * n + k]));
    }
  }
  const scale = Math.max(...Array.from(values, Math.abs));
  assert.ok(worst < 1e-12 * scale * n, `residual ${worst} with max |λ| ${scale}`);
});

test('the S4D inits: Lin Im A = −πn, Inv Im A = −(N/π)(N/(2n+1) − 1), Real A = −(n+1), LegS A = W, all with Re A = −½', () => {
  const rng = new Random(1);
  const N = 8;
  const get = (init: Parameters<typeof ssmInit>[0]) => ssmInit(init, N, { copies: 2, rng });
  const lin = get('diag-lin');
  const inv = get('diag-inv');
  const real = get('diag-real');
  const legs = get('diag-legs');
  const nplr = nplrLegS(N);
  for (let s = 0; s < 2; s++) {
    for (let n = 0; n < N / 2; n++) {
      const i = 2 * (s * (N / 2) + n);
      assert.ok(lin.A[i] === -0.5 && Math.abs(lin.A[i + 1] + Math.PI * n) < 1e-5 && lin.B[i] === 1 && lin.B[i + 1] === 0 && lin.P[i] === 0);
      assert.ok(Math.abs(inv.A[i + 1] + (N / Math.PI) * (N / (2 * n + 1) - 1)) < 1e-4);
      assert.ok(real.A[i] === -(n + 1) && real.A[i + 1] === 0);
      assert.ok(legs.A[i] === -0.5 && Math.abs(legs.A[i + 1] - nplr.W.im[n]) < 1e-4 && legs.P[i] === 0);
      assert.ok(Math.abs(legs.B[i] - nplr.B.re[n]) < 1e-6 && Math.abs(legs.B[i + 1] - nplr.B.im[n]) < 1e-6);
    }
  }
  // 'diag' = Inv copies then Lin copies (the official combination order).
  const mixed = ssmInit('diag', N, { copies: 2, rng });
  assert.equal(Array.from(mixed.A.slice(0, N)), Array.from(inv.A.slice(0, N)));
  assert.equal(Array.from(mixed.A.slice(N)), Array.from(lin.A.slice(0, N)));
});

test('inverse transforms clamp at 1e-4 as upstream (a zero imaginary part is stored as 1e-4) and invert exactly otherwise', () => {
  assert.is(inversePositive(0, 'none'), 1e-4);
  assert.ok(Math.abs(inversePositive(0, 'exp') - Math.log(1e-4)) < 1e-12);
  for (const t of ['exp', 'softplus', 'none'] as const) {
    for (const v of [1e-3, 0.5, 3, 40]) assert.ok(Math.abs(positiveValue(inverseTransform(v, t), t) - v) < 1e-9 * v, `${t}(${v})`);
  }
});

test('dt is log-uniform in [0.001, 0.1] under exp and softplus, and C is complex normal with variance ½ per part', () => {
  for (const transform of ['exp', 'softplus'] as const) {
    const stored = initInvDt(4000, { transform, rng: new Random(2) });
    const logs = Array.from(stored, (x) => Math.log(positiveValue(x, transform)));
    assert.ok(
      logs.every((l) => l >= Math.log(0.001) - 1e-5 && l <= Math.log(0.1) + 1e-5),
      'inside [dtMin, dtMax]',
    );
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    assert.ok(Math.abs(mean - (Math.log(0.001) + Math.log(0.1)) / 2) < 0.1, `mean log dt ${mean}`);
  }
  const c = complexNormal(20000, new Random(3));
  for (const part of [0, 1]) {
    let s = 0;
    for (let i = part; i < c.length; i += 2) s += c[i] * c[i];
    assert.ok(Math.abs(s / 20000 - 0.5) < 0.03, `variance of part ${part}: ${s / 20000}`);
  }
});

test.run();
