/**
 * Scans: cumsum along one axis, inclusive or exclusive, forwards or reversed.
 *
 * GPU.js threads cannot share partial sums, so each output element of the GPU.js body sums its
 * own prefix in float32 (O(L²) work over an axis of length L: fine on a GPU for the lengths
 * used here). The CPU backends take the fast path instead: one linear scan per line in float64.
 */
import { ShapeError, numel, type Shape } from './shape.ts';
import { defineKernel, type FastPath, type KernelCase } from './types.ts';
import { kernelSource, unravel } from './codegen.ts';
import { aroundAxis, checkAxis, oneInput } from './layout.ts';

/** cumsum along `axis`; `exclusive` leaves out the element itself, `reverse` sums from the end. */
export interface CumsumAttrs {
  axis: number;
  exclusive: boolean;
  reverse: boolean;
}

/** Whether element k of the axis enters output l's sum: the definition of the four variants. */
function included(k: number, l: number, { exclusive, reverse }: CumsumAttrs): boolean {
  if (reverse) return exclusive ? k > l : k >= l;
  return exclusive ? k < l : k <= l;
}

/** The fast path: one linear scan per line of x seen as [P, L, Q], with a float64 running sum. */
function scanLines(x: Float32Array, out: Float32Array, shape: Shape, { axis, exclusive, reverse }: CumsumAttrs): void {
  const { outer, size, inner } = aroundAxis(shape, axis);
  for (let p = 0; p < outer; p++) {
    for (let q = 0; q < inner; q++) {
      const base = p * size * inner + q;
      let sum = 0;
      for (let step = 0; step < size; step++) {
        const at = base + (reverse ? size - 1 - step : step) * inner;
        const v = x[at];
        if (!exclusive) sum += v;
        out[at] = sum;
        if (exclusive) sum += v;
      }
    }
  }
}

const cumsumFast: FastPath<CumsumAttrs> = ({ inputs: [x], shapes: [shape], attrs, out }) => {
  scanLines(x, out, shape, attrs);
  return true;
};

// biome-ignore format: a case table, one case a line
const cumsumCases: KernelCase<CumsumAttrs>[] = [
  ...[false, true].flatMap((exclusive) => [false, true].map((reverse) => ({ shapes: [[7]], attrs: { axis: 0, exclusive, reverse } }))),
  { shapes: [[3, 5]], attrs: { axis: 0, exclusive: false, reverse: false } },
  { shapes: [[3, 5]], attrs: { axis: 1, exclusive: true, reverse: false } },
  { shapes: [[2, 3, 4]], attrs: { axis: 1, exclusive: false, reverse: true } },
  { shapes: [[2, 3, 4]], attrs: { axis: 2, exclusive: true, reverse: true } },
  { shapes: [[1]], attrs: { axis: 0, exclusive: false, reverse: false } },
  { shapes: [[1]], attrs: { axis: 0, exclusive: true, reverse: false } },
  { shapes: [[4, 1, 3]], attrs: { axis: 1, exclusive: false, reverse: true } },
  { shapes: [[1100]], attrs: { axis: 0, exclusive: false, reverse: false } },
  { shapes: [[1100]], attrs: { axis: 0, exclusive: true, reverse: true } },
  { shapes: [[70, 60]], attrs: { axis: 0, exclusive: false, reverse: false } },
  { shapes: [[0, 3]], attrs: { axis: 1, exclusive: false, reverse: false } },
];

export const scanKernels = {
  /**
   * cumsum(x; axis)[..., l, ...] = Σ_{k ≤ l} x[..., k, ...]; `exclusive`: k < l; `reverse`:
   * k ≥ l (k > l when exclusive), i.e. the sums run from the end of the axis.
   */
  cumsum: defineKernel<CumsumAttrs>({
    arity: 1,
    outShape: (shapes, { axis }) => {
      const x = oneInput('cumsum', shapes);
      if (x.length === 0) throw new ShapeError('cumsum', shapes, 'cannot scan a scalar');
      checkAxis('cumsum', shapes, axis, x.length);
      return x;
    },
    reference: ([x], [shape], attrs) => {
      const { outer, size, inner } = aroundAxis(shape, attrs.axis);
      const y = new Float64Array(numel(shape));
      for (let p = 0; p < outer; p++) {
        for (let l = 0; l < size; l++) {
          for (let q = 0; q < inner; q++) {
            let sum = 0;
            for (let k = 0; k < size; k++) if (included(k, l, attrs)) sum += x[(p * size + k) * inner + q];
            y[(p * size + l) * inner + q] = sum;
          }
        }
      }
      return y;
    },
    gpu: ([shape], { axis, exclusive, reverse }) => {
      const { outer, size, inner } = aroundAxis(shape, axis);
      // Walk the axis from the end the sum starts at, and stop at (or before) this element: a
      // literal bound with a break, since GPU.js caps loop bounds that are not constants.
      const k = reverse ? `${size - 1} - step` : 'step';
      const past = reverse ? (exclusive ? 'k <= o1' : 'k < o1') : exclusive ? 'k >= o1' : 'k > o1';
      const lines = [
        'const i = this.thread.x;',
        ...unravel('i', [outer, size, inner], 'o'),
        `const base = o0 * ${size * inner} + o2;`,
        'let sum = 0.0;',
        `for (let step = 0; step < ${size}; step++) {`,
        `  const k = ${k};`,
        `  if (${past}) {`,
        '    break;',
        '  }',
        `  sum += x[base + k * ${inner}];`,
        '}',
        'return sum;',
      ];
      return { source: kernelSource(['x'], lines) };
    },
    fast: cumsumFast,
    cases: cumsumCases,
  }),
};
