/**
 * The kernel registry: every kernel by name, assembled explicitly from the family files
 * (no registration by import side effect). `KernelName` and each kernel's attribute type are
 * derived from this object, so the gradient table in src/autograd can demand a decision per name.
 */
import { complexKernels } from './complex.ts';
import { binaryKernels, unaryKernels } from './elementwise.ts';
import { fftKernels } from './fft.ts';
import { indexingKernels } from './indexing.ts';
import { matmulKernels } from './matmul.ts';
import { movementKernels } from './movement.ts';
import { normKernels } from './norm.ts';
import { reduceKernels } from './reduce.ts';
import { scanKernels } from './scan.ts';
import { softmaxKernels } from './softmax.ts';
import { ssmKernels } from './ssm.ts';
import { topkKernels } from './topk.ts';
import type { KernelSpec } from './types.ts';

export const kernels = {
  ...unaryKernels,
  ...binaryKernels,
  ...reduceKernels,
  ...movementKernels,
  ...indexingKernels,
  ...scanKernels,
  ...matmulKernels,
  ...softmaxKernels,
  ...normKernels,
  ...topkKernels,
  ...complexKernels,
  ...fftKernels,
  ...ssmKernels,
};

export type Kernels = typeof kernels;
export type KernelName = keyof Kernels;
export type KernelAttrs<K extends KernelName> = Kernels[K] extends KernelSpec<infer A> ? A : never;

export const kernelNames = Object.keys(kernels) as KernelName[];

/** The registry entry of a kernel, typed by its attributes. */
export function kernelSpec<K extends KernelName>(name: K): KernelSpec<KernelAttrs<K>> {
  return kernels[name] as unknown as KernelSpec<KernelAttrs<K>>;
}
