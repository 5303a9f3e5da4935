/**
 * The Cauchy kernel of DPLR state spaces (S4, Gu et al. 2022, "Efficiently Modeling Long
 * Sequences with Structured State Spaces"; state-spaces/s4 `models/s4/s4.py`, `SSMKernelDPLR`
 * and its `cauchy_naive` / `cauchy` backends):
 *
 *   out[..., k] = Σ_m a[..., m] / (x[..., k] − p[..., m])^power,   power 1 or 2
 *
 * values a [..., M, 2], poles p [..., M, 2], points x [..., P, 2] → [..., P, 2], complex, with
 * the leading axes broadcasting NumPy-style. Power 2 is the derivative kernel the power-1 gradient needs.
 * Reciprocals use Smith's scaling, so |x − p|² never overflows float32 (the Nyquist point of
 * the bilinear transform sits near 3e16).
 */
import { numel, ShapeError } from './shape.ts';
import { defineKernel, type FastPathCall, type KernelCase } from './types.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';
import { cauchyLayout, rowOffsets } from './ssm-layout.ts';

export interface CauchyAttrs {
  power: 1 | 2;
}

/** The layout, after checking the attribute. */
function layoutOf(shapes: Parameters<typeof cauchyLayout>[1], { power }: CauchyAttrs): ReturnType<typeof cauchyLayout> {
  if (power !== 1 && power !== 2) throw new ShapeError('cauchy', shapes, `power ${String(power)} must be 1 or 2`);
  return cauchyLayout('cauchy', shapes);
}

/** 1/(dr + i·di) in float64 (the reference's division). */
function reciprocal(dr: number, di: number): [number, number] {
  const d = dr * dr + di * di;
  return [dr / d, -di / d];
}

/** Output rows grouped by the (poles, points) rows they read: e.g. the value rows of one S4 channel. */
function groupRows(pRows: Int32Array, xRows: Int32Array): number[][] {
  const groups = new Map<string, number[]>();
  for (let row = 0; row < pRows.length; row++) {
    const key = `${pRows[row]},${xRows[row]}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

/**
 * The fast path: float64 sums; each reciprocal 1/(x_k − p_m)^power is computed once and applied
 * to up to four value rows of its group at a time, accumulated in registers.
 */
function cauchyFast({ inputs: [a, p, x], shapes, attrs: { power }, out }: FastPathCall<CauchyAttrs>): boolean {
  const { lead, poles, points, aStrides, pStrides, xStrides } = cauchyLayout('cauchy', shapes);
  const [aRows, pRows, xRows] = [rowOffsets(lead, aStrides), rowOffsets(lead, pStrides), rowOffsets(lead, xStrides)];
  for (const rows of groupRows(pRows, xRows)) {
    for (let first = 0; first < rows.length; first += 4) {
      // up to four rows at a time; absent lanes repeat the last row and their sums are not written
      const lane = (j: number): number => rows[Math.min(first + j, rows.length - 1)];
      const sums = new Float64Array(8);
      const pRow = pRows[rows[0]];
      const xRow = xRows[rows[0]];
      const [b0, b1, b2, b3] = [aRows[lane(0)], aRows[lane(1)], aRows[lane(2)], aRows[lane(3)]];
      for (let k = 0; k < points; k++) {
        sumPoles(sums, a, b0, b1, b2, b3, p, pRow, x[xRow + 2 * k], x[xRow + 2 * k + 1], poles, power);
        for (let j = 0; j < Math.min(4, rows.length - first); j++) {
          out[(rows[first + j] * points + k) * 2] = sums[2 * j];
          out[(rows[first + j] * points + k) * 2 + 1] = sums[2 * j + 1];
        }
      }
    }
  }
  return true;
}

/** sums[j] = Σ_m a[b_j + 2m] / (x − p_m)^power for four value rows at offsets b0..b3. */
function sumPoles(
  sums: Float64Array,
  a: Float32Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  p: Float32Array,
  pRow: number,
  xr: number,
  xi: number,
  poles: number,
  power: 1 | 2,
): void {
  // plain locals: a destructured array literal here is allocated on every call
  let s0r = 0;
  let s0i = 0;
  let s1r = 0;
  let s1i = 0;
  let s2r = 0;
  let s2i = 0;
  let s3r = 0;
  let s3i = 0;
  for (let m = 0; m < poles; m++) {
    const dr = xr - p[pRow + 2 * m];
    const di = xi - p[pRow + 2 * m + 1];
    const inverse = 1 / (dr * dr + di * di);
    const ur = dr * inverse;
    const ui = -di * inverse;
    const vr = power === 2 ? ur * ur - ui * ui : ur;
    const vi = power === 2 ? 2 * ur * ui : ui;
    const o = 2 * m;
    s0r += a[b0 + o] * vr - a[b0 + o + 1] * vi;
    s0i += a[b0 + o] * vi + a[b0 + o + 1] * vr;
    s1r += a[b1 + o] * vr - a[b1 + o + 1] * vi;
    s1i += a[b1 + o] * vi + a[b1 + o + 1] * vr;
    s2r += a[b2 + o] * vr - a[b2 + o + 1] * vi;
    s2i += a[b2 + o] * vi + a[b2 + o + 1] * vr;
    s3r += a[b3 + o] * vr - a[b3 + o + 1] * vi;
    s3i += a[b3 + o] * vi + a[b3 + o + 1] * vr;
  }
  sums[0] = s0r;
  sums[1] = s0i;
  sums[2] = s1r;
  sums[3] = s1i;
  sums[4] = s2r;
  sums[5] = s2i;
  sums[6] = s3r;
  sums[7] = s3i;
}

const cauchy = defineKernel<CauchyAttrs>({
  arity: 3,
  outShape(shapes, attrs) {
    const { lead, points } = layoutOf(shapes, attrs);
    return [...lead, points, 2];
  },
  reference([a, p, x], shapes, { power }, outShape) {
    const { lead, poles, points, aStrides, pStrides, xStrides } = layoutOf(shapes, { power });
    const [aRows, pRows, xRows] = [rowOffsets(lead, aStrides), rowOffsets(lead, pStrides), rowOffsets(lead, xStrides)];
    const out = new Float64Array(numel(outShape));
    for (let row = 0; row < aRows.length; row++) {
      for (let k = 0; k < points; k++) {
        let [re, im] = [0, 0];
        for (let m = 0; m < poles; m++) {
          const [ao, po, xo] = [aRows[row] + 2 * m, pRows[row] + 2 * m, xRows[row] + 2 * k];
          let [dr, di] = [x[xo] - p[po], x[xo + 1] - p[po + 1]];
          if (power === 2) [dr, di] = [dr * dr - di * di, 2 * dr * di];
          const [vr, vi] = reciprocal(dr, di);
          re += a[ao] * vr - a[ao + 1] * vi;
          im += a[ao] * vi + a[ao + 1] * vr;
        }
        out[(row * points + k) * 2] = re;
        out[(row * points + k) * 2 + 1] = im;
      }
    }
    return out;
  },
  gpu(shapes, attrs) {
    const { lead, poles, points, aStrides, pStrides, xStrides } = layoutOf(shapes, attrs);
    const r = indexNames('r', lead.length);
    return {
      source: kernelSource(
        ['a', 'p', 'x'],
        [
          'const cell = Math.floor(this.thread.x / 2);',
          'const part = this.thread.x - cell * 2;',
          `const row = Math.floor(cell / ${points});`,
          `const k = cell - row * ${points};`,
          ...unravel('row', lead, 'r'),
          `const aRow = ${dot(r, aStrides)};`,
          `const pRow = ${dot(r, pStrides)};`,
          `const xo = ${dot(r, xStrides)} + k * 2;`,
          'const xr = x[xo];',
          'const xi = x[xo + 1];',
          'let acc = 0.0;',
          `for (let m = 0; m < ${poles}; m++) {`,
          ...[
            'const po = pRow + m * 2;',
            'const ao = aRow + m * 2;',
            'const dr = xr - p[po];',
            'const di = xi - p[po + 1];',
            // Smith: divide through by the larger part, so no square of |x − p| is ever formed
            'const wide = Math.abs(dr) >= Math.abs(di);',
            'const ratio = wide ? di / dr : dr / di;',
            'const scale = wide ? dr + di * ratio : di + dr * ratio;',
            'const r1 = wide ? 1.0 / scale : ratio / scale;',
            'const i1 = wide ? -ratio / scale : -1.0 / scale;',
            ...(attrs.power === 2 ? ['const vr = r1 * r1 - i1 * i1;', 'const vi = 2.0 * r1 * i1;'] : ['const vr = r1;', 'const vi = i1;']),
            'acc += part === 0 ? a[ao] * vr - a[ao + 1] * vi : a[ao] * vi + a[ao + 1] * vr;',
          ].map((line) => `  ${line}`),
          '}',
          'return acc;',
        ],
      ),
    };
  },
  fast: cauchyFast,
  cases: cauchyCases(),
});

function cauchyCases(): KernelCase<CauchyAttrs>[] {
  // poles left of the imaginary axis and points right of it: |x − p| ≥ 1, as for S4's poles and nodes
  const poles = { choices: [-0.5, -1.5, -3] } as const;
  const domains: KernelCase<CauchyAttrs>['domains'] = ['real', poles, 'positive'];
  return [
    {
      shapes: [
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      attrs: { power: 1 },
      domains,
    },
    {
      shapes: [
        [3, 2],
        [3, 2],
        [4, 2],
      ],
      attrs: { power: 1 },
      domains,
    },
    {
      shapes: [
        [3, 2],
        [3, 2],
        [4, 2],
      ],
      attrs: { power: 2 },
      domains,
      gradCheck: false,
    },
    {
      shapes: [
        [2, 1, 3, 2],
        [4, 3, 2],
        [5, 2],
      ],
      attrs: { power: 1 },
      domains,
    },
    {
      shapes: [
        [2, 3, 4, 2],
        [3, 4, 2],
        [1, 2, 2],
      ],
      attrs: { power: 1 },
      domains,
    },
    {
      shapes: [
        [2, 64, 2],
        [64, 2],
        [1031, 2],
      ],
      attrs: { power: 1 },
      domains,
    },
    {
      shapes: [
        [3, 40, 2],
        [3, 40, 2],
        [3, 1500, 2],
      ],
      attrs: { power: 2 },
      domains,
    },
    // the Nyquist node of the bilinear transform: 2(1 − ω)/(1 + ω) at ω ≈ −1
    {
      shapes: [
        [4, 2],
        [4, 2],
        [2, 2],
      ],
      attrs: { power: 2 },
      domains: ['real', poles, { choices: [3.3e16, -1.6e16] }],
      gradCheck: false,
    },
    {
      shapes: [
        [2, 0, 2],
        [0, 2],
        [3, 2],
      ],
      attrs: { power: 1 },
    },
    {
      shapes: [
        [2, 2],
        [2, 2],
        [0, 2],
      ],
      attrs: { power: 1 },
    },
  ];
}

export const cauchyKernels = { cauchy };
