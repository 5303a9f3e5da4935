/**
 * Evaluates a tensor's graph with the kernels' float64 references instead of a backend: the
 * "float64 reference path" of the gradient checks. Leaf values may be overridden (perturbed).
 */
import { kernelSpec, type KernelName } from '../../kernels/index.ts';
import type { Tensor } from '../../src/index.ts';

export function evaluateReference(output: Tensor, overrides: ReadonlyMap<Tensor, Float64Array> = new Map()): Float64Array {
  const memo = new Map<Tensor, Float64Array>();
  const visit = (t: Tensor): Float64Array => {
    const known = overrides.get(t) ?? memo.get(t);
    if (known) return known;
    let value: Float64Array;
    if (t.op === 'leaf') {
      if (!t.storage) throw new Error(`evaluateReference: ${t} has no data`);
      value = Float64Array.from(t.storage.data);
    } else if (t.op === 'reshape') {
      value = visit(t.inputs[0]);
    } else {
      const spec = kernelSpec(t.op as KernelName);
      value = spec.reference(
        t.inputs.map(visit),
        t.inputs.map((i) => i.shape),
        t.attrs as never,
        t.shape,
      );
    }
    memo.set(t, value);
    return value;
  };
  return visit(output);
}
