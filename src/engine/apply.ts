/**
 * Graph construction: every op ends here. Shapes are inferred (and errors thrown) now, at the
 * line that built the op; values come later, at an `await`.
 */
import { kernelSpec, ShapeError, type KernelAttrs, type KernelName, type Shape } from '../../kernels/index.ts';
import { vjps } from '../autograd/vjp.ts';
import { Tensor } from '../tensor.ts';
import { engine } from './context.ts';
import { newStorage } from './storage.ts';
import { realiseSync } from './realise.ts';

/** Records one kernel application. */
export function apply<K extends KernelName>(name: K, inputs: readonly Tensor[], attrs: KernelAttrs<K>): Tensor {
  const spec = kernelSpec(name);
  if (spec.arity !== 'variadic' && inputs.length !== spec.arity) {
    throw new TypeError(`${name}: expected ${spec.arity} tensor inputs, got ${inputs.length}`);
  }
  let shape: Shape;
  try {
    shape = spec.outShape(
      inputs.map((t) => t.shape),
      attrs,
    );
  } catch (error) {
    throw error instanceof ShapeError ? error.renamed(name) : error;
  }
  const requiresGrad = engine.gradEnabled && vjps[name] !== 'nondiff' && inputs.some((t) => t.requiresGrad);
  const tensor = new Tensor(shape, name, inputs, attrs, requiresGrad);
  if (engine.eager) realiseSync(tensor);
  return tensor;
}

/** A reshape shares its input's buffer; no kernel runs. `detach` cuts the gradient path. */
export function applyReshape(input: Tensor, shape: Shape, options: { detach?: boolean } = {}): Tensor {
  const tensor = new Tensor(shape, 'reshape', [input], null, !options.detach && engine.gradEnabled && input.requiresGrad);
  if (engine.eager) realiseSync(tensor);
  return tensor;
}

/** A leaf holding data (copied unless `adopt`). */
export function leaf(data: Float32Array, shape: Shape, options: { requiresGrad?: boolean; name?: string } = {}): Tensor {
  const tensor = new Tensor(shape, 'leaf', [], null, options.requiresGrad ?? false);
  tensor.storage = newStorage(data);
  tensor.name = options.name;
  return tensor;
}
