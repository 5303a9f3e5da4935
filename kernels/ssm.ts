/**
 * The state-space kernel family shared by S4, S4D and SpaceTime: Vandermonde sums over diagonal
 * modes (and their adjoint) and the Cauchy kernel of DPLR resolvents. Ops: src/ops/ssm.ts.
 */
import { cauchyKernels } from './ssm-cauchy.ts';
import { vandermondeKernels } from './ssm-vandermonde.ts';

export const ssmKernels = { ...vandermondeKernels, ...cauchyKernels };
