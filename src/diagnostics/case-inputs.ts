/** Seeded inputs for kernel test cases, drawn per input domain (used by the tests and the self-check). */
import { numel, type InputDomain, type Shape } from '../../kernels/index.ts';
import { Random } from '../random.ts';

export function drawInput(rng: Random, shape: Shape, domain: InputDomain = 'real'): Float32Array {
  const n = numel(shape);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (domain === 'real') out[i] = rng.normal();
    else if (domain === 'positive') out[i] = 0.5 + 1.5 * rng.uniform();
    else if (domain === 'unit') out[i] = 2 * rng.uniform() - 1;
    else if ('integers' in domain) out[i] = rng.integer(domain.integers);
    else out[i] = domain.choices[rng.integer(domain.choices.length)];
  }
  return out;
}

export function drawInputs(seed: number, shapes: readonly Shape[], domains: readonly InputDomain[] = []): Float32Array[] {
  const rng = new Random(seed);
  return shapes.map((shape, i) => drawInput(rng, shape, domains[i]));
}
