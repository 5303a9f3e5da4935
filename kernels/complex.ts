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
  [
    [1, 2],
    [1, 2],
  ],
  [
    [7, 2],
    [7, 2],
  ],
  [
    [3, 1, 2],
    [1, 4, 2],
  ],
  [[2, 3, 2], [2]],
  [
    [1031, 2],
    [1031, 2],
  ],
  [
    [2100, 2],
    [1, 2],
  ],
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
    lines: ['const wide = Math.abs(br) >= Math.abs(bi);', 'const ratio = wide ? bi / br : br / bi;', 'const scale = wide ? br + bi * ratio : bi + br * ratio;'],
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
    {
      shapes: [
        [64, 2],
        [64, 2],
      ],
      attrs: none,
      domains: ['real', { choices: [-3, -0.5, 0.25, 2] }],
    },
    // a·b and |b|² overflow float32 here: only the scaled division stays finite
    {
      shapes: [
        [5, 2],
        [5, 2],
      ],
      attrs: none,
      domains: [{ choices: [-2e20, 1e20, 5e19] }, { choices: [-3e20, 1e20, 4e19] }],
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Unary: exp and abs (and, below, log, log1p, expm1)

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
  ['const cell = Math.floor(this.thread.x / 2);', 'const part = this.thread.x - cell * 2;', 'const re = z[cell * 2];', 'const im = z[cell * 2 + 1];'],
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

// ---------------------------------------------------------------------------------------------
// Logarithms and exp − 1, for discretising state spaces (S4D's bilinear log dA, ZOH's exp(dtA) − 1)

/** Lines reading the pair of element `cell` into wr, wi, and `part` (0: real, 1: imaginary output). */
const pairLines = [
  'const cell = Math.floor(this.thread.x / 2);',
  'const part = this.thread.x - cell * 2;',
  'const wr = z[cell * 2];',
  'const wi = z[cell * 2 + 1];',
];

/** Lines declaring `${name}` = log|${re} + i·${im}|, scaled by the larger part so that no square overflows. */
const logAbsLines = (name: string, re: string, im: string): string[] => [
  `const ${name}Big = Math.max(Math.abs(${re}), Math.abs(${im}));`,
  `const ${name}Q = ${name}Big > 0.0 ? Math.min(Math.abs(${re}), Math.abs(${im})) / ${name}Big : 0.0;`,
  `const ${name} = Math.log(${name}Big) + 0.5 * Math.log(1.0 + ${name}Q * ${name}Q);`,
];

/** The principal logarithm log z = log|z| + i·atan2(Im z, Re z) ∈ (−π, π], elementwise on [..., 2]. */
const complexLog = unaryComplexKernel(
  'complexLog',
  true,
  [...pairLines, ...logAbsLines('logAbs', 'wr', 'wi')],
  'part === 0 ? logAbs : Math.atan2(wi, wr)',
  (re, im) => [Math.log(Math.hypot(re, im)), Math.atan2(im, re)],
  [{ shapes: [[6, 2]], attrs: none, domains: [{ choices: [-3e20, 1e20, 2, -0.5] }], gradCheck: false }],
);

/**
 * log(1 + w), elementwise on [..., 2]. For small w, |1 + w|² − 1 = wr(2 + wr) + wi² goes through
 * log1p (Kahan's form log(u)·t/(u − 1), u = 1 + t, exact-enough in float32 without Math.log1p),
 * so the digits of a tiny w survive: log(1 + dtA/2) of S4's bilinear transform at dt = 1e-3.
 */
const complexLog1p = unaryComplexKernel(
  'complexLog1p',
  true,
  [
    ...pairLines,
    'const t = wr * (2.0 + wr) + wi * wi;',
    'const u = 1.0 + t;',
    'const log1pT = u === 1.0 ? t : (Math.log(u) * t) / (u - 1.0);',
    'const ur = 1.0 + wr;',
    ...logAbsLines('logAbs', 'ur', 'wi'),
  ],
  'part === 0 ? (Math.abs(wr) + Math.abs(wi) < 0.5 ? 0.5 * log1pT : logAbs) : Math.atan2(wi, ur)',
  (re, im) => [0.5 * Math.log1p(re * (2 + re) + im * im), Math.atan2(im, 1 + re)],
  [{ shapes: [[40, 2]], attrs: none, domains: [{ choices: [1e-4, -3e-5, 2e-7, 0.2, -0.45, 2.5, -7] }], gradCheck: false }],
);

/**
 * exp(z) − 1 = (expm1(a)·cos b − 2 sin²(b/2)) + i·e^a sin b for z = a + ib, elementwise on [..., 2]:
 * no cancellation for small z (S4D's ZOH factor (exp(dtA) − 1)/A at dt = 1e-3). expm1 is
 * Kahan's (u − 1)·a/log u, u = e^a, for |a| < 0.5.
 */
const complexExpm1 = unaryComplexKernel(
  'complexExpm1',
  true,
  [
    ...pairLines,
    'const u = Math.exp(wr);',
    'const expm1 = Math.abs(wr) < 0.5 ? (u === 1.0 ? wr : ((u - 1.0) * wr) / Math.log(u)) : u - 1.0;',
    'const half = Math.sin(0.5 * wi);',
  ],
  'part === 0 ? expm1 * Math.cos(wi) - 2.0 * half * half : u * Math.sin(wi)',
  (re, im) => [Math.expm1(re) * Math.cos(im) - 2 * Math.sin(im / 2) ** 2, Math.exp(re) * Math.sin(im)],
  [{ shapes: [[40, 2]], attrs: none, domains: [{ choices: [1e-4, -3e-5, 2e-7, 0.2, -0.45, 2.5, -7] }], gradCheck: false }],
);

export const complexKernels = { complexMul, complexDiv, complexExp, complexAbs, complexLog, complexLog1p, complexExpm1 };
