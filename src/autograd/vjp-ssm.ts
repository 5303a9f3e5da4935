/**
 * Gradient rules of the state-space kernels, built from the same kernels (lazy like the forward).
 * Complex inputs take the gradient g·conj(f'(z)) of vjp-spectral.ts; sums over leading axes that
 * broadcast undo the broadcast (sumTo).
 */
import { arange } from '../ops/creation.ts';
import { complexMul, conj } from '../ops/complex.ts';
import * as ew from '../ops/elementwise.ts';
import { cauchy, vandermonde, vandermondeAdjoint } from '../ops/ssm.ts';
import type { Tensor } from '../tensor.ts';
import { sumTo } from './sum-to.ts';
import type { VjpTable } from './types.ts';

/** l ⊙ g along the last (step) axis: the weights of d exp(z·l)/dz = l·exp(z·l). */
const stepWeighted = (g: Tensor): Tensor => ew.mul(g, arange(g.shape[g.rank - 1]));

export const ssmVjps: VjpTable<'vandermonde' | 'vandermondeAdjoint' | 'cauchy'> = {
  // K_l = 2 Re Σ_n c_n E_nl with E_nl = exp(z_n l), holomorphic in c and in z:
  // dc_n = 2 conj(Σ_l g_l E_nl),  dz_n = 2 conj(c_n Σ_l l g_l E_nl).
  vandermonde: ({ inputs: [c, z], grad }) => [
    sumTo(ew.mul(conj(vandermondeAdjoint(grad, z)), 2), c.shape),
    sumTo(ew.mul(conj(complexMul(c, vandermondeAdjoint(stepWeighted(grad), z))), 2), z.shape),
  ],
  // out_n = Σ_l g_l E_nl. For real g_l: dg_l = Re Σ_n conj(G_n) E_nl = ½·vandermonde(conj G, z)_l;
  // dz_n = G_n conj(Σ_l l g_l E_nl).
  vandermondeAdjoint: ({ inputs: [g, z], grad }) => [
    sumTo(ew.mul(vandermonde(conj(grad), z, g.shape[g.rank - 1]), 0.5), g.shape),
    sumTo(complexMul(grad, conj(vandermondeAdjoint(stepWeighted(g), z))), z.shape),
  ],
  // out_k = Σ_m a_m / (x_k − p_m). With Cauchy sums over the other index:
  // da_m = Σ_k G_k conj(1/(x_k − p_m)) = −conj(Σ_k conj(G_k)/(p_m − x_k)),
  // dp_m = Σ_k G_k conj(a_m/(x_k − p_m)²) = conj(a_m)·conj(Σ_k conj(G_k)/(p_m − x_k)²),
  // dx_k = −G_k conj(Σ_m a_m/(x_k − p_m)²).
  cauchy: ({ inputs: [a, p, x], attrs: { power }, grad }) => {
    if (power !== 1) throw new Error('cauchy: second derivatives are not supported (the gradient of power 2 would need power 3)');
    const adjoint = conj(grad);
    return [
      sumTo(ew.neg(conj(cauchy(adjoint, x, p, { power: 1 }))), a.shape),
      sumTo(complexMul(conj(a), conj(cauchy(adjoint, x, p, { power: 2 }))), p.shape),
      sumTo(ew.neg(complexMul(grad, conj(cauchy(a, p, x, { power: 2 })))), x.shape),
    ];
  },
};
