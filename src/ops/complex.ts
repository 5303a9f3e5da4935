/**
 * Complex tensors as a trailing axis of size 2 (real, imaginary): the layout SSM kernels use.
 */
import { ShapeError } from '../../kernels/index.ts';
import { apply, leaf } from '../engine/apply.ts';
import type { Tensor } from '../tensor.ts';
import { mul } from './elementwise.ts';
import { narrow, squeeze, stack } from './shape.ts';

function checkComplex(op: string, z: Tensor): void {
  if (z.rank === 0 || z.shape[z.rank - 1] !== 2) throw new ShapeError(op, [z.shape], 'a complex tensor ends in an axis of size 2 (re, im)');
}

/** re + i·im from two real tensors of one shape. */
export function complex(re: Tensor, im: Tensor): Tensor {
  return stack([re, im], -1);
}

export function real(z: Tensor): Tensor {
  checkComplex('real', z);
  return squeeze(narrow(z, -1, 0, 1), -1);
}

export function imag(z: Tensor): Tensor {
  checkComplex('imag', z);
  return squeeze(narrow(z, -1, 1, 1), -1);
}

/** [1, −1], made on first use: ops modules must not build tensors while modules load (import cycles). */
let conjugateSigns: Tensor | null = null;

/** Complex conjugate. */
export function conj(z: Tensor): Tensor {
  checkComplex('conj', z);
  conjugateSigns ??= leaf(Float32Array.of(1, -1), [2]);
  return mul(z, conjugateSigns);
}

/** Complex product, broadcasting over the leading axes. */
export const complexMul = (a: Tensor, b: Tensor): Tensor => apply('complexMul', [a, b], {});
/** Complex quotient a / b. */
export const complexDiv = (a: Tensor, b: Tensor): Tensor => apply('complexDiv', [a, b], {});
/** e^z = e^re (cos im + i sin im). */
export const complexExp = (z: Tensor): Tensor => apply('complexExp', [z], {});
/** |z|, a real tensor without the trailing pair axis. */
export const complexAbs = (z: Tensor): Tensor => apply('complexAbs', [z], {});
/** The principal logarithm log|z| + i·arg z, arg z ∈ (−π, π]. */
export const complexLog = (z: Tensor): Tensor => apply('complexLog', [z], {});
/** log(1 + w), accurate for small w (where complexLog(1 + w) would lose w's digits to rounding). */
export const complexLog1p = (w: Tensor): Tensor => apply('complexLog1p', [w], {});
/** exp(z) − 1, accurate for small z. */
export const complexExpm1 = (z: Tensor): Tensor => apply('complexExpm1', [z], {});
