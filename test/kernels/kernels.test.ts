/**
 * Every kernel against its reference, on every backend available here, for every test case of
 * its registry entry (edge sizes included): the GPU.js body always, and the CPU fast path too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelNames, kernelSpec, runKernel, type KernelName } from '../../kernels/index.ts';
import { assertClose } from '../helpers/close.ts';
import { drawInputs } from '../../src/diagnostics/case-inputs.ts';
import { disposeTestBackends, testBackends } from '../helpers/backends.ts';

const backends = await testBackends();

async function checkKernel(name: KernelName, label: string, fastPaths: boolean): Promise<void> {
  const { backend, sync } = backends.find((b) => b.label === label)!;
  const spec = kernelSpec(name);
  assert.ok(spec.cases.length > 0, `${name} has test cases`);
  for (const [index, kase] of spec.cases.entries()) {
    const inputs = drawInputs(1000 + index, kase.shapes, kase.domains);
    const outShape = spec.outShape(kase.shapes, kase.attrs as never);
    const expected = spec.reference(inputs, kase.shapes, kase.attrs as never, outShape);
    const actual = await runKernel(backend, name, inputs, kase.shapes, kase.attrs as never, outShape, { sync, fastPaths });
    const what = `${name} case ${index} (${kase.shapes.map((s) => `[${s}]`).join(' ')} ${JSON.stringify(kase.attrs)}) on ${label}`;
    assertClose(actual, expected, what);
  }
}

for (const { label } of backends) {
  for (const name of kernelNames) {
    test(`${name} matches its reference on ${label}`, () => checkKernel(name, label, false));
  }
}

for (const name of kernelNames.filter((n) => kernelSpec(n).fast)) {
  test(`${name} fast path matches its reference`, () => checkKernel(name, 'webasm with threads', true));
}

test('no kernel fell back from its backend', () => {
  for (const { label, backend } of backends) {
    assert.equal([...backend.fallbacks.entries()], [], `fallbacks on ${label}`);
  }
});

test.after(disposeTestBackends);
test.run();
