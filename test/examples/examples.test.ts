/**
 * Every example runs as a user would run it (`npx tsx examples/NAME.ts`), in quick mode
 * (CHRONOSCALE_EXAMPLE_QUICK=1: one horizon, few windows), exits 0 and prints what its header
 * promises. The benchmark examples print a `note:` instead when ../shared/data is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDir, root, runNode, twoAtATime, type Ran } from '../cli/spawn.ts';

/** What each example must print in quick mode; the data file it needs, if any. */
const expectations: Record<string, { output: RegExp[]; data?: string }> = {
  'forecast-csv.ts': { output: [/no file given: using the demo CSV/, /2 series, channels y/, /unique_id.*ds.*Linear.*SeasonalNaive/, /shop_a/] },
  'backtest-quantiles.ts': { output: [/calibration windows, \d+ test windows/, /'80%'/, /'95%'/, /coverage/] },
  'etth1.ts': { data: 'ETTh1.csv', output: [/Linear L=336\s+H=96\s+MSE 0\.37\d\s+MAE 0\.39\d.*reference 0\.370 \/ 0\.392/] },
  'etth2.ts': { data: 'ETTh2.csv', output: [/Linear L=336\s+H=96\s+MSE 0\.30\d/, /SeasonalNaive\s+H=96\s+MSE 0\.39\d/] },
  'ettm1.ts': { data: 'ETTm1.csv.gz', output: [/Linear L=336\s+H=96\s+MSE 0\.29\d\s+MAE 0\.34\d.*reference 0\.299 \/ 0\.343/] },
  'exchange-rate.ts': { data: 'exchange_rate.csv', output: [/Naive\s+H=96\s+MSE 0\.081/, /Linear L=336\s+H=96/] },
  'national-illness.ts': {
    data: 'national_illness.csv',
    output: [/Linear L=36\s+H=24\s+MSE 2\.8\d\d/, /SeasonalNaive\s+H=24\s+MSE 2\.564/, /Linear L=104\s+H=24/],
  },
  'lra/s4-smnist.ts': {
    data: '../mnist',
    output: [/sMNIST \(cpu preset\): [\d,]+ parameters/, /trained \d+ steps/, /test accuracy \d+\.\d % on \d+ digits \(chance 11\.35 %/],
  },
  'lra/s4-listops.ts': {
    output: [/ListOps \(cpu preset, 256 tokens\): [\d,]+ parameters/, /trained \d+ steps/, /test accuracy \d+\.\d % on \d+ expressions \(chance 17\.5 %/],
  },
  's4-etth1.ts': { data: 'ETTh1.csv', output: [/Linear L=336\s+H=96\s+MSE 0\.370/, /S4 L=336\s+H=96\s+MSE \d+\.\d{3}\s+MAE \d+\.\d{3}/] },
  'spacetime-etth1.ts': { data: 'ETTh1.csv', output: [/Linear L=336\s+H=720\s+MSE 0\.47\d/, /SpaceTime L=336\s+H=720\s+MSE \d+\.\d{3}\s+MAE \d+\.\d{3}/] },
  'time-moe-zero-shot.ts': {
    output: [
      /checkpoint .*time-moe-tiny \(the tiny test checkpoint\)/,
      /TimeMoE zero-shot: 2 layers × 4 experts, heads 1, 4, 8/,
      /shop_a/,
      /note: the tiny test checkpoint has random weights/,
    ],
  },
  'time-moe-finetune-etth1.ts': {
    data: 'ETTh1.csv',
    output: [/TimeMoE zero-shot\s+MSE \d+\.\d{3}/, /TimeMoE fine-tuned MSE \d+\.\d{3}\s+MAE \d+\.\d{3}\s+\(293 windows; 2 steps/],
  },
  'time-moe-pretrain.ts': {
    data: 'ETTh2.csv',
    output: [
      /ETTh2: \d+ windows of 512 points from 7 channels/,
      /Time-MoE cpu preset: [\d,]+ parameters/,
      /trained 2 steps/,
      /saved and reloaded/,
      /ETTh1 OT, next 96 hours, zero-shot: .*MAE \d+\.\d{3}/,
    ],
  },
  'spacetime-arp.ts': { output: [/AR\(8\), φ = \[/, /oracle\s+MSE \d+\.\d{3}/, /SpaceTime\s+MSE \d+\.\d{3}/, /S4D\s+MSE \d+\.\d{3}/] },
};

// The S4 examples on LRA tasks live beside the LRA benchmark, whose data loaders they use
// (examples/ imports only the package's entries); keyed here as `lra/NAME`.
const lraExamples = 'benchmarks/lra/examples';
const examples = [...readdirSync(path.join(root, 'examples')), ...readdirSync(path.join(root, lraExamples)).map((f) => `lra/${f}`)]
  .filter((f) => f.endsWith('.ts'))
  .sort();
/** The example's path from the repository root. */
const pathOf = (file: string): string => (file.startsWith('lra/') ? `${lraExamples}/${file.slice(4)}` : `examples/${file}`);

test('every example is listed here, is short, and says in its header how to run it', () => {
  assert.equal(examples, Object.keys(expectations).sort());
  for (const file of examples) {
    const text = readFileSync(path.join(root, pathOf(file)), 'utf8');
    assert.ok(text.startsWith('/**'), `${file} opens with a header comment`);
    assert.ok(text.includes(`npx tsx ${pathOf(file)}`), `${file} says how to run it`);
    assert.ok(text.split('\n').length <= 100, `${file} is under 100 lines`);
  }
});

test('examples/ imports only the package entries (and its own support/ files)', () => {
  // The package's entries as seen from examples/ and examples/support/: chronoscale,
  // chronoscale/engine, chronoscale/s4, chronoscale/spacetime, chronoscale/time-moe, chronoscale/kernels.
  const entries = ['index.ts', 'src/engine.ts', 'models/s4/index.ts', 'models/spacetime/index.ts', 'models/time-moe/index.ts', 'kernels/index.ts'];
  for (const dir of ['examples', 'examples/support']) {
    for (const file of readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(root, dir, file), 'utf8');
      for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = path.relative(root, path.resolve(root, dir, spec));
        assert.ok(entries.includes(target) || target.startsWith('examples/support/'), `${dir}/${file} imports ${spec}, not a package entry`);
      }
    }
  }
});

test('every example runs in quick mode, exits 0 and prints its results', async () => {
  const runs: Ran[] = await twoAtATime(examples, (file) =>
    runNode(['--import', 'tsx', pathOf(file)], { env: { CHRONOSCALE_EXAMPLE_QUICK: '1' }, timeoutMs: 60_000 }),
  );
  runs.forEach((ran, i) => {
    const file = examples[i];
    const { output, data } = expectations[file];
    assert.is(ran.code, 0, `${file} exits 0:\n${ran.stderr}`);
    if (data && !existsSync(path.join(dataDir, data))) {
      assert.match(ran.stdout, /^note: .* not found/m, `${file} explains the missing data`);
      console.log(`note: ${file} ran without ../shared/data (${data}); only its note was checked`);
      return;
    }
    for (const pattern of output) assert.match(ran.stdout, pattern, `${file} prints ${pattern}:\n${ran.stdout}`);
  });
});

test('a long-horizon example without its data prints one note and exits 0', async () => {
  const ran = await runNode(['--import', 'tsx', 'examples/etth1.ts', '--data', '/no/such/folder'], { env: { CHRONOSCALE_EXAMPLE_QUICK: '1' } });
  assert.is(ran.code, 0, ran.stderr);
  assert.is(ran.stdout.trim().split('\n').length, 1);
  assert.match(ran.stdout, /^note: ETTh1 skipped: \/no\/such\/folder not found/);
});

test.run();
