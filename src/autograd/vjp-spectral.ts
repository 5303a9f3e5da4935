/**
 * Gradient rules of the complex and FFT kernels.
 *
 * Complex values are pairs of reals, and gradients are with respect to both parts. For a
 * holomorphic f, that gradient is g · conj(f'(z)) in complex arithmetic (g the pair of partial
 * derivatives of the real objective).
 */
import { apply, leaf } from '../engine/apply.ts';
import { complexDiv, complexMul, conj } from '../ops/complex.ts';
import * as ew from '../ops/elementwise.ts';
import { causalConv, rfft } from '../ops/fft.ts';
import { flip, narrow, pad, unsqueeze } from '../ops/shape.ts';
import type { Tensor } from '../tensor.ts';
import { sumTo } from './sum-to.ts';
import type { VjpTable } from './types.ts';

/**
 * Per-bin weights of the one-sided spectrum of a length-n real signal: DC and (n even) Nyquist
 * appear once in the full spectrum, every other bin twice (with its mirror). Shape [bins, 1].
 */
function binMultiplicity(n: number, bins: number, interior: number): Tensor {
  const w = new Float32Array(bins);
  for (let k = 0; k < bins; k++) w[k] = k === 0 || 2 * k === n ? 1 : interior;
  return leaf(w, [bins, 1]);
}

/** Resizes the last axis to `length`: truncates, or pads with zeros (which then get no gradient). */
function fitLast(t: Tensor, length: number): Tensor {
  const current = t.shape[t.rank - 1];
  if (current === length) return t;
  if (current > length) return narrow(t, -1, 0, length);
  return pad(t, [...t.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [0, length - current]]);
}

/** Resizes the bin axis (second to last) of a spectrum. */
function fitBins(t: Tensor, bins: number): Tensor {
  const current = t.shape[t.rank - 2];
  if (current === bins) return t;
  if (current > bins) return narrow(t, -2, 0, bins);
  return pad(t, [...t.shape.slice(0, -2).map(() => [0, 0] as [number, number]), [0, bins - current], [0, 0]]);
}

/** 1 + 0i, made per call: ops modules must not build tensors while modules load. */
const complexOne = (): Tensor => leaf(Float32Array.of(1, 0), [2]);

type SpectralKernel =
  | 'complexMul'
  | 'complexDiv'
  | 'complexExp'
  | 'complexAbs'
  | 'complexLog'
  | 'complexLog1p'
  | 'complexExpm1'
  | 'rfft'
  | 'irfft'
  | 'causalConv';

export const spectralVjps: VjpTable<SpectralKernel> = {
  complexMul: ({ inputs: [a, b], grad }) => [sumTo(complexMul(grad, conj(b)), a.shape), sumTo(complexMul(grad, conj(a)), b.shape)],
  // d(a/b)/da = 1/b, d(a/b)/db = −(a/b)/b
  complexDiv: ({ inputs: [a, b], output, grad }) => [
    sumTo(complexDiv(grad, conj(b)), a.shape),
    sumTo(ew.neg(complexMul(grad, conj(complexDiv(output, b)))), b.shape),
  ],
  complexExp: ({ output, grad }) => [complexMul(grad, conj(output))],
  // d|z| = z / |z| (undefined at 0, like every framework)
  complexAbs: ({ inputs: [z], output, grad }) => [ew.mul(z, unsqueeze(ew.div(grad, output), -1))],
  // d log z = 1/z; d log(1 + w) = 1/(1 + w); d(exp z − 1) = exp z = output + 1
  complexLog: ({ inputs: [z], grad }) => [complexDiv(grad, conj(z))],
  complexLog1p: ({ inputs: [w], grad }) => [complexDiv(grad, conj(ew.add(w, complexOne())))],
  complexExpm1: ({ output, grad }) => [complexMul(grad, conj(ew.add(output, complexOne())))],
  // X_k = Σ_t x_t e^{−2πikt/n} for k ≤ n/2, so dx_t = Σ_k Re(g_k e^{2πikt/n}) = n · irfft(g / multiplicity).
  rfft: ({ inputs: [x], attrs: { n }, grad }) => {
    const bins = grad.shape[grad.rank - 2];
    const halved = ew.mul(grad, binMultiplicity(n, bins, 0.5));
    return [fitLast(ew.mul(apply('irfft', [halved], { n }), n), x.shape[x.rank - 1])];
  },
  // y_t = (1/n) Σ_k c_k Re(X_k e^{2πikt/n}) with c the multiplicity, so dX_k = (c_k / n) · rfft(g)_k.
  irfft: ({ inputs: [x], attrs: { n }, grad }) => {
    const spectrum = rfft(grad, n); // [..., ⌊n/2⌋+1, 2]
    const bins = spectrum.shape[spectrum.rank - 2];
    return [fitBins(ew.mul(spectrum, ew.mul(binMultiplicity(n, bins, 2), 1 / n)), x.shape[x.rank - 2])];
  },
  // y = k ∗ u (causal). The adjoint of convolving with k is correlating with k, which is a causal
  // convolution in reversed time: du = flip(flip(g) ∗ k). Likewise dk_j = Σ_l g_l u_{l−j}
  // = flip(flip(g) ∗ u)_j, summed over the rows that share a kernel.
  causalConv: ({ inputs: [u, k], grad }) => {
    const reversed = flip(grad, -1);
    const du = flip(causalConv(reversed, k), -1);
    const dkRows = fitLast(flip(causalConv(reversed, u), -1), k.shape[k.rank - 1]);
    return [du, sumTo(dkRows, k.shape)];
  },
};
