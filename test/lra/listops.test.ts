/**
 * ListOps: LRA's generator semantics (reference/benchmarks.md §1.2) on hand-built trees, the
 * serialisation and tokenisation, acceptance bounds, determinism and the label distribution.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Random } from '../../src/engine.ts';
import {
  applyOperator,
  encodeTokens,
  evaluateIds,
  evaluateTree,
  generateListOps,
  generateTree,
  listOpsPresets,
  listOpsSymbols,
  listOpsTask,
  toSource,
  tokenize,
  treeLength,
  treeTokens,
} from '../../benchmarks/lra/data/listops.ts';
import type { ListOpsTree } from '../../benchmarks/lra/data/listops.ts';

const node = (op: '[MIN' | '[MAX' | '[MED' | '[SM', ...args: ListOpsTree[]): ListOpsTree => ({ op, args });

test('operators follow LRA: MIN, MAX, SM is the sum mod 10, MED is int(np.median)', () => {
  assert.is(applyOperator('[MIN', [4, 2, 9]), 2);
  assert.is(applyOperator('[MAX', [4, 2, 9]), 9);
  assert.is(applyOperator('[SM', [8, 9, 7]), 4);
  assert.is(applyOperator('[MED', [7, 1, 3]), 3);
  // Even counts: mean of the two middle values, truncated (np.median([1, 2]) = 1.5 → 1).
  assert.is(applyOperator('[MED', [2, 1]), 1);
  assert.is(applyOperator('[MED', [9, 0, 4, 7]), 5);
  assert.is(applyOperator('[MED', [3, 8, 8, 3]), 5);
  assert.is(applyOperator('[MED', [0, 9]), 4);
});

test('nested trees evaluate inside out, and the id evaluator agrees', () => {
  const tree = node('[SM', node('[MAX', 8, 6, 8), 9, 7);
  assert.is(evaluateTree(tree), 4);
  const deep = node('[MED', node('[MIN', 5, node('[SM', 9, 9)), node('[MAX', 1, 2), 6, node('[MED', 4, 7));
  // MIN(5, 18 % 10 = 8) = 5; MAX = 2; MED(4, 7) = 5 → MED(5, 2, 6, 5) = (5 + 5) / 2 = 5
  assert.is(evaluateTree(deep), 5);
  for (const t of [tree, deep]) assert.is(evaluateIds(encodeTokens(treeTokens(t))), evaluateTree(t));
});

test("the serialisation is LRA's left-nested pairs and tokenises to length tokens", () => {
  const tree = node('[SM', node('[MAX', 8, 6, 8), 9, 7);
  const source = toSource(tree);
  assert.is(source, '( ( ( ( [SM ( ( ( ( [MAX 8 ) 6 ) 8 ) ] ) ) 9 ) 7 ) ] )');
  assert.equal(tokenize(source), ['[SM', '[MAX', '8', '6', '8', 'X', '9', '7', 'X']);
  assert.is(tokenize(source).length, treeLength(tree));
  const random = new Random(3);
  for (let i = 0; i < 200; i++) {
    const t = generateTree(random, { maxDepth: 6, maxArgs: 5 });
    const tokens = tokenize(toSource(t));
    assert.equal(tokens, treeTokens(t));
    assert.is(tokens.length, treeLength(t));
  }
});

test('depth never exceeds maxDepth and every operator has 2..maxArgs arguments', () => {
  const random = new Random(11);
  const check = (t: ListOpsTree, depth: number): number => {
    if (typeof t === 'number') return depth;
    assert.ok(t.args.length >= 2 && t.args.length <= 4, `${t.args.length} arguments`);
    return Math.max(...t.args.map((a) => check(a, depth + 1)));
  };
  let deepest = 0;
  for (let i = 0; i < 2000; i++) deepest = Math.max(deepest, check(generateTree(random, { maxDepth: 5, maxArgs: 4 }), 1));
  assert.is(deepest, 5);
});

const paperGenerator = { ...listOpsPresets.paper, sizes: { train: 1200, validation: 0, test: 0 } };
const paperSample = generateListOps(paperGenerator, 0);

test('accepted trees are distinct and strictly inside the length bounds, labels match their tokens', () => {
  const { ids, offsets, labels } = paperSample;
  const seen = new Set<string>();
  for (let i = 0; i < labels.length; i++) {
    const tree = ids.subarray(offsets[i], offsets[i + 1]);
    assert.ok(tree.length > 500 && tree.length < 2000, `length ${tree.length}`);
    assert.is(evaluateIds(tree), labels[i]);
    seen.add(tree.join(','));
  }
  assert.is(seen.size, labels.length);
});

test('the label distribution is skewed as §1.2 reports (0 and 9 about 17 %, 1-8 about 8 %)', () => {
  const n = paperSample.labels.length;
  const share = new Array<number>(10).fill(0);
  for (const l of paperSample.labels) share[l] += 100 / n;
  const [drawn, accepted] = paperSample.draws;
  console.log(
    `\nnote: ListOps paper generator, ${n} trees: labels % ${share.map((s) => s.toFixed(1)).join(' ')}; acceptance ${((100 * accepted) / drawn).toFixed(1)} % of draws`,
  );
  assert.ok(share[0] > 13 && share[0] < 21, `label 0 ${share[0]}`);
  assert.ok(share[9] > 13 && share[9] < 21, `label 9 ${share[9]}`);
  for (let l = 1; l <= 8; l++) assert.ok(share[l] > 4.5 && share[l] < 12, `label ${l} ${share[l]}`);
  assert.ok(accepted / drawn > 0.06 && accepted / drawn < 0.11);
});

test('the generator is deterministic in its seed', () => {
  const config = { ...listOpsPresets.cpu, sizes: { train: 50, validation: 5, test: 5 } };
  const a = generateListOps(config, 7);
  const b = generateListOps(config, 7);
  const c = generateListOps(config, 8);
  assert.equal(a.ids, b.ids);
  assert.equal(a.labels, b.labels);
  assert.not.equal(a.ids, c.ids);
});

test('the task pads with EOS and <pad> to its length, and caches the generated set', () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'lra-listops-'));
  try {
    const sizes = { train: 40, validation: 5, test: 5 };
    const task = listOpsTask('cpu', { cacheDir, sizes });
    assert.is(task.sequenceLength, 256);
    assert.equal(task.vocabulary, { size: 17, pad: 0, eos: 1, symbols: listOpsSymbols });
    assert.is(readdirSync(cacheDir).length, 0, 'nothing generated before a split is read');
    const example = task.splits.train.get(3);
    assert.is(example.tokens.length, 256);
    const length = example.length!;
    assert.ok(length > 51 && length <= 250);
    assert.is(example.tokens[length - 1], 1, 'EOS after the expression');
    assert.ok(
      example.tokens.subarray(length).every((t) => t === 0),
      'padding after EOS',
    );
    assert.is(evaluateIds(example.tokens), example.label);
    assert.is(readdirSync(cacheDir).length, 1);
    const again = listOpsTask('cpu', { cacheDir, sizes });
    assert.equal(
      [...again.splits.test].map((e) => e.label),
      [...task.splits.test].map((e) => e.label),
    );
    const unpadded = listOpsTask('cpu', { cacheDir, sizes, padded: false }).splits.train.get(3);
    assert.is(unpadded.tokens.length, length);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test.run();
