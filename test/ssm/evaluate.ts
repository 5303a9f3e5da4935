/**
 * Evaluates a lazy graph op by op on a backend with the CPU fast paths and JavaScript loops
 * switched off, so that a composite op runs on the GPU.js bodies compiled by GPU.js (webasm:
 * float32 throughout), as it would on a GPU.
 */
import { runKernel, type Backend, type KernelName } from '../../kernels/index.ts';
import type { Tensor } from '../../src/index.ts';

export async function evaluateGpuBodies(output: Tensor, backend: Backend): Promise<Float32Array> {
  const memo = new Map<Tensor, Float32Array>();
  const visit = async (t: Tensor): Promise<Float32Array> => {
    const known = memo.get(t);
    if (known) return known;
    let value: Float32Array;
    if (t.op === 'leaf') value = t.storage!.data;
    else if (t.op === 'reshape') value = await visit(t.inputs[0]);
    else {
      const inputs = [];
      for (const input of t.inputs) inputs.push(await visit(input));
      value = await runKernel(
        backend,
        t.op as KernelName,
        inputs,
        t.inputs.map((i) => i.shape),
        t.attrs as never,
        t.shape,
        { sync: true, fastPaths: false, jsLoops: false },
      );
    }
    memo.set(t, value);
    return value;
  };
  return visit(output);
}
