/**
 * The gradient table: one entry per kernel name, a rule or 'nondiff'. Its type makes a kernel
 * without a gradient decision a compile error.
 */
import type { KernelName } from '../../kernels/index.ts';
import type { VjpTable } from './types.ts';
import { elementwiseVjps } from './vjp-elementwise.ts';
import { linalgVjps } from './vjp-linalg.ts';
import { movementVjps } from './vjp-movement.ts';
import { reduceVjps } from './vjp-reduce.ts';
import { spectralVjps } from './vjp-spectral.ts';
import { ssmVjps } from './vjp-ssm.ts';

export const vjps: VjpTable<KernelName> = {
  ...elementwiseVjps,
  ...reduceVjps,
  ...movementVjps,
  ...linalgVjps,
  ...spectralVjps,
  ...ssmVjps,
};

export type { VjpRule, VjpContext, VjpTable } from './types.ts';
