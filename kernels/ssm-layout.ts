/**
 * Shapes of the state-space kernels (ssm-vandermonde.ts, ssm-cauchy.ts). Complex tensors use the
 * pair layout of complex.ts ([..., 2] holding re, im). Each input has one axis the kernel sums
 * over or produces (modes n, poles m, points k, steps l) after leading axes that broadcast
 * NumPy-style between the inputs; an output "row" is one multi-index of the broadcast leading axes.
 */
import { broadcastShapes, broadcastStrides, formatShape, numel, ShapeError, type Shape } from './shape.ts';

/** Throws unless input `index` ends in [..., n ≥ 0, 2] (a complex vector per leading index). */
function checkComplexVectors(op: string, shapes: readonly Shape[], index: number, name: string): void {
  const s = shapes[index];
  if (s.length < 2 || s[s.length - 1] !== 2) {
    throw new ShapeError(op, shapes, `${name} has shape ${formatShape(s)}; it must be complex [..., n, 2] (re, im)`);
  }
}

/** Broadcast of leading shapes, rethrown under the op's name with the inputs' shapes. */
function broadcastLeading(op: string, shapes: readonly Shape[], leads: readonly Shape[], what: string): Shape {
  try {
    return broadcastShapes(op, leads);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ShapeError(op, shapes, `${what} do not broadcast: ${error.detail}`);
  }
}

/** Element offsets of an input's rows when its leading shape is broadcast to `lead` (rowSize elements per row). */
const rowStrides = (own: Shape, lead: Shape, rowSize: number): number[] => broadcastStrides(own, lead).map((s) => s * rowSize);

/**
 * Vandermonde: c [...cl, N, 2] and z [...zl, N, 2]; cl and zl broadcast to `lead`. The mode axes
 * must agree (a broadcast mode axis would make the gradient of the shared side a sum the rule
 * cannot undo). Strides are in elements; modes are 2 elements apart.
 */
export interface VandermondeLayout {
  lead: Shape;
  modes: number;
  cStrides: number[];
  zStrides: number[];
}

export function vandermondeLayout(op: string, shapes: readonly Shape[]): VandermondeLayout {
  checkComplexVectors(op, shapes, 0, 'c');
  checkComplexVectors(op, shapes, 1, 'z');
  const [c, z] = shapes;
  const modes = c[c.length - 2];
  if (z[z.length - 2] !== modes) throw new ShapeError(op, shapes, `c has ${modes} modes but z has ${z[z.length - 2]}`);
  const leads = shapes.map((s) => s.slice(0, -2));
  const lead = broadcastLeading(op, shapes, leads, 'the leading axes of c and z');
  return { lead, modes, cStrides: rowStrides(leads[0], lead, 2 * modes), zStrides: rowStrides(leads[1], lead, 2 * modes) };
}

/**
 * Vandermonde adjoint: g [...gl, L] and z [...zl, N, 2]; gl broadcasts against zl to `lead`.
 * Output rows are [...lead] with N complex values each.
 */
export interface AdjointLayout {
  lead: Shape;
  modes: number;
  steps: number;
  gStrides: number[];
  zStrides: number[];
}

export function adjointLayout(op: string, shapes: readonly Shape[]): AdjointLayout {
  const [g, z] = shapes;
  if (g.length < 1) throw new ShapeError(op, shapes, 'g needs a step axis (the last)');
  checkComplexVectors(op, shapes, 1, 'z');
  const gl = g.slice(0, -1);
  const zl = z.slice(0, -2);
  const lead = broadcastLeading(op, shapes, [gl, zl], "the leading axes of g and z (z's mode axis excluded)");
  const steps = g[g.length - 1];
  const modes = z[z.length - 2];
  return { lead, modes, steps, gStrides: rowStrides(gl, lead, steps), zStrides: rowStrides(zl, lead, 2 * modes) };
}

/**
 * Cauchy: values a [...al, M, 2], poles p [...pl, M, 2], points x [...xl, P, 2]; al, pl and xl
 * broadcast to `lead`. Strides are in elements; poles and points are 2 elements apart.
 */
export interface CauchyLayout {
  lead: Shape;
  poles: number;
  points: number;
  aStrides: number[];
  pStrides: number[];
  xStrides: number[];
}

export function cauchyLayout(op: string, shapes: readonly Shape[]): CauchyLayout {
  ['values', 'poles', 'points'].forEach((name, i) => checkComplexVectors(op, shapes, i, name));
  const [a, p, x] = shapes;
  const poles = p[p.length - 2];
  if (a[a.length - 2] !== poles) throw new ShapeError(op, shapes, `there are ${a[a.length - 2]} values for ${poles} poles`);
  const points = x[x.length - 2];
  const leads = shapes.map((s) => s.slice(0, -2));
  const lead = broadcastLeading(op, shapes, leads, 'the leading axes of values, poles and points');
  return {
    lead,
    poles,
    points,
    aStrides: rowStrides(leads[0], lead, 2 * poles),
    pStrides: rowStrides(leads[1], lead, 2 * poles),
    xStrides: rowStrides(leads[2], lead, 2 * points),
  };
}

/** The flat element offset of every row of `lead` under the given strides, in row order. */
export function rowOffsets(lead: Shape, strides: readonly number[]): Int32Array {
  const rows = numel(lead);
  const out = new Int32Array(rows);
  const index = new Array<number>(lead.length).fill(0);
  let offset = 0;
  for (let row = 0; row < rows; row++) {
    out[row] = offset;
    for (let axis = lead.length - 1; axis >= 0; axis--) {
      offset += strides[axis];
      if (++index[axis] < lead[axis]) break;
      offset -= strides[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return out;
}
