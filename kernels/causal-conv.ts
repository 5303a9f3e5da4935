/**
 * Causal convolution of long sequences with long kernels, the core of S4-style layers
 * (y = K * u with K the SSM's convolution kernel). Part of the fft family: on the CPU backends
 * the WebAssembly runtime computes it by FFT; the GPU.js body is the direct sum.
 */
import { broadcastStrides, numel, ShapeError, type Shape } from './shape.ts';
import { defineKernel, type FastPathCall, type FastPathContext } from './types.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';

type NoAttrs = Record<string, never>;
const none: NoAttrs = {};

/** Leading (non-sequence) axes of u and k, checked: k's right-align with u's, each equal or 1. */
function leadingAxes(shapes: readonly Shape[]): { u: Shape; k: Shape } {
  const [u, k] = shapes;
  if (u.length < 1 || k.length < 1) throw new ShapeError('causalConv', shapes, 'u and k need a sequence axis (the last)');
  const uLead = u.slice(0, -1);
  const kLead = k.slice(0, -1);
  if (kLead.length > uLead.length) {
    throw new ShapeError('causalConv', shapes, `k has ${kLead.length} leading axes, more than u's ${uLead.length}`);
  }
  const offset = uLead.length - kLead.length;
  kLead.forEach((d, axis) => {
    if (d !== 1 && d !== uLead[offset + axis]) {
      throw new ShapeError('causalConv', shapes, `k's leading axis ${axis} has size ${d}, which is neither 1 nor u's ${uLead[offset + axis]}`);
    }
  });
  return { u: uLead, k: kLead };
}

/** Element offsets of each kernel row along u's leading axes (0 where k broadcasts). */
function kernelRowStrides(shapes: readonly Shape[]): number[] {
  const lead = leadingAxes(shapes);
  const kernelLength = shapes[1][shapes[1].length - 1];
  return broadcastStrides(lead.k, lead.u).map((s) => s * kernelLength);
}

/**
 * Maps the call onto the runtime's y[r, l] = Σ_j k[r mod kernelRows, j]·u[r, l − j], which
 * holds when k's leading axes, leading ones dropped, are a suffix of u's (e.g. k [H, Lk] with
 * u [B, H, L]); any other broadcast falls back to the GPU.js body.
 */
function causalConvFast({ inputs: [u, k], shapes, out }: FastPathCall<NoAttrs>, { wasm, allowAsync }: FastPathContext): boolean | Promise<boolean> {
  if (!wasm) return false;
  const lead = leadingAxes(shapes);
  const length = shapes[0][shapes[0].length - 1];
  const kernelLength = shapes[1][shapes[1].length - 1];
  const first = lead.k.findIndex((d) => d !== 1);
  const kept = first < 0 ? [] : lead.k.slice(first);
  const suffix = lead.u.slice(lead.u.length - kept.length);
  if (kept.some((d, axis) => d !== suffix[axis])) return false;
  if (kernelLength === 0) {
    out.fill(0);
    return true;
  }
  const kernelRows = numel(kept);
  // taps at lag ≥ L never reach an output: cut them so the runtime sees Lk ≤ L
  const taps = Math.min(kernelLength, length);
  const kernel = taps === kernelLength ? k : trimRows(k, kernelRows, kernelLength, taps);
  const dims = { rows: numel(lead.u), length, kernelRows, kernelLength: taps };
  if (!allowAsync) {
    wasm.causalConvSync(u, kernel, out, dims);
    return true;
  }
  return wasm.causalConv(u, kernel, out, dims).then(() => true);
}

function trimRows(x: Float32Array, rows: number, from: number, to: number): Float32Array {
  const y = new Float32Array(rows * to);
  for (let r = 0; r < rows; r++) y.set(x.subarray(r * from, r * from + to), r * to);
  return y;
}

/**
 * Causal convolution along the last axis: u [..., L], k [..., Lk] → y [..., L] with
 * y[..., l] = Σ_{j=0}^{min(l, Lk−1)} k[..., j]·u[..., l − j]. k's leading axes right-align
 * with u's and each equals u's or is 1 (k [H, Lk] with u [B, H, L] is the S4 layout).
 */
export const causalConv = defineKernel<NoAttrs>({
  arity: 2,
  outShape(shapes) {
    leadingAxes(shapes);
    return shapes[0];
  },
  reference([u, k], shapes, _attrs, outShape) {
    const lead = leadingAxes(shapes);
    const length = shapes[0][shapes[0].length - 1];
    const kernelLength = shapes[1][shapes[1].length - 1];
    const strides = kernelRowStrides(shapes);
    const out = new Float64Array(numel(outShape));
    const index = new Array<number>(lead.u.length).fill(0);
    for (let row = 0; row < numel(lead.u); row++) {
      const kBase = index.reduce((acc, v, axis) => acc + v * strides[axis], 0);
      for (let l = 0; l < length; l++) {
        let acc = 0;
        for (let j = 0; j <= Math.min(l, kernelLength - 1); j++) acc += k[kBase + j] * u[row * length + l - j];
        out[row * length + l] = acc;
      }
      for (let axis = lead.u.length - 1; axis >= 0; axis--) {
        if (++index[axis] < lead.u[axis]) break;
        index[axis] = 0;
      }
    }
    return out;
  },
  gpu(shapes) {
    const lead = leadingAxes(shapes);
    const length = shapes[0][shapes[0].length - 1];
    const kernelLength = shapes[1][shapes[1].length - 1];
    return {
      source: kernelSource(
        ['u', 'k'],
        [
          'const i = this.thread.x;',
          `const row = Math.floor(i / ${length});`,
          `const l = i - row * ${length};`,
          ...unravel('row', lead.u, 'r'),
          `const kBase = ${dot(indexNames('r', lead.u.length), kernelRowStrides(shapes))};`,
          'let acc = 0.0;',
          // taps past lag L − 1 never apply, so the literal bound is min(Lk, L); `break` ends at lag l
          `for (let j = 0; j < ${Math.min(kernelLength, length)}; j++) {`,
          '  if (j > l) {',
          '    break;',
          '  }',
          '  acc += k[kBase + j] * u[i - j];',
          '}',
          'return acc;',
        ],
      ),
    };
  },
  fast: causalConvFast,
  // biome-ignore format: a case table, one case a line
  cases: [
    { shapes: [[1], [1]], attrs: none },
    { shapes: [[7], [7]], attrs: none },
    { shapes: [[3, 8], [1]], attrs: none },
    { shapes: [[2, 3, 97], [3, 40]], attrs: none },
    { shapes: [[2, 3, 13], [2, 1, 5]], attrs: none },
    { shapes: [[3, 9], [1, 12]], attrs: none },
    { shapes: [[1009], [1009]], attrs: none },
    { shapes: [[2, 1100], [2, 1100]], attrs: none },
    { shapes: [[2, 4, 600], [4, 600]], attrs: none },
    { shapes: [[4, 0], [4, 3]], attrs: none },
    { shapes: [[3, 5], [0]], attrs: none },
  ],
});
