/**
 * Shapes, strides and the shape errors every op throws at the line that built it.
 * Row-major (C order) throughout: the last axis is contiguous.
 */

/** A tensor shape; `[]` is a scalar. */
export type Shape = readonly number[];

/** A shape error names the op and the shapes involved, so the message points at the model line. */
export class ShapeError extends Error {
  constructor(
    readonly op: string,
    readonly shapes: readonly Shape[],
    readonly detail: string,
  ) {
    super(`${op}: ${detail} (shapes ${shapes.map(formatShape).join(', ')})`);
    this.name = 'ShapeError';
  }

  /** The same error under the name of the op the user called (kernels share shape helpers). */
  renamed(op: string): ShapeError {
    return op === this.op ? this : new ShapeError(op, this.shapes, this.detail);
  }
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks that a shape is a list of non-negative integers. */
export function assertValidShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(op, [shape], `dimension ${d} is not a non-negative integer`);
  }
}

/** NumPy broadcasting of any number of shapes: right-aligned, each dim equal or 1. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): Shape {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const offset = rank - shape.length;
    shape.forEach((d, i) => {
      const current = out[offset + i];
      if (current === 1) out[offset + i] = d;
      else if (d !== 1 && d !== current) {
        throw new ShapeError(op, shapes, `cannot broadcast dimension ${d} against ${current} at axis ${offset + i - rank}`);
      }
    });
  }
  return out;
}

/**
 * Strides with which `shape` is read when broadcast to `target`: 0 on broadcast axes.
 * The result has `target.length` entries.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  return target.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j];
  });
}

/** Resolves a possibly negative axis against a rank. */
export function normalizeAxis(op: string, axis: number, rank: number, shapes: readonly Shape[] = []): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) throw new ShapeError(op, shapes, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Resolves axes (all axes when undefined) to a sorted list without duplicates. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number, shapes: readonly Shape[] = []): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const resolved = list.map((a) => normalizeAxis(op, a, rank, shapes)).sort((x, y) => x - y);
  for (let i = 1; i < resolved.length; i++) {
    if (resolved[i] === resolved[i - 1]) throw new ShapeError(op, shapes, `axis ${resolved[i]} is repeated`);
  }
  return resolved;
}
