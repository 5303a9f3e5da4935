/**
 * The kernel self-check: runs every registered kernel on the active backend (fast paths
 * included) on its first test cases and compares the result with the float64 reference.
 * What `chronoscale selfcheck` prints, so a user sees at once which backend runs and that it
 * computes correctly on their machine.
 */
import { kernelNames, kernelSpec, runKernel, type Backend, type KernelName } from '../../kernels/index.ts';
import { drawInputs } from './case-inputs.ts';

export interface KernelCheck {
  kernel: KernelName;
  cases: number;
  /** Largest |actual − expected| / (1 + |expected|) over the checked cases. */
  maxError: number;
  /** Whether a hand-written fast path served the kernel on this backend. */
  fastPath: boolean;
  milliseconds: number;
  passed: boolean;
}

/** Relative-to-one error tolerance of the check: float32 kernels against float64 references. */
const TOLERANCE = 1e-3;

export async function checkKernels(backend: Backend, options: { casesPerKernel?: number } = {}): Promise<KernelCheck[]> {
  const results: KernelCheck[] = [];
  for (const name of kernelNames) {
    const spec = kernelSpec(name);
    const started = performance.now();
    let maxError = 0;
    let fastPath = false;
    const cases = spec.cases.slice(0, options.casesPerKernel ?? 3);
    for (const [index, kase] of cases.entries()) {
      const inputs = drawInputs(3000 + index, kase.shapes, kase.domains);
      const outShape = spec.outShape(kase.shapes, kase.attrs as never);
      const expected = spec.reference(inputs, kase.shapes, kase.attrs as never, outShape);
      const actual = await runKernel(backend, name, inputs, kase.shapes, kase.attrs as never, outShape, {
        sync: false,
        report: (path) => (fastPath ||= path === 'fast path'),
      });
      for (let i = 0; i < expected.length; i++) {
        const e = expected[i];
        if (!Number.isFinite(e) && actual[i] === e) continue;
        const error = Math.abs(actual[i] - e) / (1 + Math.abs(e));
        maxError = Math.max(maxError, Number.isNaN(error) ? Infinity : error);
      }
    }
    results.push({
      kernel: name,
      cases: cases.length,
      maxError,
      fastPath,
      milliseconds: performance.now() - started,
      passed: maxError <= TOLERANCE,
    });
  }
  return results;
}
