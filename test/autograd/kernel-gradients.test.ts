/**
 * A finite-difference gradient check of every differentiable kernel, on its registry test
 * cases that are small enough (or marked for it): the engine's backward pass against central
 * differences of the float64 references.
 */
import { test } from 'uvu';
import { kernelNames, kernelSpec, numel, type KernelName } from '../../kernels/index.ts';
import { apply } from '../../src/engine/apply.ts';
import { vjps } from '../../src/autograd/vjp.ts';
import { init, shutdown as shutdownEngine } from '../../src/index.ts';
import { gradCheck } from '../helpers/gradcheck.ts';
import { drawInputs } from '../../src/diagnostics/case-inputs.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});

/** Cases whose inputs have at most this many elements in all are checked (unless marked). */
const SMALL = 96;

for (const name of kernelNames.filter((n) => vjps[n] !== 'nondiff')) {
  test(`${name} gradient matches finite differences`, async () => {
    const spec = kernelSpec(name);
    let checked = 0;
    for (const [index, kase] of spec.cases.entries()) {
      const total = kase.shapes.reduce((n, s) => n + numel(s), 0);
      if (kase.gradCheck === false || (kase.gradCheck !== true && total > SMALL) || total === 0) continue;
      const data = drawInputs(2000 + index, kase.shapes, kase.domains);
      // Index and mask inputs take no gradient; cases with only such inputs probe numerics, not calculus.
      const inputs = kase.shapes.map((shape, k) => {
        const domain = kase.domains?.[k] ?? 'real';
        return { shape, data: data[k], differentiable: typeof domain === 'string' };
      });
      if (!inputs.some((input) => input.differentiable)) continue;
      const outShape = spec.outShape(kase.shapes, kase.attrs as never);
      if (spec.reference(data, kase.shapes, kase.attrs as never, outShape).some(Number.isNaN)) continue; // e.g. a sample variance of one element
      await gradCheck(`${name} case ${index}`, (...xs) => apply(name as KernelName, xs, kase.attrs as never), inputs);
      checked++;
    }
    if (checked === 0) throw new Error(`${name}: no test case is small enough for a gradient check; mark one with gradCheck: true`);
  });
}

test.after(() => shutdownEngine());
test.run();
