/** `chronoscale selfcheck`: every kernel against its reference on this machine, then a training demo. */
import { checkKernels, init, trainingDemo } from '../src/engine.ts';
import { formatTable } from '../src/index.ts';
import { parseCommandArgs } from './args.ts';
import { backendOption, backendOptions } from './backend-option.ts';

export const selfcheckHelp = `chronoscale selfcheck [--backend NAME] [--threads N] [--steps N] [--quiet]

Runs every kernel on the selected backend against its float64 reference and prints the
largest error per kernel, then trains a small MLP forecaster on noisy sines and scores it on
held-out windows. Exits with status 1 if any kernel is outside tolerance.`;

export async function selfcheck(argv: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...backendOptions, steps: { type: 'string' }, quiet: { type: 'boolean' } });
  if (values.help) {
    print(selfcheckHelp);
    return 0;
  }
  const backend = await init(backendOption(values));
  print(`backend: ${backend.describe()}`);
  for (const reason of backend.skipped) print(`  (skipped ${reason})`);
  const checks = await checkKernels(backend);
  const failed = checks.filter((c) => !c.passed);
  if (!values.quiet) {
    print('');
    print(
      formatTable(
        ['kernel', 'cases', 'max rel. error', 'path', 'ms'],
        checks.map((c) => [c.kernel, c.cases, c.maxError, c.fastPath ? 'fast path' : 'gpu.js', c.milliseconds]),
      ),
    );
  }
  print('');
  print(
    `${checks.length - failed.length} of ${checks.length} kernels match their references${failed.length ? `; FAILED: ${failed.map((c) => c.kernel).join(', ')}` : ''}`,
  );
  print('');
  print('training demo: MLP, 24 lags → 6-step forecast of noisy sines, AdamW');
  const steps = values.steps === undefined ? 300 : Number(values.steps);
  const demo = await trainingDemo({ steps, log: print });
  print(
    `held-out MSE ${demo.testMse.toFixed(4)} vs ${demo.naiveMse.toFixed(4)} for repeating the last value; ${demo.steps} steps in ${demo.seconds.toFixed(1)} s`,
  );
  return failed.length > 0 ? 1 : 0;
}
