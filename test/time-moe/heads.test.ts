/**
 * Time-MoE's head selection and greedy generation: the head for every horizon from 1 to 800
 * against the rule, the chunks of 96 and 720 points, and generate equal to feeding each
 * predicted chunk back by hand.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random, concat, init, narrow, randn, shutdown } from '../../src/index.ts';
import { TimeMoE, generate, generationPlan, selectHead } from '../../models/time-moe/index.ts';
import { assertClose } from '../helpers/close.ts';

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
});
test.after(() => shutdown());

/** The rule, stated directly: the longest head that fits; if none fits, the first, cut to m. */
function expectedHead(heads: number[], m: number): { horizon: number; keep: number } {
  const fitting = heads.filter((h) => h <= m);
  return fitting.length > 0 ? { horizon: Math.max(...fitting), keep: Math.max(...fitting) } : { horizon: heads[0], keep: m };
}

test('every horizon from 1 to 800 selects the longest head that fits, else the first truncated', () => {
  for (const heads of [[1, 8, 32, 64], [4, 16], [3]]) {
    for (let m = 1; m <= 800; m++) {
      const choice = selectHead(heads, m);
      const want = expectedHead(heads, m);
      assert.equal({ horizon: choice.horizon, keep: choice.keep }, want, `heads [${heads}], maxHorizon ${m}`);
      assert.is(heads[choice.index], choice.horizon);
    }
  }
  assert.throws(() => selectHead([1, 8], 0), /maxHorizon must be a positive integer/);
});

test('generation chunks: 96 = 64 + 32 and 720 = 11 × 64 + 8 + 8 with the released heads', () => {
  const heads = [1, 8, 32, 64];
  assert.equal(generationPlan(heads, 96), [64, 32]);
  assert.equal(generationPlan(heads, 720), [...Array(11).fill(64), 8, 8]);
  assert.equal(generationPlan(heads, 6), [1, 1, 1, 1, 1, 1]);
  assert.equal(generationPlan([4, 16], 3), [3]);
  for (let p = 1; p <= 800; p++)
    assert.is(
      generationPlan(heads, p).reduce((a, b) => a + b),
      p,
      `plan of ${p} sums to it`,
    );
});

test('generate feeds each predicted chunk back through the cache, as the chunks by hand', async () => {
  const model = new TimeMoE(
    { hidden_size: 8, intermediate_size: 8, num_hidden_layers: 1, num_attention_heads: 2, num_experts: 2, horizon_lengths: [1, 2, 4] },
    { rng: new Random(3) },
  ).eval();
  const context = randn([2, 5], new Random(4));
  const out = await generate(model, context, 7); // 4 + 2 + 1
  assert.equal([...out.shape], [2, 7]);
  // By hand, without the cache: append each chunk to the whole sequence and run it again.
  let sequence = context;
  for (const steps of [4, 2, 1]) {
    const prediction = model.forward(sequence, { maxHorizon: steps });
    sequence = concat([sequence, narrow(prediction, 1, sequence.shape[1] - 1, 1).reshape([2, steps])], 1);
  }
  assertClose(await out.data(), await narrow(sequence, 1, 5, 7).data(), 'generate vs by hand', { rtol: 1e-5, atol: 1e-6 });
  try {
    await generate(model, [[0.1, Number.NaN, 0.3]], 2);
    assert.unreachable('a NaN context must be refused');
  } catch (error) {
    assert.match((error as Error).message, /generate: context value \[0, 1\] is NaN; fill or drop missing values/);
  }
  const fromArrays = await generate(model, (await context.array()) as number[][], 7);
  assertClose(await fromArrays.data(), await out.data(), 'arrays are taken as [B][T]', { rtol: 0, atol: 0 });
});

test.run();
