/**
 * Reverse-mode differentiation over the lazy graph. The gradient graph is built from the VJP
 * table (itself out of ordinary ops, so it is lazy too) and realised together with the output
 * in one pass: the forward intermediates are computed once and freed as soon as the backward
 * ops that read them have run.
 */
import { formatShape, sameShape } from '../../kernels/index.ts';
import { noGrad } from '../engine/context.ts';
import { realise } from '../engine/realise.ts';
import type { Tensor } from '../tensor.ts';
import { ones } from '../ops/creation.ts';
import { add } from '../ops/elementwise.ts';
import { reshape } from '../ops/shape.ts';
import { vjps, type VjpRule } from './vjp.ts';

export interface BackwardOptions {
  /** Gradient of the output (default: 1 for a scalar output; required otherwise). */
  grad?: Tensor;
}

/** Nodes that lead to a leaf requiring a gradient, inputs before consumers. */
function differentiablePath(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: { tensor: Tensor; expanded: boolean }[] = [{ tensor: output, expanded: false }];
  while (stack.length > 0) {
    const { tensor, expanded } = stack.pop()!;
    if (expanded) {
      order.push(tensor);
      continue;
    }
    if (visited.has(tensor) || !tensor.requiresGrad) continue;
    visited.add(tensor);
    stack.push({ tensor, expanded: true });
    for (const input of tensor.inputs) stack.push({ tensor: input, expanded: false });
  }
  return order;
}

/**
 * Builds the gradients of `output` with respect to every leaf that requires one, adds them to
 * the leaves' `grad` (gradients accumulate until cleared), and realises them together with
 * `output`. Reading `output` afterwards costs nothing; reading it before recomputes the forward.
 */
export async function backward(output: Tensor, options: BackwardOptions = {}): Promise<void> {
  if (!output.requiresGrad) throw new Error(`backward: ${output} does not depend on any tensor that requires a gradient`);
  const seed = options.grad ?? (output.size === 1 ? ones(output.shape) : null);
  if (!seed) throw new Error(`backward: ${output} is not a scalar; pass options.grad`);
  if (!sameShape(seed.shape, output.shape)) {
    throw new Error(`backward: grad has shape ${formatShape(seed.shape)}, output ${formatShape(output.shape)}`);
  }
  const leaves = noGrad(() => buildGradients(output, seed));
  await realise([output, ...leaves.map((leaf) => leaf.grad!)]);
}

function buildGradients(output: Tensor, seed: Tensor): Tensor[] {
  const grads = new Map<Tensor, Tensor>([[output, seed]]);
  const leaves: Tensor[] = [];
  const order = differentiablePath(output);
  for (let i = order.length - 1; i >= 0; i--) {
    const tensor = order[i];
    const grad = grads.get(tensor);
    if (!grad) continue;
    grads.delete(tensor); // frees the map's hold early on long graphs
    if (tensor.op === 'leaf') {
      tensor.grad = tensor.grad ? add(tensor.grad, grad) : grad;
      leaves.push(tensor);
      continue;
    }
    const inputGrads = tensor.op === 'reshape' ? [reshape(grad, tensor.inputs[0].shape)] : vjpOf(tensor, grad);
    tensor.inputs.forEach((input, k) => {
      const g = inputGrads[k];
      if (!g || !input.requiresGrad) return;
      if (!sameShape(g.shape, input.shape)) {
        throw new Error(`internal: the gradient rule of ${tensor.op} gave input ${k} shape ${formatShape(g.shape)}, expected ${formatShape(input.shape)}`);
      }
      const previous = grads.get(input);
      grads.set(input, previous ? add(previous, g) : g);
    });
  }
  return leaves;
}

function vjpOf(tensor: Tensor, grad: Tensor): readonly (Tensor | null)[] {
  const rule = vjps[tensor.op as keyof typeof vjps] as VjpRule<never> | 'nondiff';
  if (rule === 'nondiff') return [];
  return rule({ inputs: tensor.inputs, output: tensor, attrs: tensor.attrs as never, grad });
}

/** Clears the accumulated gradients of the given leaves. */
export function zeroGrad(leaves: Iterable<Tensor>): void {
  for (const leaf of leaves) leaf.grad = null;
}
