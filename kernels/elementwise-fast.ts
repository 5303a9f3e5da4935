/**
 * CPU fast paths of the elementwise kernels: the same scalar expressions as the GPU.js bodies,
 * compiled once per kernel into loops over the simplified broadcast (strided.ts) instead of one
 * call per output cell that unravels its index with divisions.
 *
 * A binary kernel's loop runs the innermost axis in one of four forms: both operands
 * contiguous, one of them fixed (a broadcast row or scalar), or general strides. The body
 * computes in float64 and rounds once on store, as the JavaScript loops of the GPU.js bodies
 * (js-loop.ts) do. Each kernel gets its own compiled function (`new Function`), so V8 sees
 * one monomorphic expression per loop and inlines it. Large arrays go to the WebAssembly
 * runtime instead where it has the kernel (elementwise-jobs.ts: the arithmetic maps, exp,
 * sigmoid, tanh, SiLU, GELU and its derivative in float32 SIMD, the last two with the same
 * erf approximation as the GPU.js bodies).
 */
import { broadcastStrides, numel, type Shape } from './shape.ts';
import { coalesce } from './strided.ts';
import type { FastPathCall, FastPathContext } from './types.ts';
import { hasElementwise, type BinaryOp, type UnaryOp } from './wasm/elementwise-jobs.ts';

/**
 * From this many outputs on, the maps run in the WebAssembly runtime (four lanes, threads for
 * the costly ones) when it is loaded: below it, copying into its memory and back costs more
 * than the JavaScript loop saves.
 */
export const WASM_MIN_ELEMENTS = 8192;

type BinaryLoop = (a: Float32Array, b: Float32Array, out: Float32Array, dims: number[], sa: number[], sb: number[]) => void;

/** Source of a loop over the coalesced output, with the kernel's expression spliced in. */
function binarySource(expr: (a: string, b: string) => string): string {
  const op = (x: string, y: string) => `(${expr(x, y)})`;
  return `'use strict';
    return function (a, b, out, dims, sa, sb) {
      const rank = dims.length;
      if (rank === 0) { out[0] = ${op('a[0]', 'b[0]')}; return; }
      const n = dims[rank - 1];
      const ia = sa[rank - 1];
      const ib = sb[rank - 1];
      const total = out.length;
      const index = new Array(rank).fill(0);
      let pa = 0;
      let pb = 0;
      for (let p = 0; p < total; p += n) {
        if (ia === 1 && ib === 1) {
          for (let i = 0; i < n; i++) out[p + i] = ${op('a[pa + i]', 'b[pb + i]')};
        } else if (ia === 1 && ib === 0) {
          const y = b[pb];
          for (let i = 0; i < n; i++) out[p + i] = ${op('a[pa + i]', 'y')};
        } else if (ia === 0 && ib === 1) {
          const x = a[pa];
          for (let i = 0; i < n; i++) out[p + i] = ${op('x', 'b[pb + i]')};
        } else {
          for (let i = 0, qa = pa, qb = pb; i < n; i++, qa += ia, qb += ib) out[p + i] = ${op('a[qa]', 'b[qb]')};
        }
        for (let d = rank - 2; d >= 0; d--) {
          if (++index[d] < dims[d]) {
            pa += sa[d];
            pb += sb[d];
            break;
          }
          index[d] = 0;
          pa -= sa[d] * (dims[d] - 1);
          pb -= sb[d] * (dims[d] - 1);
        }
      }
    };`;
}

/**
 * The fast path of a binary kernel whose GPU.js body returns `op('v0', 'v1')`: out = op(a, b)
 * with NumPy broadcasting.
 */
export function binaryFast(
  op: (a: string, b: string) => string,
  wasmOp?: BinaryOp,
): (call: FastPathCall<unknown>, ctx: FastPathContext) => boolean | Promise<boolean> {
  let loop: BinaryLoop | null = null;
  return ({ inputs: [a, b], shapes, outShape, out }, { wasm, allowAsync }) => {
    const view = coalesce(outShape, [broadcastStrides(shapes[0], outShape), broadcastStrides(shapes[1], outShape)]);
    if (wasmOp && out.length >= WASM_MIN_ELEMENTS && hasElementwise(wasm)) {
      if (!allowAsync) return (wasm.binarySync(wasmOp, a, b, out, view), true);
      return wasm.binary(wasmOp, a, b, out, view).then(() => true);
    }
    loop ??= new Function(binarySource(op))() as BinaryLoop;
    loop(a, b, out, view.dims, view.strides[0], view.strides[1]);
    return true;
  };
}

type UnaryLoop = (x: Float32Array, out: Float32Array) => void;

/**
 * The fast path of a unary kernel from its GPU.js statements (`lines`, reading `v`) and value
 * expression: one flat loop, compiled per distinct body (attributes such as GELU's
 * approximation change the body).
 */
export function unaryFast<A>(
  body: (v: string, attrs: A) => { lines?: string[]; value: string },
  wasmOp?: (attrs: A) => UnaryOp,
): (call: FastPathCall<A>, ctx: FastPathContext) => boolean | Promise<boolean> {
  const loops = new Map<string, UnaryLoop>();
  return ({ inputs: [x], attrs, out }, { wasm, allowAsync }) => {
    if (wasmOp && out.length >= WASM_MIN_ELEMENTS && hasElementwise(wasm)) {
      if (!allowAsync) return (wasm.unarySync(wasmOp(attrs), x, out), true);
      return wasm.unary(wasmOp(attrs), x, out).then(() => true);
    }
    const { lines = [], value } = body('v', attrs);
    const key = `${lines.join('\n')}\n${value}`;
    let loop = loops.get(key);
    if (!loop) {
      loop = new Function(`'use strict';
        return function (x, out) {
          const n = out.length;
          for (let i = 0; i < n; i++) {
            const v = x[i];
            ${lines.join('\n            ')}
            out[i] = ${value};
          }
        };`)() as UnaryLoop;
      loops.set(key, loop);
    }
    loop(x, out);
    return true;
  };
}

/** where(c, a, b) over the broadcast of three operands (general strides, one loop per row). */
export function whereFast({ inputs: [c, a, b], shapes, outShape, out }: FastPathCall<unknown>): boolean {
  const view = coalesce(
    outShape,
    shapes.map((s: Shape) => broadcastStrides(s, outShape)),
  );
  const rank = view.dims.length;
  const [sc, sa, sb] = view.strides;
  const n = rank === 0 ? 1 : view.dims[rank - 1];
  const [ic, ia, ib] = rank === 0 ? [0, 0, 0] : [sc[rank - 1], sa[rank - 1], sb[rank - 1]];
  const index = new Array<number>(rank).fill(0);
  let [pc, pa, pb] = [0, 0, 0];
  for (let p = 0; p < numel(outShape); p += n) {
    for (let i = 0, qc = pc, qa = pa, qb = pb; i < n; i++, qc += ic, qa += ia, qb += ib) out[p + i] = c[qc] !== 0 ? a[qa] : b[qb];
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < view.dims[d]) {
        [pc, pa, pb] = [pc + sc[d], pa + sa[d], pb + sb[d]];
        break;
      }
      index[d] = 0;
      [pc, pa, pb] = [pc - sc[d] * (view.dims[d] - 1), pa - sa[d] * (view.dims[d] - 1), pb - sb[d] * (view.dims[d] - 1)];
    }
  }
  return true;
}
