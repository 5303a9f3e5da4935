/**
 * Movement kernels: permute, expand, flip, concat here; slice, unslice and pad in slice.ts.
 *
 * permute, expand, flip (and slice) read their input at an affine function of the output
 * multi-index, offset = base + Σ_a o_a · coef_a, so they share one GPU.js body; what differs is
 * the base and the coefficients, and each keeps its own reference written from its definition.
 */
import { ShapeError, assertValidShape, broadcastStrides, numel, stridesOf } from './shape.ts';
import { defineKernel, type KernelCase } from './types.ts';
import { kernelSource } from './codegen.ts';
import { affineSource, aroundAxis, checkAxes, checkAxis, forEachIndex, gatherReference, offsetOf, oneInput } from './layout.ts';
import { sliceKernels } from './slice.ts';
import { affineGather, concatBlocks } from './movement-fast.ts';

/** out[o] = x[i] with i[perm[a]] = o[a] (torch.permute, numpy.transpose). */
export interface PermuteAttrs {
  perm: number[];
}

/** Broadcast to `shape` by NumPy's rules (right-aligned; a dim of 1 repeats; leading axes may be added). */
export interface ExpandAttrs {
  shape: number[];
}

/** Reverse the order of elements along each of `axes` (canonical: sorted, distinct). */
export interface FlipAttrs {
  axes: number[];
}

/** Join inputs along `axis`; all other dims must agree. */
export interface ConcatAttrs {
  axis: number;
}

// ---------------------------------------------------------------------------------------------
// Test cases

// biome-ignore format: a case table, one case a line
const permuteCases: KernelCase<PermuteAttrs>[] = [
  [[2, 3, 4], [2, 0, 1]],
  [[2, 3, 4], [1, 2, 0]],
  [[5, 7], [1, 0]],
  [[1], [0]],
  [[], []],
  [[3, 1, 2, 1], [3, 2, 1, 0]],
  [[2, 1031], [1, 0]],
  [[70, 60], [1, 0]],
  [[0, 3], [1, 0]],
].map(([shape, perm]) => ({ shapes: [shape], attrs: { perm } }));

// biome-ignore format: a case table, one case a line
const expandCases: KernelCase<ExpandAttrs>[] = [
  [[3], [2, 3]],
  [[3, 1], [3, 4]],
  [[1], [5]],
  [[], [2, 2]],
  [[2, 1, 3], [4, 2, 5, 3]],
  [[2, 3], [2, 3]],
  [[1, 1031], [2, 1031]],
  [[1], [4099]],
  [[3, 1], [3, 0]],
].map(([shape, target]) => ({ shapes: [shape], attrs: { shape: target } }));

// biome-ignore format: a case table, one case a line
const flipCases: KernelCase<FlipAttrs>[] = [
  [[5], [0]],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [1]],
  [[2, 3], []],
  [[1], [0]],
  [[1031], [0]],
  [[70, 60], [0, 1]],
  [[0, 4], [1]],
].map(([shape, axes]) => ({ shapes: [shape], attrs: { axes } }));

// biome-ignore format: a case table, one case a line
const concatCases: KernelCase<ConcatAttrs>[] = [
  { shapes: [[2, 3], [4, 3]], attrs: { axis: 0 } },
  { shapes: [[2, 3], [2, 1], [2, 5]], attrs: { axis: 1 } },
  { shapes: [[2, 3, 4], [2, 3, 4]], attrs: { axis: 1 } },
  { shapes: [[3], [0], [2]], attrs: { axis: 0 } },
  { shapes: [[5]], attrs: { axis: 0 } },
  { shapes: [[1], [1], [1], [1], [1]], attrs: { axis: 0 } },
  { shapes: [[1031], [7]], attrs: { axis: 0 } },
  { shapes: [[40, 60], [30, 60]], attrs: { axis: 0 } },
  { shapes: [[2, 0, 4], [2, 0, 4]], attrs: { axis: 2 } },
];

// ---------------------------------------------------------------------------------------------
// The kernels

export const movementKernels = {
  /** permute(x, perm)[o_0, ..., o_{r-1}] = x[i] where i[perm[a]] = o[a]; out.shape[a] = x.shape[perm[a]]. */
  permute: defineKernel<PermuteAttrs>({
    arity: 1,
    outShape: (shapes, { perm }) => {
      const x = oneInput('permute', shapes);
      const sorted = [...perm].sort((a, b) => a - b);
      if (perm.length !== x.length || sorted.some((p, k) => p !== k)) {
        throw new ShapeError('permute', shapes, `perm [${perm.join(', ')}] is not a permutation of the ${x.length} axes`);
      }
      return perm.map((p) => x[p]);
    },
    reference: ([x], [shape], { perm }, out) =>
      gatherReference(x, shape, out, (o) => {
        const i = new Array<number>(o.length);
        perm.forEach((p, a) => (i[p] = o[a]));
        return i;
      }),
    gpu: ([shape], { perm }, out) => {
      const strides = stridesOf(shape);
      return {
        source: affineSource(
          out,
          0,
          perm.map((p) => strides[p]),
        ),
      };
    },
    fast: ({ inputs: [x], shapes: [shape], attrs: { perm }, outShape, out }, ctx) => {
      const strides = stridesOf(shape);
      return affineGather(
        x,
        out,
        outShape,
        0,
        perm.map((p) => strides[p]),
        ctx,
      );
    },
    cases: permuteCases,
  }),

  /** expand(x, shape)[o] = x[i] with i_a = o_{a+k} where x's dim is > 1, else 0 (k = added leading axes). */
  expand: defineKernel<ExpandAttrs>({
    arity: 1,
    outShape: (shapes, { shape: target }) => {
      const x = oneInput('expand', shapes);
      assertValidShape('expand', target);
      const k = target.length - x.length;
      if (k < 0) throw new ShapeError('expand', shapes, `cannot expand to [${target.join(', ')}], which has fewer axes`);
      x.forEach((d, a) => {
        if (d !== 1 && d !== target[a + k]) {
          throw new ShapeError('expand', shapes, `dimension ${d} at axis ${a} cannot expand to ${target[a + k]} (target [${target.join(', ')}])`);
        }
      });
      return target;
    },
    reference: ([x], [shape], _attrs, out) => gatherReference(x, shape, out, (o) => shape.map((d, a) => (d === 1 ? 0 : o[a + out.length - shape.length]))),
    gpu: ([shape], _attrs, out) => ({ source: affineSource(out, 0, broadcastStrides(shape, out)) }),
    fast: ({ inputs: [x], shapes: [shape], outShape, out }, ctx) => affineGather(x, out, outShape, 0, broadcastStrides(shape, outShape), ctx),
    cases: expandCases,
  }),

  /** flip(x, axes)[o] = x[i] with i_a = d_a - 1 - o_a on the flipped axes, o_a elsewhere. */
  flip: defineKernel<FlipAttrs>({
    arity: 1,
    outShape: (shapes, { axes }) => {
      const x = oneInput('flip', shapes);
      checkAxes('flip', shapes, axes, x.length);
      return x;
    },
    reference: ([x], [shape], { axes }, out) => gatherReference(x, shape, out, (o) => o.map((v, a) => (axes.includes(a) ? shape[a] - 1 - v : v))),
    gpu: ([shape], { axes }, out) => {
      const strides = stridesOf(shape);
      const base = axes.reduce((sum, a) => sum + (shape[a] - 1) * strides[a], 0);
      return {
        source: affineSource(
          out,
          base,
          strides.map((s, a) => (axes.includes(a) ? -s : s)),
        ),
      };
    },
    fast: ({ inputs: [x], shapes: [shape], attrs: { axes }, outShape, out }, ctx) => {
      const strides = stridesOf(shape);
      const base = axes.reduce((sum, a) => sum + (shape[a] - 1) * strides[a], 0);
      return affineGather(
        x,
        out,
        outShape,
        base,
        strides.map((s, a) => (axes.includes(a) ? -s : s)),
        ctx,
      );
    },
    cases: flipCases,
  }),

  /**
   * concat(x_0, ..., x_{n-1}; axis): out[..., c, ...] = x_k[..., c - b_k, ...] where
   * b_k = Σ_{j<k} x_j.shape[axis] ≤ c < b_{k+1}.
   */
  concat: defineKernel<ConcatAttrs>({
    arity: 'variadic',
    outShape: (shapes, { axis }) => {
      if (shapes.length === 0) throw new ShapeError('concat', shapes, 'needs at least one input');
      const first = shapes[0];
      checkAxis('concat', shapes, axis, first.length);
      shapes.forEach((s, k) => {
        if (s.length !== first.length) throw new ShapeError('concat', shapes, `input ${k} has rank ${s.length}, input 0 has rank ${first.length}`);
        s.forEach((d, a) => {
          if (a !== axis && d !== first[a]) {
            throw new ShapeError('concat', shapes, `input ${k} has dimension ${d} at axis ${a} where input 0 has ${first[a]} (only axis ${axis} may differ)`);
          }
        });
      });
      return first.map((d, a) => (a === axis ? shapes.reduce((sum, s) => sum + s[axis], 0) : d));
    },
    reference: (inputs, shapes, { axis }, out) => {
      const y = new Float64Array(numel(out));
      const strides = stridesOf(out);
      let start = 0;
      inputs.forEach((x, k) => {
        forEachIndex(shapes[k], (i, flat) => {
          y[offsetOf(i, strides) + start * strides[axis]] = x[flat];
        });
        start += shapes[k][axis];
      });
      return y;
    },
    gpu: (shapes, { axis }, out) => {
      // The output as [outer, size, inner] around the axis; input k is [outer, d_k, inner].
      const { size, inner } = aroundAxis(out, axis);
      const lines = [
        'const i = this.thread.x;',
        `const p = Math.floor(i / ${size * inner});`,
        `const r = i - p * ${size * inner};`,
        `const c = Math.floor(r / ${inner});`,
        `const q = r - c * ${inner};`,
      ];
      // One branch per non-empty input, comparing c with the literal boundary b_{k+1}.
      const parts = shapes.map((s, k) => ({ k, start: shapes.slice(0, k).reduce((sum, t) => sum + t[axis], 0), d: s[axis] })).filter((p) => p.d > 0);
      parts.forEach(({ k, start, d }, n) => {
        const read = `in${k}[(p * ${d} + c${start === 0 ? '' : ` - ${start}`}) * ${inner} + q]`;
        if (n === parts.length - 1) lines.push(`return ${read};`);
        else lines.push(`if (c < ${start + d}) {`, `  return ${read};`, '}');
      });
      return {
        source: kernelSource(
          shapes.map((_, k) => `in${k}`),
          lines,
        ),
      };
    },
    fast: ({ inputs, shapes, attrs: { axis }, out }) => (concatBlocks(inputs, shapes, out, axis), true),
    cases: concatCases,
  }),

  ...sliceKernels,
};
