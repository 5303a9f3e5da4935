/**
 * Elementwise ops with NumPy broadcasting. Numbers are accepted wherever a tensor is and become
 * scalar constants.
 */
import { apply } from '../engine/apply.ts';
import type { Tensor, TensorLike } from '../tensor.ts';
import { asTensor } from './creation.ts';

type Binary = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

function binary(name: Binary, a: TensorLike, b: TensorLike): Tensor {
  return apply(name, [asTensor(a), asTensor(b)], {});
}

/** a + b */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** a − b */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** a · b */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** a / b */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** a^b (a > 0 for non-integer b, as Math.pow). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
/** max(a, b); the gradient splits evenly on ties, as PyTorch. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** min(a, b); the gradient splits evenly on ties. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
/** 1 where a = b, else 0. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binary('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => binary('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary('greaterEqual', a, b);

/** Elementwise choice: `a` where `condition` is non-zero, else `b`. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return apply('where', [condition, asTensor(a), asTensor(b)], {});
}

export const neg = (x: Tensor): Tensor => apply('neg', [x], {});
export const exp = (x: Tensor): Tensor => apply('exp', [x], {});
export const log = (x: Tensor): Tensor => apply('log', [x], {});
export const sqrt = (x: Tensor): Tensor => apply('sqrt', [x], {});
/** 1 / √x */
export const rsqrt = (x: Tensor): Tensor => apply('rsqrt', [x], {});
/** 1 / x */
export const reciprocal = (x: Tensor): Tensor => apply('reciprocal', [x], {});
/** x² */
export const square = (x: Tensor): Tensor => apply('square', [x], {});
export const abs = (x: Tensor): Tensor => apply('abs', [x], {});
/** −1, 0 or 1; its gradient is zero. */
export const sign = (x: Tensor): Tensor => apply('sign', [x], {});
export const tanh = (x: Tensor): Tensor => apply('tanh', [x], {});
/** 1 / (1 + e^−x) */
export const sigmoid = (x: Tensor): Tensor => apply('sigmoid', [x], {});
/** max(x, 0) */
export const relu = (x: Tensor): Tensor => apply('relu', [x], {});
/** x · σ(x) (also called swish). */
export const silu = (x: Tensor): Tensor => apply('silu', [x], {});
/** log(1 + e^x), computed without overflow. */
export const softplus = (x: Tensor): Tensor => apply('softplus', [x], {});
export const sin = (x: Tensor): Tensor => apply('sin', [x], {});
export const cos = (x: Tensor): Tensor => apply('cos', [x], {});

export interface GeluOptions {
  /** 'none': x Φ(x) with the exact normal CDF (PyTorch's default); 'tanh': the GPT-2 approximation. */
  approximate?: 'none' | 'tanh';
}

/** GELU (Hendrycks & Gimpel 2016): x Φ(x). */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  return apply('gelu', [x], { approximate: options.approximate ?? 'none' });
}

/** Limits values to [min, max]. */
export function clamp(x: Tensor, min: number, max: number): Tensor {
  if (min > max) throw new RangeError(`clamp: min ${min} is above max ${max}`);
  return minimum(maximum(x, min), max);
}
