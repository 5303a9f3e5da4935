/**
 * Every kernel against its reference, on every backend available here, for every test case of
 * its registry entry (edge sizes included): the GPU.js body run by GPU.js, the body run as a
 * JavaScript loop (the CPU backends' default), and the hand-written fast path where there is one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelNames, kernelSpec, runKernel, type KernelName } from '../../kernels/index.ts';
import { assertClose } from '../helpers/close.ts';
import { drawInputs } from '../../src/diagnostics/case-inputs.ts';
import { disposeTestBackends, testBackends } from '../helpers/backends.ts';

const backends = await testBackends();

type Path = 'gpu.js' | 'fast path' | 'js loop';

async function checkKernel(name: KernelName, label: string, path: Path): Promise<void> {
  const { backend, sync } = backends.find((b) => b.label === label)!;
  const spec = kernelSpec(name);
  assert.ok(spec.cases.length > 0, `${name} has test cases`);
  for (const [index, kase] of spec.cases.entries()) {
    const inputs = drawInputs(1000 + index, kase.shapes, kase.domains);
    const outShape = spec.outShape(kase.shapes, kase.attrs as never);
    const expected = spec.reference(inputs, kase.shapes, kase.attrs as never, outShape);
    const actual = await runKernel(backend, name, inputs, kase.shapes, kase.attrs as never, outShape, {
      sync,
      fastPaths: path === 'fast path',
      jsLoops: path === 'js loop',
    });
    const what = `${name} case ${index} (${kase.shapes.map((s) => `[${s}]`).join(' ')} ${JSON.stringify(kase.attrs)}) on ${label} (${path})`;
    assertClose(actual, expected, what);
  }
}

for (const { label } of backends) {
  for (const name of kernelNames) {
    test(`${name} matches its reference on ${label}`, () => checkKernel(name, label, 'gpu.js'));
  }
}

for (const name of kernelNames.filter((n) => kernelSpec(n).fast)) {
  test(`${name} fast path matches its reference`, () => checkKernel(name, 'webasm with threads', 'fast path'));
}

for (const name of kernelNames) {
  test(`${name} as a JavaScript loop matches its reference`, () => checkKernel(name, 'webasm', 'js loop'));
}

test('no kernel fell back from its backend', () => {
  for (const { label, backend } of backends) {
    assert.equal([...backend.fallbacks.entries()], [], `fallbacks on ${label}`);
  }
});

test.after(disposeTestBackends);
test.run();
