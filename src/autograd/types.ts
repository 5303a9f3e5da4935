/** The shape of a gradient rule. */
import type { KernelAttrs, KernelName } from '../../kernels/index.ts';
import type { Tensor } from '../tensor.ts';

export interface VjpContext<K extends KernelName> {
  /** The op's inputs (forward values, lazily available). */
  inputs: readonly Tensor[];
  /** The op's output. */
  output: Tensor;
  attrs: KernelAttrs<K>;
  /** Gradient of the objective with respect to the output. */
  grad: Tensor;
}

/**
 * A vector–Jacobian product: gradients with respect to each input (null where an input takes
 * none, e.g. indices), built from ordinary ops so that the backward graph is lazy like the forward.
 */
export type VjpRule<K extends KernelName> = (ctx: VjpContext<K>) => readonly (Tensor | null)[];

/** A gradient decision for each named kernel: a rule, or 'nondiff' (outputs carry no gradient). */
export type VjpTable<N extends KernelName> = { [K in N]: VjpRule<K> | 'nondiff' };
