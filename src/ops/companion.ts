/**
 * Companion-matrix state spaces (SpaceTime: Zhang, Saab, Poli, Dao, Goel & Ré, "Effectively
 * Modeling Time Series with Simple Discrete State Spaces", ICLR 2023; HazyResearch/spacetime
 * `model/functional/{krylov,companion_krylov}.py`).
 *
 *   A = S + a e_dᵀ        S the lower shift (S[i, i−1] = 1), a the learned last column
 *   K[l] = cᵀ Aˡ b,       l = 0 .. L − 1
 *
 * `companionKernel` is the paper's fast algorithm: the truncated generating function
 * Σ_{l<L} K[l] zˡ = c̃ᵀ (I − zA)⁻¹ b with c̃ᵀ = cᵀ(I − Aᴸ), evaluated at the L-th roots of unity
 * with the Sherman–Morrison identity over (I − zS)⁻¹ = Σ_j zʲ Sʲ (nilpotent, so every quadratic
 * form is a polynomial of degree < d: a correlation, computed by FFT), then one inverse FFT.
 * `companionKrylovKernel` is the official model's path (dense Krylov by repeated squaring),
 * kept as the baseline to benchmark against. Both are composites of differentiable kernels
 * (matmul, rfft, irfft, complex products), so gradients to a, b and c come from the VJP table:
 * the recurrence is sequential, and a GPU.js body computes one output cell per thread with no
 * per-thread arrays, so the algorithm cannot be one kernel body (see models/spacetime/README.md).
 *
 * Shapes: d state size, L kernel length, `...` leading axes (kernels): a and b share them; c may
 * add axes in front (several read-outs of one system, e.g. the closed-loop decoder's c and k).
 */
import { ShapeError } from '../../kernels/index.ts';
import { leaf } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';
import { complexDiv, complexMul, conj } from './complex.ts';
import { add, mul, sub } from './elementwise.ts';
import { irfft, rfft } from './fft.ts';
import { matmul } from './linalg.ts';
import { sum } from './reduce.ts';
import { concat, expand, flip, narrow, pad, reshape, squeeze, stack, unsqueeze } from './shape.ts';

function checkVectors(op: string, [a, b, c]: readonly Tensor[], length: number): void {
  const shapes = [a.shape, b.shape, c.shape];
  const d = a.shape[a.rank - 1];
  if (a.rank < 1 || a.shape.join(',') !== b.shape.join(',')) throw new ShapeError(op, shapes, 'a and b must share one shape [..., d]');
  const lead = a.shape.slice(0, -1);
  const cLead = c.shape.slice(0, -1).slice(c.rank - 1 - lead.length);
  if (c.shape[c.rank - 1] !== d || c.rank < a.rank || cLead.join(',') !== lead.join(','))
    throw new ShapeError(op, shapes, "c must be [..., d] with a's shape as its trailing axes");
  if (!Number.isInteger(length) || length < 1) throw new ShapeError(op, shapes, `length ${length} must be a positive integer`);
}

/** The lower shift matrix S [d, d] (S[i, i−1] = 1), built on use (ops build no tensors at load). */
function shiftMatrix(d: number): Tensor {
  const data = new Float32Array(d * d);
  for (let i = 1; i < d; i++) data[i * d + i - 1] = 1;
  return leaf(data, [d, d]);
}

/** A = S + a e_dᵀ: a [..., d] → [..., d, d] (the official `shift_matrix + p_padding ⊗ a`). */
export function companionMatrix(a: Tensor): Tensor {
  const d = a.shape[a.rank - 1];
  const widths = a.shape.map((): [number, number] => [0, 0]);
  const lastColumn = pad(unsqueeze(a, -1), [...widths, [d - 1, 0]]); // [..., d, d]
  return add(lastColumn, shiftMatrix(d));
}

/**
 * The Krylov matrix [v, Av, A²v, …, A^{L−1}v] as columns, by repeated squaring as the official
 * `krylov(L, A, b)`: x ← [x, A^{2^i} x], A^{2^i} ← (A^{2^i})², O(d³ log L + d² L).
 * A [..., d, d], v [..., d] → [..., d, L].
 */
export function krylov(length: number, A: Tensor, v: Tensor): Tensor {
  if (!Number.isInteger(length) || length < 1) throw new ShapeError('krylov', [A.shape, v.shape], `length ${length} must be a positive integer`);
  let columns = unsqueeze(v, -1); // [..., d, 1]
  let power = A; // A^{2^i}  [..., d, d]
  while (columns.shape[columns.rank - 1] < length) {
    columns = concat([columns, matmul(power, columns)], -1); // [..., d, 2^{i+1}]
    if (columns.shape[columns.rank - 1] < length) power = matmul(power, power);
  }
  return narrow(columns, -1, 0, length); // [..., d, L]
}

/** cᵀ Aⁿ by binary exponentiation (n ≥ 0): A [..., d, d], c [..., d] → [..., d]. */
export function rowTimesPower(c: Tensor, A: Tensor, n: number): Tensor {
  let row = unsqueeze(c, -2); // [..., 1, d]
  let power = A; // A^{2^i}  [..., d, d]
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) row = matmul(row, power); // [..., 1, d]
    if (rest > 1) power = matmul(power, power);
  }
  return squeeze(row, -2); // [..., d]
}

/** K[..., l] = cᵀ Aˡ b through the official dense Krylov matrix: the baseline of `companionKernel`. */
export function companionKrylovKernel(a: Tensor, b: Tensor, c: Tensor, length: number): Tensor {
  checkVectors('companionKrylovKernel', [a, b, c], length);
  const columns = krylov(length, companionMatrix(a), b); // [..., d, L]
  return squeeze(matmul(unsqueeze(c, -2), columns), -2); // [..., L]
}

/** Σ_{j ≡ r mod L} q[..., j] for r < L: the coefficients of a polynomial reduced modulo zᴸ − 1. */
function foldModulo(q: Tensor, length: number): Tensor {
  const d = q.shape[q.rank - 1];
  const blocks = Math.ceil(d / length);
  const widths = q.shape.map((_, i): [number, number] => (i === q.rank - 1 ? [0, blocks * length - d] : [0, 0]));
  const padded = pad(q, widths); // [..., blocks·L]
  if (blocks === 1) return padded;
  return sum(reshape(padded, [...q.shape.slice(0, -1), blocks, length]), -2); // [..., L]
}

/** Powers r^j for j < count: [count]. */
function powers(r: number, count: number): Tensor {
  return leaf(
    Float32Array.from({ length: count }, (_, j) => r ** j),
    [count],
  );
}

/** z_k = r·e^{−2πik/L}, k ≤ L/2: the points where the generating function is evaluated. [L/2+1, 2] */
function evaluationPoints(length: number, radius: number): Tensor {
  const bins = Math.floor(length / 2) + 1;
  const data = new Float32Array(bins * 2);
  for (let k = 0; k < bins; k++) {
    const angle = (-2 * Math.PI * k) / length;
    data[2 * k] = radius * Math.cos(angle);
    data[2 * k + 1] = radius * Math.sin(angle);
  }
  return leaf(data, [bins, 2]);
}

/**
 * The companion kernel K[..., l] = cᵀ Aˡ b, l < L, by the paper's fast algorithm (official
 * `companion_krylov`): with e = e_d and Q(u, v)(z) = uᵀ(I − zS)⁻¹v = Σ_{j<d} zʲ Σ_i u_{i+j} v_i,
 *
 *   G(z) = Q(c̃, b) + z·Q(c̃, a)·Q(e, b) / (1 − z·Q(e, a)) = Σ_{l<L} K[l] zˡ   when zᴸ = rᴸ,
 *
 * since I − zA = (I − zS) − z·a eᵀ and c̃ᵀ = cᵀ(I − rᴸAᴸ). Q(e, v) is v reversed; the others are
 * correlations by FFT of length 2d. G is evaluated at z_k = r·e^{−2πik/L} (coefficients scaled by
 * rʲ and folded modulo L, then one rfft) and K[l] = irfft(G)[l] / rˡ.
 *
 * The radius r = e^{−1/L} < 1 is our deviation from the paper's unit circle: the L1 normalisation
 * makes ||a||₁ = 1, so A may have eigenvalues on the unit circle (a ≥ 0 gives λ = 1), where
 * 1 − z·Q(e, a) = det(I − zA) vanishes at a root of unity and the unit-circle formula is 0/0.
 * On |z| = r every factor |1 − zλ| ≥ 1 − r ≈ 1/L, and undoing rˡ amplifies rounding by at most e.
 *
 * c̃ costs log L dense squarings (as the official code's `matrix_power`); the rest is
 * O((d + L) log(d + L)). a, b [..., d] and c [..., d] or [C, ..., d] → [..., L] or [C, ..., L].
 */
export function companionKernel(a: Tensor, b: Tensor, c: Tensor, length: number): Tensor {
  checkVectors('companionKernel', [a, b, c], length);
  const d = a.shape[a.rank - 1];
  const radius = Math.exp(-1 / length);
  const cTilde = sub(c, mul(rowTimesPower(c, companionMatrix(a), length), radius ** length)); // [..., d]
  const n = 2 * d;
  const spectrumC = unsqueeze(rfft(cTilde, n), -3); // [..., 1, d+1, 2]
  const spectraBA = rfft(stack([b, a], -2), n); // [..., 2, d+1, 2]
  const correlations = narrow(irfft(complexMul(spectrumC, conj(spectraBA)), n), -1, 0, d); // [..., 2, d]: Q(c̃,b), Q(c̃,a)
  const reversed = expand(flip(stack([b, a], -2), -1), correlations.shape); // [..., 2, d]: Q(e,b), Q(e,a)
  const coefficients = mul(concat([correlations, reversed], -2), powers(radius, d)); // [..., 4, d]: q_j·rʲ
  const forms = rfft(foldModulo(coefficients, length), length); // [..., 4, L/2+1, 2]
  const [qcb, qca, qeb, qea] = [0, 1, 2, 3].map((i) => squeeze(narrow(forms, -3, i, 1), -3)); // [..., L/2+1, 2] each
  const z = evaluationPoints(length, radius); // [L/2+1, 2]
  const one = leaf(Float32Array.of(1, 0), [2]);
  const correction = complexDiv(complexMul(z, complexMul(qca, qeb)), sub(one, complexMul(z, qea))); // [..., L/2+1, 2]
  return mul(irfft(add(qcb, correction), length), powers(1 / radius, length)); // [..., L]
}
