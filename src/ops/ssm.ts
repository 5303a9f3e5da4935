/**
 * State-space convolution kernels, shared by S4, S4D and SpaceTime: the Vandermonde and Cauchy
 * kernels as ops, the convolution kernels of S4D's diagonal and S4's DPLR state spaces built
 * from them, and the discretised diagonal recurrence for step-by-step inference.
 *
 * Papers: Gu, Goel & Ré, "Efficiently Modeling Long Sequences with Structured State Spaces"
 * (S4, ICLR 2022); Gu, Gupta, Goel & Ré, "On the Parameterization and Initialization of Diagonal
 * State Space Models" (S4D, NeurIPS 2022). Official code followed: state-spaces/s4
 * `models/s4/s4.py` (`SSMKernelDiag`, `SSMKernelDPLR`) and `models/s4/s4d.py`.
 *
 * Shape legend: H width (d_model), S copies of (A, B, P) (n_ssm, divides H), N2 complex modes
 * (d_state / 2; each stands for a conjugate pair), channels output heads, L kernel length.
 * Complex tensors end in a (re, im) axis of size 2.
 */
import { ShapeError, formatShape, type Shape } from '../../kernels/index.ts';
import { apply, leaf } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';
import { complexDiv, complexExp, complexExpm1, complexLog1p, complexMul, conj, real } from './complex.ts';
import { add, mul, neg, sub } from './elementwise.ts';
import { irfft } from './fft.ts';
import { sum } from './reduce.ts';
import { concat, expand, narrow, reshape, squeeze, stack, unsqueeze } from './shape.ts';

/** K[..., l] = 2·Re Σ_n c[..., n]·exp(z[..., n]·l), l < length: c, z [..., N2, 2] (leading axes broadcast) → [..., length]. */
export function vandermonde(c: Tensor, z: Tensor, length: number): Tensor {
  return apply('vandermonde', [c, z], { length });
}

/** out[..., n] = Σ_l g[..., l]·exp(z[..., n]·l): g [..., L] real, z [..., N2, 2] → [..., N2, 2]. The adjoint of `vandermonde`. */
export function vandermondeAdjoint(g: Tensor, z: Tensor): Tensor {
  return apply('vandermondeAdjoint', [g, z], {});
}

export interface CauchyOptions {
  /** 1 (default) or 2: the exponent of (x − p). */
  power?: 1 | 2;
}

/** out[..., k] = Σ_m a[..., m] / (x[..., k] − p[..., m])^power: values, poles [..., M, 2], points [..., P, 2] → [..., P, 2]. */
export function cauchy(values: Tensor, poles: Tensor, points: Tensor, options: CauchyOptions = {}): Tensor {
  return apply('cauchy', [values, poles, points], { power: options.power ?? 1 });
}

// ---------------------------------------------------------------------------------------------
// Diagonal state spaces (S4D)

export type Discretization = 'zoh' | 'bilinear';

/** A diagonal continuous system: x'(t) = A x(t) + B u(t), per channel h with step dt[h]. */
export interface DiagonalSystem {
  /** Step sizes, positive (already transformed, e.g. exp(log_dt)): [H]. */
  dt: Tensor;
  /** Diagonal state matrix, Re A < 0: [S, N2, 2], S dividing H. */
  A: Tensor;
  /** Input vector: [S, N2, 2]. */
  B: Tensor;
}

/** The discrete system x_l = dA ⊙ x_{l−1} + dB·u_l, per channel: all [H, N2, 2]. */
export interface DiscreteDiagonal {
  dA: Tensor;
  /** log dA: the Vandermonde nodes, computed without forming dA (see discretizeDiagonal). */
  logDA: Tensor;
  /** The input map with B folded in. */
  dB: Tensor;
}

const complexOne = (): Tensor => leaf(Float32Array.of(1, 0), [2]);

/** H, S and N2 of a system, checked; `extra` are more [S, N2, 2] tensors (P). */
function systemDims(op: string, { dt, A, B }: DiagonalSystem, extra: readonly Tensor[] = []): { H: number; S: number; N2: number } {
  const shapes: Shape[] = [dt.shape, A.shape, B.shape, ...extra.map((t) => t.shape)];
  const fail = (detail: string): never => {
    throw new ShapeError(op, shapes, detail);
  };
  if (dt.rank !== 1) fail(`dt must be [H], got ${formatShape(dt.shape)}`);
  if (A.rank !== 3 || A.shape[2] !== 2) fail(`A must be complex [S, N2, 2], got ${formatShape(A.shape)}`);
  const [H, [S, N2]] = [dt.shape[0], A.shape];
  for (const t of [B, ...extra])
    if (t.rank !== 3 || t.shape[0] !== S || t.shape[1] !== N2 || t.shape[2] !== 2) fail(`B and P must have A's shape ${formatShape(A.shape)}`);
  if (S === 0 || H % S !== 0) fail(`the ${S} copies of (A, B) must divide the width H = ${H}`);
  return { H, S, N2 };
}

/**
 * [S, N2, 2] → [H, N2, 2] with channel h using copy h mod S: the official
 * `repeat(A, 't n -> (v t) n', v=H/S)` puts the copy index t innermost, so copies are tiled
 * (h = v·S + t), not interleaved. Loading weights depends on this order.
 */
function tileCopies(t: Tensor, width: number): Tensor {
  const [copies, ...rest] = t.shape;
  if (copies === width) return t;
  return reshape(expand(unsqueeze(t, 0), [width / copies, copies, ...rest]), [width, ...rest]);
}

/**
 * Discretises a diagonal system with step dt (dtA = dt·A):
 * - 'zoh': dA = exp(dtA), dB = B·(exp(dtA) − 1)/A;
 * - 'bilinear': dA = (1 + dtA/2)/(1 − dtA/2), dB = B·dt/(1 − dtA/2).
 * log dA is dtA (zoh) or log(1 + dtA/2) − log(1 − dtA/2) (bilinear): for dt = 1e-3 a float32 dA
 * is within one rounding of 1, so log of a rounded dA would lose ~1e-4 of Re log dA, which the
 * kernel multiplies by l. Likewise exp(dtA) − 1 goes through complexExpm1.
 */
export function discretizeDiagonal(system: DiagonalSystem, discretization: Discretization): DiscreteDiagonal {
  const { H } = systemDims('discretizeDiagonal', system);
  const dtColumn = reshape(system.dt, [H, 1, 1]);
  const A = tileCopies(system.A, H); // [H, N2, 2]
  const B = tileCopies(system.B, H); // [H, N2, 2]
  const dtA = mul(A, dtColumn); // [H, N2, 2]
  if (discretization === 'zoh') {
    return { dA: complexExp(dtA), logDA: dtA, dB: complexMul(B, complexDiv(complexExpm1(dtA), A)) };
  }
  if (discretization !== 'bilinear') throw new RangeError(`discretizeDiagonal: unknown discretization '${String(discretization)}' (zoh or bilinear)`);
  const half = mul(dtA, 0.5); // [H, N2, 2]
  const denominator = sub(complexOne(), half); // 1 − dtA/2
  return {
    dA: complexDiv(add(complexOne(), half), denominator),
    logDA: sub(complexLog1p(half), complexLog1p(neg(half))),
    dB: complexMul(B, mul(complexDiv(complexOne(), denominator), dtColumn)),
  };
}

/** Parameters of an S4D kernel: a diagonal system and its output map. */
export interface S4dParams extends DiagonalSystem {
  /** Output map: [channels, H, N2, 2]. */
  C: Tensor;
}

export interface S4dKernelOptions {
  length: number;
  /** Default 'zoh', as `SSMKernelDiag`'s `disc`. */
  discretization?: Discretization;
}

/** Throws unless C is [channels, H, N2, 2]. */
function checkOutputMap(op: string, C: Tensor, H: number, N2: number, name: string): void {
  if (C.rank !== 4 || C.shape[1] !== H || C.shape[2] !== N2 || C.shape[3] !== 2) {
    throw new ShapeError(op, [C.shape], `${name} must be [channels, ${H}, ${N2}, 2] (channels, H, N2, re/im), got ${formatShape(C.shape)}`);
  }
}

/**
 * The S4D convolution kernel (`SSMKernelDiag.forward`), K [channels, H, L]:
 * K[c, h, l] = 2·Re Σ_n C'[c, h, n]·dA[h, n]^l with C' = C ⊙ dB, i.e.
 * - zoh: C' = (B ⊙ C)·(exp(dtA) − 1)/A, dA^l = exp(dtA·l);
 * - bilinear: C' = (B ⊙ C)·dt/(1 − dtA/2), dA^l = exp(l·log dA), dA = (1 + dtA/2)/(1 − dtA/2).
 * A and B are shared by groups of channels when S < H (see tileCopies for the order).
 */
export function s4dKernel({ C, ...system }: S4dParams, { length, discretization = 'zoh' }: S4dKernelOptions): Tensor {
  const { H, N2 } = systemDims('s4dKernel', system);
  checkOutputMap('s4dKernel', C, H, N2, 'C');
  const { logDA, dB } = discretizeDiagonal(system, discretization);
  return vandermonde(complexMul(C, dB), logDA, length); // [channels, H, L]
}

/**
 * One step of the discretised diagonal recurrence (S4D's `step`):
 * x' = dA ⊙ x + dB·u,  y = 2·Re Σ_n C_n x'_n.
 * state [batch, H, N2, 2], u [batch, H], dA and dB [H, N2, 2] (discretizeDiagonal),
 * C [channels, H, N2, 2] → state [batch, H, N2, 2], y [batch, channels, H]. Start from zeros.
 */
export function s4dStep(state: Tensor, u: Tensor, { dA, dB, C }: Pick<DiscreteDiagonal, 'dA' | 'dB'> & { C: Tensor }): { state: Tensor; y: Tensor } {
  const [batch, H] = u.shape;
  const next = add(complexMul(dA, state), mul(dB, reshape(u, [batch, H, 1, 1]))); // [batch, H, N2, 2]
  const y = mul(sum(real(complexMul(C, unsqueeze(next, 1))), -1), 2); // [batch, channels, H]
  return { state: next, y };
}

// ---------------------------------------------------------------------------------------------
// DPLR state spaces (S4)

/** Parameters of an S4 (DPLR, rank 1) kernel: A_full = diag(A) − P·Pᴴ, bilinear discretisation. */
export interface DplrParams extends DiagonalSystem {
  /** Low-rank factor: [S, N2, 2] (the official (rank = 1, S, N2) without the rank axis); Q = conj(P). */
  P: Tensor;
  /** C̃ = C·(I − dA^Lk), what checkpoints store as `C`: [channels, H, N2, 2]. */
  Ctilde: Tensor;
}

export interface DplrKernelOptions {
  length: number;
  /** Lk, the length C̃ is attuned to (`l_kernel`); at least `length`. Default `length`. */
  kernelLength?: number;
}

/**
 * The frequency nodes of the bilinear transform at the roots of unity ω_k = exp(−2πik/Lk),
 * k ≤ Lk/2: z_k = 2(1 − ω_k)/(1 + ω_k) = 2i·tan(πk/Lk) and the correction 2/(1 + ω_k) =
 * 1 + i·tan(πk/Lk). The closed forms are exact in float64; at the Nyquist node tan gives 1.6e16,
 * large but finite, and the Cauchy sums there scale as 1/z, so their product with 2/(1 + ω) stays finite.
 */
function bilinearNodes(kernelLength: number): { nodes: Tensor; correction: Tensor } {
  const bins = Math.floor(kernelLength / 2) + 1;
  const [nodes, correction] = [new Float32Array(2 * bins), new Float32Array(2 * bins)];
  for (let k = 0; k < bins; k++) {
    const t = Math.tan((Math.PI * k) / kernelLength);
    nodes[2 * k + 1] = 2 * t;
    correction[2 * k] = 1;
    correction[2 * k + 1] = t;
  }
  return { nodes: leaf(nodes, [bins, 2]), correction: leaf(correction, [bins, 2]) };
}

/** Entry `index` of axis 0, without the axis. */
const pick = (t: Tensor, index: number): Tensor => squeeze(narrow(t, 0, index, 1), 0);

/**
 * The original S4 kernel (`SSMKernelDPLR.forward`, rank 1), K [channels, H, length]: with
 * dtA = dt·A, v = (B, P) ⊗ (C̃, Q = conj P)·dt, and the Cauchy sums over conjugate pairs
 * r_ij(z) = Σ_n v_ij,n/(z − dtA_n) + conj(v_ij,n)/(z − conj dtA_n) at the nodes z_k,
 * the Woodbury identity gives k_f = r00 − r01·r10/(1 + r11); then k_f·2/(1 + ω) is the
 * truncated generating function Σ_{l<Lk} K_l ω^l and K = irfft(·, Lk)[:length].
 * Equivalently K_l = C_fullᵀ dA^l dB over the conjugate-pair-expanded state (no conjugation of
 * C), with dA, dB the bilinear discretisation of A_full = diag(A) − P Pᴴ and C̃ = (I − dA^Lk)ᵀ C.
 */
export function dplrKernel({ Ctilde, P, ...system }: DplrParams, { length, kernelLength = length }: DplrKernelOptions): Tensor {
  const { H, N2 } = systemDims('dplrKernel', system, [P]);
  checkOutputMap('dplrKernel', Ctilde, H, N2, 'Ctilde');
  if (!Number.isInteger(kernelLength) || !Number.isInteger(length) || length < 0 || kernelLength < Math.max(1, length)) {
    throw new RangeError(`dplrKernel: need integers 0 ≤ length ≤ kernelLength and kernelLength ≥ 1, got length ${length}, kernelLength ${kernelLength}`);
  }
  const channels = Ctilde.shape[0];
  const dtColumn = reshape(system.dt, [H, 1, 1]);
  const dtA = mul(tileCopies(system.A, H), dtColumn); // [H, N2, 2]
  const Ph = tileCopies(P, H); // [H, N2, 2]
  const inputs = stack([tileCopies(system.B, H), Ph], 0); // [2, H, N2, 2]: B, P
  const outputs = concat([Ctilde, unsqueeze(conj(Ph), 0)], 0); // [channels + 1, H, N2, 2]: C̃, Q
  const v = mul(complexMul(unsqueeze(inputs, 1), unsqueeze(outputs, 0)), dtColumn); // [2, channels + 1, H, N2, 2]
  const values = concat([v, conj(v)], -2); // [2, channels + 1, H, 2·N2, 2]
  const poles = concat([dtA, conj(dtA)], -2); // [H, 2·N2, 2]
  const { nodes, correction } = bilinearNodes(kernelLength);
  const r = cauchy(values, poles, nodes); // [2, channels + 1, H, bins, 2]
  const [fromB, fromP] = [pick(r, 0), pick(r, 1)]; // [channels + 1, H, bins, 2] each
  const r00 = narrow(fromB, 0, 0, channels); // [channels, H, bins, 2]
  const r01 = narrow(fromB, 0, channels, 1); // [1, H, bins, 2]
  const r10 = narrow(fromP, 0, 0, channels); // [channels, H, bins, 2]
  const r11 = narrow(fromP, 0, channels, 1); // [1, H, bins, 2]
  const spectrum = sub(r00, complexDiv(complexMul(r01, r10), add(r11, complexOne()))); // [channels, H, bins, 2]
  const kernel = irfft(complexMul(spectrum, correction), kernelLength); // [channels, H, Lk]
  return narrow(kernel, -1, 0, length); // [channels, H, length]
}
