/**
 * Finite-difference gradient checks: the engine's reverse-mode gradients against central
 * differences of the same graph evaluated in float64 with the kernel references.
 */
import { leaf } from '../../src/engine/apply.ts';
import { mul, sum, tensor, type Tensor } from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import { assertClose, type Tolerance } from './close.ts';
import { evaluateReference } from './reference-eval.ts';

export interface GradInput {
  shape: readonly number[];
  data: Float32Array;
  /** Whether to check the gradient with respect to this input (false for indices and masks). */
  differentiable: boolean;
}

export interface GradCheckOptions extends Tolerance {
  /** Finite-difference step (default 1e-3; the evaluation is float64, so truncation error dominates). */
  step?: number;
  seed?: number;
}

/**
 * Checks d/dx Σ (f(x) ⊙ R) for a fixed random R: the engine's gradient against central
 * differences of the float64 reference evaluation, for every element of every differentiable input.
 */
export async function gradCheck(what: string, f: (...inputs: Tensor[]) => Tensor, inputs: readonly GradInput[], options: GradCheckOptions = {}): Promise<void> {
  const { step = 1e-3, seed = 7, rtol = 2e-3, atol = 2e-3 } = options;
  const leaves = inputs.map((input) => tensor(input.data, input.shape, { requiresGrad: input.differentiable }));
  const output = f(...leaves);
  const rng = new Random(seed);
  const weights = rng.normalArray(output.size);
  // Infinite outputs (e.g. padding with −∞) have no finite derivative: leave them out of the objective.
  const baseline = evaluateReference(output);
  if (baseline.some(Number.isNaN)) throw new Error(`${what}: the function is undefined (NaN) at the test point`);
  for (let i = 0; i < weights.length; i++) if (!Number.isFinite(baseline[i])) weights[i] = 0;
  const weightTensor = leaf(weights, output.shape);
  const objective = (overrides: Map<Tensor, Float64Array>) => {
    const y = evaluateReference(output, overrides);
    let s = 0;
    for (let i = 0; i < y.length; i++) if (weights[i] !== 0) s += y[i] * weights[i];
    return s;
  };
  // Numerical gradients first: backward turns realised constants into leaves, which is fine, but
  // evaluating on the untouched graph keeps the check independent of realisation.
  const numerical = leaves.map((x, k) => {
    if (!inputs[k].differentiable) return null;
    const base = Float64Array.from(inputs[k].data);
    const grad = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) {
      const plus = base.slice();
      plus[i] += step;
      const minus = base.slice();
      minus[i] -= step;
      grad[i] = (objective(new Map([[x, plus]])) - objective(new Map([[x, minus]]))) / (2 * step);
    }
    return grad;
  });
  await sum(mul(output, weightTensor)).backward();
  for (const [k, x] of leaves.entries()) {
    const expected = numerical[k];
    if (!expected) continue;
    if (!x.grad) throw new Error(`${what}: input ${k} received no gradient`);
    assertClose(await x.grad.data(), expected, `${what}: gradient of input ${k}`, { rtol, atol });
  }
}
