/**
 * Helpers that write GPU.js kernel sources. Shapes and strides are baked in as literals: one
 * compiled kernel per shape signature, loop bounds known at compile time, no index arrays.
 *
 * GPU.js computes in float32, where integers are exact below 2^24; every index expression here
 * stays below the tensor's element count, and the engine refuses GPU.js outputs of 2^24 cells
 * or more (see executor). Integer division is written `Math.floor(i / d)`, which is exact in
 * float32 for i < 2^24 because the fraction of i/d is at least 1/d away from the next integer.
 */
import { stridesOf, type Shape } from './shape.ts';

/** Declares `${prefix}0..${prefix}{r-1}`: the multi-index of flat index `flat` in `shape`. */
export function unravel(flat: string, shape: Shape, prefix: string): string[] {
  const strides = stridesOf(shape);
  const lines: string[] = [];
  let rest = flat;
  shape.forEach((_, axis) => {
    const name = `${prefix}${axis}`;
    if (axis === shape.length - 1) {
      lines.push(`const ${name} = ${rest};`);
    } else {
      lines.push(`const ${name} = Math.floor(${rest} / ${strides[axis]});`);
      const next = `${prefix}r${axis}`;
      lines.push(`const ${next} = ${rest} - ${name} * ${strides[axis]};`);
      rest = next;
    }
  });
  return lines;
}

/** `i0 * s0 + i1 * s1 + ...` over the axes with a non-zero stride; `0` when none. */
export function dot(indices: readonly string[], strides: readonly number[]): string {
  const terms = indices.flatMap((index, axis) => {
    const s = strides[axis];
    if (s === 0) return [];
    return [s === 1 ? index : `${index} * ${s}`];
  });
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/** Names of a multi-index: `[p0, p1, ...]`. */
export function indexNames(prefix: string, rank: number): string[] {
  return Array.from({ length: rank }, (_, i) => `${prefix}${i}`);
}

/** Wraps body lines into a GPU.js kernel function over the named inputs. */
export function kernelSource(inputs: readonly string[], lines: readonly string[]): string {
  return `function (${inputs.join(', ')}) {\n  ${lines.join('\n  ')}\n}`;
}

/**
 * A float literal GPU.js parses as a Number (not an Integer): keeps GLSL backends type-correct.
 * Infinities have no literal; an overflowing product yields them in float32.
 */
export function float(value: number): string {
  if (value === Infinity) return '(3.4e38 * 10.0)';
  if (value === -Infinity) return '(-3.4e38 * 10.0)';
  if (Number.isNaN(value)) return '(0.0 / 0.0)';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
