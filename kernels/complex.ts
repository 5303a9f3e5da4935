/**
 * Complex arithmetic on (re, im) pairs: a complex tensor of shape [...] is stored as a real
 * tensor [..., 2]. Sums over complex axes need no kernel of their own: the real `sum` over the
 * leading axes of the pair layout is the complex sum.
 */
import { broadcastShapes, broadcastStrides, formatShape, numel, ShapeError, type Shape } from './shape.ts';
import { defineKernel, type KernelCase, type KernelSpec, type NumericArray } from './types.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';

type NoAttrs = Record<string, never>;
const none: NoAttrs = {};

/** Throws unless every input ends in a (re, im) axis of size 2. */
function checkPairs(op: string, shapes: readonly Shape[]): void {
  shapes.forEach((s, i) => {
    if (s.length < 1 || s[s.length - 1] !== 2) {
      throw new ShapeError(op, shapes, `input ${i} has shape ${formatShape(s)}; complex tensors end in an axis of size 2 (re, im)`);
    }
  });
}

/** The complex shape (pair axis dropped) of a pair-layout shape. */
const complexShape = (s: Shape): Shape => s.slice(0, -1);

// ---------------------------------------------------------------------------------------------
// Binary: multiply and divide, broadcasting over the complex shape

interface BinaryComplex {
  /** GPU.js expressions of the real and the imaginary part from ar, ai, br, bi (after `lines`). */
  lines: string[];
  re: string;
  im: string;
  ref(ar: number, ai: number, br: number, bi: number): [number, number];
}

function binaryComplexKernel(op: string, body: BinaryComplex, cases: KernelCase<NoAttrs>[]): KernelSpec<NoAttrs> {
  const outComplex = (shapes: readonly Shape[]): Shape => {
    checkPairs(op, shapes);
    try {
      return broadcastShapes(op, shapes.map(complexShape));
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      throw new ShapeError(op, shapes, `complex shapes do not broadcast: ${error.detail}`);
    }
  };
  return defineKernel<NoAttrs>({
    arity: 2,
    outShape: (shapes) => [...outComplex(shapes), 2],
    reference([a, b], shapes, _attrs, outShape) {
      const shape = complexShape(outShape);
      const [sa, sb] = shapes.map((s) => broadcastStrides(complexShape(s), shape));
      const out = new Float64Array(numel(outShape));
      const index = new Array<number>(shape.length).fill(0);
      for (let cell = 0; cell < numel(shape); cell++) {
        // pair offsets: complex strides are in pairs, so twice the element offset
        const oa = 2 * index.reduce((acc, v, axis) => acc + v * sa[axis], 0);
        const ob = 2 * index.reduce((acc, v, axis) => acc + v * sb[axis], 0);
        [out[2 * cell], out[2 * cell + 1]] = body.ref(a[oa], a[oa + 1], b[ob], b[ob + 1]);
        for (let axis = shape.length - 1; axis >= 0; axis--) {
          if (++index[axis] < shape[axis]) break;
          index[axis] = 0;
        }
      }
      return out;
    },
    gpu(shapes, _attrs, outShape) {
      const shape = complexShape(outShape);
      const idx = indexNames('o', shape.length);
      const [sa, sb] = shapes.map((s) => broadcastStrides(complexShape(s), shape).map((stride) => 2 * stride));
      return {
        source: kernelSource(
          ['a', 'b'],
          [
            'const cell = Math.floor(this.thread.x / 2);',
            'const part = this.thread.x - cell * 2;',
            ...unravel('cell', shape, 'o'),
            `const pa = ${dot(idx, sa)};`,
            `const pb = ${dot(idx, sb)};`,
            'const ar = a[pa];',
            'const ai = a[pa + 1];',
            'const br = b[pb];',
            'const bi = b[pb + 1];',
            ...body.lines,
            `return part === 0 ? ${body.re} : ${body.im};`,
          ],
        ),
      };
    },
    cases,
  });
}

const binaryShapes: Shape[][] = [
  [[1, 2], [1, 2]],
  [[7, 2], [7, 2]],
  [[3, 1, 2], [1, 4, 2]],
  [[2, 3, 2], [2]],
  [[1031, 2], [1031, 2]],
  [[2100, 2], [1, 2]],
  [[0, 2], [2]],
];

/** (ar + i·ai)(br + i·bi) = (ar·br − ai·bi) + i·(ar·bi + ai·br), broadcasting over the complex shape. */
const complexMul = binaryComplexKernel(
  'complexMul',
  { lines: [], re: 'ar * br - ai * bi', im: 'ar * bi + ai * br', ref: (ar, ai, br, bi) => [ar * br - ai * bi, ar * bi + ai * br] },
  binaryShapes.map((shapes) => ({ shapes, attrs: none })),
);

/**
 * (ar + i·ai) / (br + i·bi) = ((ar·br + ai·bi) + i·(ai·br − ar·bi)) / (br² + bi²).
 * The kernel uses Smith's algorithm (1962): dividing through by the larger of |br|, |bi| first
 * keeps br² + bi² from overflowing float32 when |b| > 1.8e19 (or underflowing when tiny).
 */
const complexDiv = binaryComplexKernel(
  'complexDiv',
  {
    lines: [
      'const wide = Math.abs(br) >= Math.abs(bi);',
      'const ratio = wide ? bi / br : br / bi;',
      'const scale = wide ? br + bi * ratio : bi + br * ratio;',
    ],
    re: '(wide ? ar + ai * ratio : ar * ratio + ai) / scale',
    im: '(wide ? ai - ar * ratio : ai * ratio - ar) / scale',
    ref(ar, ai, br, bi) {
      const d = br * br + bi * bi;
      return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d];
    },
  },
  [
    ...binaryShapes.map((shapes) => ({ shapes, attrs: none, domains: ['real' as const, 'positive' as const] })),
    // divisors with either part the larger, and of either sign
    { shapes: [[64, 2], [64, 2]], attrs: none, domains: ['real', { choices: [-3, -0.5, 0.25, 2] }] },
    // a·b and |b|² overflow float32 here: only the scaled division stays finite
    { shapes: [[5, 2], [5, 2]], attrs: none, domains: [{ choices: [-2e20, 1e20, 5e19] }, { choices: [-3e20, 1e20, 4e19] }] },
  ],
);

// ---------------------------------------------------------------------------------------------
// Unary: exp and abs

const unaryShapes: Shape[] = [[2], [1, 2], [7, 2], [2, 3, 2], [1031, 2], [2100, 2], [0, 2]];

function unaryComplexKernel(
  op: string,
  pairOut: boolean,
  lines: string[],
  value: string,
  ref: (re: number, im: number) => number[],
  extraCases: KernelCase<NoAttrs>[] = [],
): KernelSpec<NoAttrs> {
  return defineKernel<NoAttrs>({
    arity: 1,
    outShape(shapes) {
      checkPairs(op, shapes);
      return pairOut ? shapes[0] : complexShape(shapes[0]);
    },
    reference([z]: readonly NumericArray[]) {
      const width = pairOut ? 2 : 1;
      const out = new Float64Array((z.length / 2) * width);
      for (let c = 0; c < z.length / 2; c++) out.set(ref(z[2 * c], z[2 * c + 1]), c * width);
      return out;
    },
    gpu: () => ({ source: kernelSource(['z'], [...lines, `return ${value};`]) }),
    cases: [...unaryShapes.map((s) => ({ shapes: [s], attrs: none })), ...extraCases],
  });
}

/** exp(a + i·b) = e^a·(cos b + i·sin b), elementwise on [..., 2]. */
const complexExp = unaryComplexKernel(
  'complexExp',
  true,
  [
    'const cell = Math.floor(this.thread.x / 2);',
    'const part = this.thread.x - cell * 2;',
    'const re = z[cell * 2];',
    'const im = z[cell * 2 + 1];',
  ],
  'Math.exp(re) * (part === 0 ? Math.cos(im) : Math.sin(im))',
  (re, im) => [Math.exp(re) * Math.cos(im), Math.exp(re) * Math.sin(im)],
);

/**
 * |a + i·b| = √(a² + b²): [..., 2] → [...]. GPU.js has no Math.hypot, so the kernel scales by
 * max(|a|, |b|) first, which keeps the squares finite in float32 for |z| up to 3.4e38.
 */
const complexAbs = unaryComplexKernel(
  'complexAbs',
  false,
  [
    'const re = Math.abs(z[this.thread.x * 2]);',
    'const im = Math.abs(z[this.thread.x * 2 + 1]);',
    'const big = Math.max(re, im);',
    'const small = Math.min(re, im);',
    'const q = big > 0.0 ? small / big : 0.0;',
  ],
  'big * Math.sqrt(1.0 + q * q)',
  (re, im) => [Math.hypot(re, im)],
  // a² + b² overflows float32 here; zeros check the 0 / 0 guard
  [{ shapes: [[6, 2]], attrs: none, domains: [{ choices: [-3e20, 1e20, 0, 2] }] }],
);

export const complexKernels = { complexMul, complexDiv, complexExp, complexAbs };
