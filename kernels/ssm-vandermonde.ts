/**
 * Vandermonde kernels of diagonal state spaces (S4D, Gu et al. 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models"; state-spaces/s4 `models/s4/s4.py`,
 * `SSMKernelDiag` with its `vandermonde` backends):
 *
 *   vandermonde:        K[..., l] = 2·Re Σ_n c[..., n]·exp(z[..., n]·l),   l = 0 .. length − 1
 *   vandermondeAdjoint: out[..., n] = Σ_l g[..., l]·exp(z[..., n]·l)     (complex)
 *
 * The adjoint is the kernel the gradients need (src/autograd/vjp-ssm.ts). The GPU.js bodies take
 * their angles from ssm-phase.ts, exact to ~4e-7 rad for l up to 2^15; the CPU fast paths
 * (ssm-vandermonde-fast.ts) use a float64 recurrence.
 */
import { numel, ShapeError } from './shape.ts';
import { defineKernel, type KernelCase } from './types.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';
import { adjointLayout, rowOffsets, vandermondeLayout } from './ssm-layout.ts';
import { angleLines, digitWidth, turnDigitLines } from './ssm-phase.ts';
import { vandermondeAdjointFast, vandermondeFast } from './ssm-vandermonde-fast.ts';

/** Number of steps l = 0 .. length − 1 of the kernel. */
export interface VandermondeAttrs {
  length: number;
}

type NoAttrs = Record<string, never>;
const none: NoAttrs = {};

/** Nodes like S4D's dt·A (drawn for both parts: Re z < 0, Im z from −7e-4 to −42); phases b·l reach 7e5 rad at L = 16384. */
const decaying = { choices: [-0.0007, -0.003, -0.02, -0.9, -3.3, -41.7] } as const;
/** Mild growth or decay and rotation either way, for a short length. */
const short = { choices: [0.02, -0.4, 0.17, -1.9, -2.6, 0.1, -0.05] } as const;

// biome-ignore format: a case table, one case a line
const vandermondeCases: KernelCase<VandermondeAttrs>[] = [
  { shapes: [[1, 2], [1, 2]], attrs: { length: 1 } },
  { shapes: [[3, 2], [3, 2]], attrs: { length: 7 } },
  { shapes: [[2, 3, 2], [3, 2]], attrs: { length: 5 } },
  { shapes: [[2, 1, 4, 2], [3, 4, 2]], attrs: { length: 6 } },
  { shapes: [[2, 1, 5, 2], [1, 3, 5, 2]], attrs: { length: 4 } },
  { shapes: [[3, 2], [3, 2]], attrs: { length: 97 }, domains: ['real', short] },
  { shapes: [[4, 8, 2], [4, 8, 2]], attrs: { length: 1031 }, domains: ['real', decaying] },
  { shapes: [[2, 16, 2], [2, 16, 2]], attrs: { length: 4096 }, domains: ['real', decaying] },
  { shapes: [[32, 2], [32, 2]], attrs: { length: 16384 }, domains: ['real', decaying] },
  { shapes: [[2, 0, 2], [0, 2]], attrs: { length: 5 } },
  { shapes: [[0, 3, 2], [3, 2]], attrs: { length: 5 } },
];

/**
 * K = 2·Re Σ_n c_n·exp(z_n·l): c [..., N, 2] and z [..., N, 2] (complex; the leading axes
 * broadcast NumPy-style, the mode axes agree) → K [..., length].
 */
const vandermonde = defineKernel<VandermondeAttrs>({
  arity: 2,
  outShape(shapes, { length }) {
    if (!Number.isInteger(length) || length < 0) throw new ShapeError('vandermonde', shapes, `length ${length} must be a non-negative integer`);
    return [...vandermondeLayout('vandermonde', shapes).lead, length];
  },
  reference([c, z], shapes, { length }, outShape) {
    const { lead, modes, cStrides, zStrides } = vandermondeLayout('vandermonde', shapes);
    const [cRows, zRows] = [rowOffsets(lead, cStrides), rowOffsets(lead, zStrides)];
    const out = new Float64Array(numel(outShape));
    for (let row = 0; row < cRows.length; row++) {
      for (let l = 0; l < length; l++) {
        let acc = 0;
        for (let n = 0; n < modes; n++) {
          const [co, zo] = [cRows[row] + 2 * n, zRows[row] + 2 * n];
          const magnitude = Math.exp(z[zo] * l);
          acc += magnitude * (c[co] * Math.cos(z[zo + 1] * l) - c[co + 1] * Math.sin(z[zo + 1] * l));
        }
        out[row * length + l] = 2 * acc;
      }
    }
    return out;
  },
  gpu(shapes, { length }) {
    const { lead, modes, cStrides, zStrides } = vandermondeLayout('vandermonde', shapes);
    const r = indexNames('r', lead.length);
    return {
      source: kernelSource(
        ['c', 'z'],
        [
          `const row = Math.floor(this.thread.x / ${length});`,
          `const l = this.thread.x - row * ${length};`,
          ...unravel('row', lead, 'r'),
          `const cRow = ${dot(r, cStrides)};`,
          `const zRow = ${dot(r, zStrides)};`,
          'let acc = 0.0;',
          `for (let n = 0; n < ${modes}; n++) {`,
          ...[
            'const co = cRow + n * 2;',
            'const zo = zRow + n * 2;',
            'const b = z[zo + 1];',
            ...turnDigitLines('b', 'q', digitWidth(length)),
            ...angleLines('l', 'q'),
            'const magnitude = Math.exp(z[zo] * l);',
            'acc += magnitude * (c[co] * Math.cos(qAngle) - c[co + 1] * Math.sin(qAngle));',
          ].map((line) => `  ${line}`),
          '}',
          'return 2.0 * acc;',
        ],
      ),
    };
  },
  fast: vandermondeFast,
  cases: vandermondeCases,
});

/** Steps summed per float32 partial sum in the adjoint's GPU.js body: errors grow with ~BLOCK + L/BLOCK, not L. */
const BLOCK = 128;

/**
 * out[..., n] = Σ_l g[..., l]·exp(z[..., n]·l): g [..., L] (real) and z [..., N, 2] (complex;
 * g's leading axes broadcast against z's, whose mode axis is excluded) → [..., N, 2].
 */
const vandermondeAdjoint = defineKernel<NoAttrs>({
  arity: 2,
  outShape(shapes) {
    const { lead, modes } = adjointLayout('vandermondeAdjoint', shapes);
    return [...lead, modes, 2];
  },
  reference([g, z], shapes, _attrs, outShape) {
    const { lead, modes, steps, gStrides, zStrides } = adjointLayout('vandermondeAdjoint', shapes);
    const [gRows, zRows] = [rowOffsets(lead, gStrides), rowOffsets(lead, zStrides)];
    const out = new Float64Array(numel(outShape));
    for (let row = 0; row < gRows.length; row++) {
      for (let n = 0; n < modes; n++) {
        const zo = zRows[row] + 2 * n;
        let [re, im] = [0, 0];
        for (let l = 0; l < steps; l++) {
          const weight = g[gRows[row] + l] * Math.exp(z[zo] * l);
          re += weight * Math.cos(z[zo + 1] * l);
          im += weight * Math.sin(z[zo + 1] * l);
        }
        out[(row * modes + n) * 2] = re;
        out[(row * modes + n) * 2 + 1] = im;
      }
    }
    return out;
  },
  gpu(shapes) {
    const { lead, modes, steps, gStrides, zStrides } = adjointLayout('vandermondeAdjoint', shapes);
    const r = indexNames('r', lead.length);
    return {
      source: kernelSource(
        ['g', 'z'],
        [
          'const cell = Math.floor(this.thread.x / 2);',
          'const part = this.thread.x - cell * 2;',
          `const row = Math.floor(cell / ${modes});`,
          `const n = cell - row * ${modes};`,
          ...unravel('row', lead, 'r'),
          `const gRow = ${dot(r, gStrides)};`,
          `const zo = ${dot(r, zStrides)} + n * 2;`,
          'const a = z[zo];',
          'const b = z[zo + 1];',
          ...turnDigitLines('b', 'q', digitWidth(steps)),
          'let acc = 0.0;',
          `for (let block = 0; block < ${Math.ceil(steps / BLOCK)}; block++) {`,
          '  let partial = 0.0;',
          `  for (let j = 0; j < ${BLOCK}; j++) {`,
          `    const l = block * ${BLOCK} + j;`,
          `    if (l >= ${steps}) {`,
          '      break;',
          '    }',
          ...angleLines('l', 'q').map((line) => `    ${line}`),
          // a cell is the real or the imaginary part: one transcendental per term
          `    const wave = part === 0 ? Math.cos(qAngle) : Math.sin(qAngle);`,
          '    partial += g[gRow + l] * Math.exp(a * l) * wave;',
          '  }',
          '  acc += partial;',
          '}',
          'return acc;',
        ],
      ),
    };
  },
  fast: vandermondeAdjointFast,
  // biome-ignore format: a case table, one case a line
  cases: [
    { shapes: [[1], [1, 2]], attrs: none },
    { shapes: [[7], [3, 2]], attrs: none },
    { shapes: [[2, 5], [2, 4, 2]], attrs: none },
    { shapes: [[2, 1, 6], [3, 2, 2]], attrs: none },
    { shapes: [[3, 97], [3, 2]], attrs: none, domains: ['real', short] },
    { shapes: [[3, 1031], [3, 8, 2]], attrs: none, domains: ['real', decaying] },
    { shapes: [[2, 300], [2100, 2]], attrs: none, domains: ['real', decaying] },
    { shapes: [[2, 4096], [2, 16, 2]], attrs: none, domains: ['real', decaying] },
    { shapes: [[16384], [32, 2]], attrs: none, domains: ['real', decaying] },
    { shapes: [[2, 0], [3, 2]], attrs: none },
    { shapes: [[4], [0, 2]], attrs: none },
  ],
});

export const vandermondeKernels = { vandermonde, vandermondeAdjoint };
