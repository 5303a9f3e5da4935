/**
 * ListOps (Nangia & Bowman 2018; LRA's `lra_benchmarks/data/listops.py`): nested list
 * operations over the digits 0-9, the label being the value of the whole expression.
 * Implemented from the description in reference/benchmarks.md §1.2:
 *
 * - A node at depth d < maxDepth is a leaf when `random() > 0.25` (VALUE_P), else an operator
 *   with randint(2, maxArgs) children (inclusive), drawn before its operator; depth maxDepth is
 *   always a leaf. Tree length = 1 per leaf, 2 + children's lengths per operator.
 * - Kept when minLength < length < maxLength; the set of distinct trees grows until it holds
 *   train + validation + test trees.
 * - Operators MIN, MAX, MED (int(np.median): even counts average the two middle values,
 *   truncated), SM (sum mod 10).
 * - LRA serialises left-nested pairs as `( left right )`; the pipeline maps `]` to `X`, drops
 *   parentheses and splits on whitespace, so token count = length.
 *
 * The one deliberate difference: LRA's split order is Python's set hash order, which cannot be
 * reproduced; we keep trees in draw order, shuffle them with a seeded permutation and then
 * take train, validation, test in that order.
 */
import { Random } from '../../../src/engine.ts';
import { cached } from './cache.ts';
import { defaultCacheDir } from './paths.ts';
import { lazySplit, once, padTokens } from './task.ts';
import type { CommonOptions, Example, Preset, SplitSizes, Task } from './task.ts';

/** LRA's enabled operators (FIRST and LAST exist in its code but are disabled). */
export const listOpsOperators = ['[MIN', '[MAX', '[MED', '[SM'] as const;
/** One of the four operators. */
export type ListOpsOperator = (typeof listOpsOperators)[number];

/** A ListOps expression: a digit, or an operator over two or more sub-expressions. */
export type ListOpsTree = number | { op: ListOpsOperator; args: ListOpsTree[] };

/** Generator parameters (LRA's flags) and the example counts. */
export interface ListOpsConfig {
  maxDepth: number;
  maxArgs: number;
  /** Exclusive bounds on the token count. */
  minLength: number;
  maxLength: number;
  sizes: SplitSizes;
}

/** Probability threshold of LRA's generator: `random() > valueP` makes a leaf. */
const valueP = 0.25;

/**
 * `paper`: LRA's defaults (96k/2k/2k, 501..1999 tokens, padded with EOS to 2048 as S4's l_max).
 * `cpu`: the same generator with 51..249 tokens (median about 150, an eighth of the paper's),
 * padded to 256, and 20k training trees. Not comparable to LRA figures.
 */
export const listOpsPresets: Readonly<Record<Preset, ListOpsConfig & { sequenceLength: number }>> = {
  paper: { maxDepth: 10, maxArgs: 10, minLength: 500, maxLength: 2000, sizes: { train: 96_000, validation: 2_000, test: 2_000 }, sequenceLength: 2048 },
  cpu: { maxDepth: 10, maxArgs: 10, minLength: 50, maxLength: 250, sizes: { train: 20_000, validation: 1_000, test: 1_000 }, sequenceLength: 256 },
};

/**
 * The vocabulary: `<pad>` 0 and `<eos>` 1 (S4 appends EOS; it also has `<unk>`, which a closed
 * vocabulary never needs), the digits 2..11, the four operators 12..15 and `X` (LRA's `]`) 16.
 */
export const listOpsSymbols = ['<pad>', '<eos>', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ...listOpsOperators, 'X'] as const;
const padId = 0;
const eosId = 1;
const symbolId = new Map<string, number>(listOpsSymbols.map((s, i) => [s, i]));

/** Draws one tree exactly as LRA's `generate_tree(depth, max_depth, max_args)` (§1.2). */
export function generateTree(random: Random, config: Pick<ListOpsConfig, 'maxDepth' | 'maxArgs'>, depth = 1): ListOpsTree {
  const r = depth < config.maxDepth ? random.uniform() : 1;
  if (r > valueP) return random.integer(10);
  const count = 2 + random.integer(config.maxArgs - 1);
  const args: ListOpsTree[] = [];
  for (let i = 0; i < count; i++) args.push(generateTree(random, config, depth + 1));
  // The operator is drawn after the children, as in LRA.
  const op = listOpsOperators[random.integer(listOpsOperators.length)];
  return { op, args };
}

/** Token count of a tree: 1 per digit, operator + `X` + children per node. */
export function treeLength(tree: ListOpsTree): number {
  return typeof tree === 'number' ? 1 : tree.args.reduce((n: number, a) => n + treeLength(a), 2);
}

/** One operator on its arguments' values (§1.2 semantics). */
export function applyOperator(op: ListOpsOperator, values: readonly number[]): number {
  switch (op) {
    case '[MIN':
      return Math.min(...values);
    case '[MAX':
      return Math.max(...values);
    case '[SM':
      return values.reduce((s, v) => s + v, 0) % 10;
    case '[MED': {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      // np.median averages the two middle values of an even count; int() truncates toward zero.
      return sorted.length % 2 === 1 ? sorted[mid] : Math.trunc((sorted[mid - 1] + sorted[mid]) / 2);
    }
  }
}

/** The value of a tree, 0..9: the label. */
export function evaluateTree(tree: ListOpsTree): number {
  return typeof tree === 'number' ? tree : applyOperator(tree.op, tree.args.map(evaluateTree));
}

/**
 * LRA's serialisation (`to_string`): the node is the left-nested tuple (((op, c1), c2), … cn), ']'
 * and every pair prints as `( left right )`. Example: `( ( ( [MAX 8 ) 6 ) ] )`.
 */
export function toSource(tree: ListOpsTree): string {
  if (typeof tree === 'number') return String(tree);
  let s: string = tree.op;
  for (const arg of tree.args) s = `( ${s} ${toSource(arg)} )`;
  return `( ${s} ] )`;
}

/** LRA/S4 tokenisation of a serialised tree: `]` → `X`, parentheses dropped, split on whitespace. */
export function tokenize(source: string): string[] {
  return source
    .replaceAll(']', 'X')
    .replace(/[()]/g, '')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** The tokens of a tree directly (prefix order, `X` closing each operator) = tokenize(toSource(tree)). */
export function treeTokens(tree: ListOpsTree, out: string[] = []): string[] {
  if (typeof tree === 'number') out.push(String(tree));
  else {
    out.push(tree.op);
    for (const arg of tree.args) treeTokens(arg, out);
    out.push('X');
  }
  return out;
}

/** Token ids of `tokenize` output (no EOS, no padding). */
export function encodeTokens(tokens: readonly string[]): Uint8Array {
  return Uint8Array.from(tokens, (t) => {
    const id = symbolId.get(t);
    if (id === undefined || id <= eosId) throw new Error(`ListOps: unknown token ${JSON.stringify(t)}`);
    return id;
  });
}

/** Evaluates prefix token ids (as `encodeTokens` makes) with a stack: the label of a sequence. */
export function evaluateIds(ids: ArrayLike<number>): number {
  const stack: { op: ListOpsOperator; values: number[] }[] = [];
  let result = -1;
  const firstOp = symbolId.get('[MIN')!;
  const closeId = symbolId.get('X')!;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    let value: number | undefined;
    if (id >= 2 && id <= 11) value = id - 2;
    else if (id >= firstOp && id < firstOp + 4) stack.push({ op: listOpsOperators[id - firstOp], values: [] });
    else if (id === closeId) {
      const node = stack.pop();
      if (!node) throw new Error('ListOps: unbalanced X');
      value = applyOperator(node.op, node.values);
    } else break; // EOS or padding ends the expression
    if (value !== undefined) {
      if (stack.length === 0) result = value;
      else stack[stack.length - 1].values.push(value);
    }
  }
  if (stack.length > 0 || result < 0) throw new Error('ListOps: incomplete expression');
  return result;
}

/** A generated set: token ids of all trees back to back (train, validation, test order). */
export type ListOpsSet = {
  ids: Uint8Array;
  /** Tree i is ids[offsets[i] .. offsets[i+1]). */
  offsets: Int32Array;
  labels: Uint8Array;
  /** [trees drawn, trees accepted (duplicates included)]: the acceptance statistics. */
  draws: Int32Array;
};

/** Draws distinct accepted trees until there are `total`, then shuffles them (seeded). */
export function generateListOps(config: ListOpsConfig, seed: number): ListOpsSet {
  const { train, validation, test } = config.sizes;
  const total = train + validation + test;
  const random = new Random(seed);
  const seen = new Set<string>();
  const trees: Uint8Array[] = [];
  let drawn = 0;
  let accepted = 0;
  while (trees.length < total) {
    const tree = generateTree(random, config);
    drawn++;
    const length = treeLength(tree);
    if (!(config.minLength < length && length < config.maxLength)) continue;
    accepted++;
    const ids = encodeTokens(treeTokens(tree));
    // The tokens determine the tree (prefix notation with explicit closers), so they are its identity.
    const key = String.fromCharCode(...ids);
    if (seen.has(key)) continue;
    seen.add(key);
    trees.push(ids);
  }
  const order = random.permutation(total);
  const offsets = new Int32Array(total + 1);
  for (let i = 0; i < total; i++) offsets[i + 1] = offsets[i] + trees[order[i]].length;
  const ids = new Uint8Array(offsets[total]);
  const labels = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    const tree = trees[order[i]];
    ids.set(tree, offsets[i]);
    labels[i] = evaluateIds(tree);
  }
  return { ids, offsets, labels, draws: Int32Array.of(drawn, accepted) };
}

/** Options of the ListOps task. */
export interface ListOpsOptions extends CommonOptions {
  /** Right-pad every sequence to `sequenceLength` (default true). */
  padded?: boolean;
  /** Replace generator parameters of the preset (lengths, depth, arguments). */
  generator?: Partial<Omit<ListOpsConfig, 'sizes'>>;
}

/** The ListOps task of a preset. Default seed 0; the generated set is cached by parameters + seed. */
export function listOpsTask(preset: Preset, options: ListOpsOptions = {}): Task {
  const base = listOpsPresets[preset];
  const config: ListOpsConfig = { ...base, ...options.generator, sizes: { ...base.sizes, ...options.sizes } };
  const seed = options.seed ?? 0;
  // Room for the longest accepted tree (maxLength - 1 tokens) plus EOS.
  const sequenceLength = Math.max(base.sequenceLength, config.maxLength);
  const padded = options.padded ?? true;
  const { maxDepth, maxArgs, minLength, maxLength, sizes } = config;
  const data = once(() =>
    cached(
      {
        dir: options.cacheDir ?? defaultCacheDir,
        name: `listops-${preset}`,
        key: { task: 'listops', format: 1, maxDepth, maxArgs, minLength, maxLength, sizes, seed },
      },
      () => generateListOps(config, seed),
    ),
  );
  const split = (start: number, size: number) =>
    lazySplit<Example>(size, (i) => {
      const { ids, offsets, labels } = data();
      const tree = ids.subarray(offsets[start + i], offsets[start + i + 1]);
      return {
        tokens: padTokens(tree, { eos: eosId, pad: padId, length: padded ? sequenceLength : undefined }),
        label: labels[start + i],
        length: tree.length + 1,
      };
    });
  return {
    name: 'listops',
    preset,
    description:
      `ListOps, generated by LRA's algorithm (reference §1.2): ${minLength} < tokens < ${maxLength}, depth ≤ ${maxDepth}, 2..${maxArgs} arguments, ` +
      `seed ${seed}; distinct trees shuffled by a seeded permutation instead of Python's set order. Tokens + EOS, right-padded.` +
      (preset === 'cpu' ? ' Short CPU variant: not comparable to LRA figures.' : ''),
    classes: 10,
    sequenceLength,
    vocabulary: { size: listOpsSymbols.length, pad: padId, eos: eosId, symbols: listOpsSymbols },
    splits: { train: split(0, sizes.train), validation: split(sizes.train, sizes.validation), test: split(sizes.train + sizes.validation, sizes.test) },
    publishedS4: 59.6,
    // Test accuracy of always answering the training set's most frequent value, measured on the
    // seed-0 sets (label 0 or 9, about 17 % each, as §1.2 reports for LRA's own sets).
    chance: preset === 'paper' ? 17 : 17.5,
  };
}
