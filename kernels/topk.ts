/**
 * Top-k indices along the last axis. The values are not returned: the op layer gathers them
 * with these indices, so one kernel serves values, indices and the gradient's scatter.
 */
import { ShapeError } from './shape.ts';
import { defineKernel, type FastPathCall, type KernelCase } from './types.ts';
import { kernelSource } from './codegen.ts';

/** `k` entries per row; `largest` picks the k largest (descending) rather than the k smallest (ascending). */
export interface TopkAttrs {
  k: number;
  largest: boolean;
}

/**
 * Indices of the k largest (or smallest) entries of each row of x [..., n], as float32, in
 * descending (ascending) order of value; equal values keep their index order (a stable sort).
 * out [..., k]: out[..., j] = the index whose value ranks j-th. NaN entries rank unspecified.
 */
const topkIndices = defineKernel<TopkAttrs>({
  arity: 1,
  outShape(shapes, { k }) {
    const [x] = shapes;
    if (x.length < 1) throw new ShapeError('topkIndices', shapes, 'x must have at least one axis (top-k runs along the last)');
    const n = x[x.length - 1];
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new ShapeError('topkIndices', shapes, `k = ${k} must be an integer between 0 and the last axis' length ${n}`);
    }
    return [...x.slice(0, -1), k];
  },
  reference([x], [shape], { k, largest }) {
    const n = shape[shape.length - 1];
    const rows = n === 0 ? 0 : x.length / n;
    const out = new Float64Array(rows * k);
    for (let r = 0; r < rows; r++) {
      const order = Array.from({ length: n }, (_, j) => j);
      // Array.prototype.sort is stable, so ties stay in index order
      order.sort((a, b) => (largest ? x[r * n + b] - x[r * n + a] : x[r * n + a] - x[r * n + b]));
      for (let j = 0; j < k; j++) out[r * k + j] = order[j];
    }
    return out;
  },
  gpu([shape], { k, largest }) {
    const n = shape[shape.length - 1];
    const before = largest ? '>' : '<';
    // Output cell (row, j) looks for the element with exactly j elements ahead of it in the
    // order; counting stops as soon as the count passes j, so most candidates cost little.
    return {
      source: kernelSource(
        ['x'],
        [
          'const i = this.thread.x;',
          `const row = Math.floor(i / ${k});`,
          `const wanted = i - row * ${k};`,
          `const base = row * ${n};`,
          'let found = 0.0;',
          `for (let c = 0; c < ${n}; c++) {`,
          '  const v = x[base + c];',
          '  let ahead = 0.0;',
          `  for (let d = 0; d < ${n}; d++) {`,
          '    const w = x[base + d];',
          `    if (w ${before} v || (w === v && d < c)) {`,
          '      ahead += 1.0;',
          '      if (ahead > wanted) break;',
          '    }',
          '  }',
          '  if (ahead === wanted) {',
          '    found = c;',
          '    break;',
          '  }',
          '}',
          'return found;',
        ],
      ),
    };
  },
  fast: topkFast,
  cases: topkCases(),
});

/**
 * Per row, a bounded heap of the k best indices seen so far, worst on top: O(n log k), then the
 * k survivors are sorted. Plain TypeScript; always handles the call.
 */
function topkFast({ inputs: [x], shapes: [shape], attrs: { k, largest }, out }: FastPathCall<TopkAttrs>): boolean {
  const n = shape[shape.length - 1];
  if (k === 0) return true;
  const rows = x.length / n;
  const heap = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    // `better(a, b)`: a comes before b in the output order (value first, then lower index)
    const better = (a: number, b: number): boolean => {
      const va = x[base + a];
      const vb = x[base + b];
      return (largest ? va > vb : va < vb) || (va === vb && a < b);
    };
    let size = 0;
    for (let c = 0; c < n; c++) {
      if (size < k) {
        heap[size++] = c;
        siftUp(heap, size - 1, better);
      } else if (better(c, heap[0])) {
        heap[0] = c;
        siftDown(heap, size, better);
      }
    }
    const best = Array.from(heap).sort((a, b) => (better(a, b) ? -1 : 1));
    for (let j = 0; j < k; j++) out[r * k + j] = best[j];
  }
  return true;
}

/** Restores the heap order (the worst element, by `better`, at the root) upwards from `at`. */
function siftUp(heap: Int32Array, at: number, better: (a: number, b: number) => boolean): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!better(heap[parent], heap[at])) return;
    [heap[parent], heap[at]] = [heap[at], heap[parent]];
    at = parent;
  }
}

/** Restores the heap order downwards from the root. */
function siftDown(heap: Int32Array, size: number, better: (a: number, b: number) => boolean): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    const right = left + 1;
    let worst = at;
    if (left < size && better(heap[worst], heap[left])) worst = left;
    if (right < size && better(heap[worst], heap[right])) worst = right;
    if (worst === at) return;
    [heap[worst], heap[at]] = [heap[at], heap[worst]];
    at = worst;
  }
}

function topkCases(): KernelCase<TopkAttrs>[] {
  const ties = [{ choices: [0, 1, 2] }];
  return [
    { shapes: [[1]], attrs: { k: 1, largest: true } },
    { shapes: [[7]], attrs: { k: 3, largest: true } },
    { shapes: [[7]], attrs: { k: 7, largest: false } },
    { shapes: [[3, 5]], attrs: { k: 2, largest: true } },
    { shapes: [[2, 3, 9]], attrs: { k: 4, largest: false } },
    { shapes: [[4, 12]], attrs: { k: 5, largest: true }, domains: ties },
    { shapes: [[4, 12]], attrs: { k: 12, largest: false }, domains: ties },
    { shapes: [[2, 1031]], attrs: { k: 3, largest: true } },
    { shapes: [[1, 1031]], attrs: { k: 2, largest: false }, domains: ties },
    { shapes: [[1024, 8]], attrs: { k: 4, largest: true } },
    { shapes: [[0, 5]], attrs: { k: 2, largest: true } },
    { shapes: [[3, 5]], attrs: { k: 0, largest: true } },
  ];
}

export const topkKernels = { topkIndices };
