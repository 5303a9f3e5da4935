/**
 * Batched matrix multiplication with optional transposes and NumPy broadcasting of the batch dims.
 * Vectors are not this kernel's business: the op layer reshapes 1-D operands to matrices.
 */
import { broadcastShapes, ShapeError, stridesOf, numel, type Shape } from './shape.ts';
import { defineKernel, type FastPathCall, type FastPathContext, type MatmulDims } from './types.ts';
import { dot, indexNames, kernelSource, unravel } from './codegen.ts';

/** `transA`: a holds [..., K, M] and is read transposed; `transB`: b holds [..., N, K]. */
export interface MatmulAttrs {
  transA: boolean;
  transB: boolean;
}

/** The dimensions of one matmul call: out [...batch, M, N] = op(a) [..., M, K] · op(b) [..., K, N]. */
interface MatmulGeometry {
  batch: Shape;
  m: number;
  k: number;
  n: number;
  /** Element strides of a along (M, K) and of b along (K, N), transposes included. */
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
  /** Element strides of a and b along each output batch axis; 0 on broadcast axes. */
  aBatch: number[];
  bBatch: number[];
}

function geometry(shapes: readonly Shape[], { transA, transB }: MatmulAttrs): MatmulGeometry {
  const [a, b] = shapes;
  for (const [name, s] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (s.length < 2) throw new ShapeError('matmul', shapes, `${name} has rank ${s.length}; matmul needs rank 2 or more (reshape vectors first)`);
  }
  const [a0, a1] = a.slice(-2);
  const [b0, b1] = b.slice(-2);
  const [m, ka] = transA ? [a1, a0] : [a0, a1];
  const [kb, n] = transB ? [b1, b0] : [b0, b1];
  if (ka !== kb) {
    throw new ShapeError('matmul', shapes, `inner dimensions differ: a gives K = ${ka}, b gives K = ${kb} (transA ${transA}, transB ${transB})`);
  }
  let batch: Shape;
  try {
    batch = broadcastShapes('matmul', [a.slice(0, -2), b.slice(0, -2)]);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ShapeError('matmul', shapes, `batch dimensions do not broadcast: ${error.detail}`);
  }
  return {
    batch,
    m,
    k: ka,
    n,
    aRow: transA ? 1 : ka,
    aCol: transA ? m : 1,
    bRow: transB ? 1 : n,
    bCol: transB ? kb : 1,
    aBatch: batchStrides(a, batch),
    bBatch: batchStrides(b, batch),
  };
}

/** Element strides of an operand's matrices along the output batch axes (0 where broadcast). */
function batchStrides(shape: Shape, batch: Shape): number[] {
  const own = stridesOf(shape);
  const offset = batch.length - (shape.length - 2);
  return batch.map((_, axis) => {
    const j = axis - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j];
  });
}

/**
 * One broadcast batch as `outer` calls of one strided batch each: the longest suffix of batch
 * axes over which each operand is either fully broadcast (stride 0) or contiguous, which is what
 * `MatmulDims` expresses. Returns the split axis; axes before it are looped over.
 */
function innerBatchSplit(g: MatmulGeometry): number {
  const matA = g.m * g.k;
  const matB = g.k * g.n;
  const fits = (strides: readonly number[], from: number, mat: number): boolean => {
    if (strides.slice(from).every((s) => s === 0)) return true;
    let expected = mat;
    for (let axis = g.batch.length - 1; axis >= from; axis--) {
      if (g.batch[axis] !== 1 && strides[axis] !== expected) return false;
      expected *= g.batch[axis];
    }
    return true;
  };
  let split = g.batch.length;
  while (split > 0 && fits(g.aBatch, split - 1, matA) && fits(g.bBatch, split - 1, matB)) split--;
  return split;
}

/** Maps a call onto the SIMD runtime's strided-batch matmul, looping over batch axes it cannot express. */
function matmulFast({ inputs: [a, b], shapes, attrs, out }: FastPathCall<MatmulAttrs>, { wasm, allowAsync }: FastPathContext): boolean | Promise<boolean> {
  if (!wasm) return false;
  const g = geometry(shapes, attrs);
  if (g.k === 0) {
    out.fill(0); // an empty sum; the runtime need not handle K = 0
    return true;
  }
  const split = innerBatchSplit(g);
  const inner = numel(g.batch.slice(split));
  const outer = g.batch.slice(0, split);
  // within the inner batch an operand either advances one whole matrix per step or is broadcast
  const strideOf = (strides: readonly number[], matrix: number) => (strides.slice(split).some((s) => s !== 0) ? matrix : 0);
  const dims: MatmulDims = {
    batch: inner,
    m: g.m,
    k: g.k,
    n: g.n,
    transA: attrs.transA,
    transB: attrs.transB,
    aBatchStride: strideOf(g.aBatch, g.m * g.k),
    bBatchStride: strideOf(g.bBatch, g.k * g.n),
  };
  const outStep = inner * g.m * g.n;
  const calls: { a: Float32Array; b: Float32Array; out: Float32Array }[] = [];
  const index = new Array<number>(outer.length).fill(0);
  for (let call = 0; call < numel(outer); call++) {
    let offA = 0;
    let offB = 0;
    for (let axis = 0; axis < outer.length; axis++) {
      offA += index[axis] * g.aBatch[axis];
      offB += index[axis] * g.bBatch[axis];
    }
    calls.push({ a: a.subarray(offA), b: b.subarray(offB), out: out.subarray(call * outStep, (call + 1) * outStep) });
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      if (++index[axis] < outer[axis]) break;
      index[axis] = 0;
    }
  }
  if (!allowAsync) {
    for (const c of calls) wasm.matmulSync(c.a, c.b, c.out, dims);
    return true;
  }
  return (async () => {
    for (const c of calls) await wasm.matmul(c.a, c.b, c.out, dims);
    return true;
  })();
}

/**
 * Matrix product over the last two axes with broadcast batch axes:
 * out[..., i, j] = Σ_p op(a)[..., i, p] · op(b)[..., p, j], where op transposes when
 * `transA` / `transB` is set (numpy.matmul semantics for rank ≥ 2).
 */
const matmul = defineKernel<MatmulAttrs>({
  arity: 2,
  outShape(shapes, attrs) {
    const g = geometry(shapes, attrs);
    return [...g.batch, g.m, g.n];
  },
  reference([a, b], shapes, attrs, outShape) {
    const g = geometry(shapes, attrs);
    const out = new Float64Array(numel(outShape));
    const index = new Array<number>(g.batch.length).fill(0);
    for (let mat = 0; mat < numel(g.batch); mat++) {
      const offA = index.reduce((acc, v, axis) => acc + v * g.aBatch[axis], 0);
      const offB = index.reduce((acc, v, axis) => acc + v * g.bBatch[axis], 0);
      for (let i = 0; i < g.m; i++) {
        for (let j = 0; j < g.n; j++) {
          let acc = 0;
          for (let p = 0; p < g.k; p++) acc += a[offA + i * g.aRow + p * g.aCol] * b[offB + p * g.bRow + j * g.bCol];
          out[(mat * g.m + i) * g.n + j] = acc;
        }
      }
      for (let axis = g.batch.length - 1; axis >= 0; axis--) {
        if (++index[axis] < g.batch[axis]) break;
        index[axis] = 0;
      }
    }
    return out;
  },
  gpu(shapes, attrs, outShape) {
    const g = geometry(shapes, attrs);
    const idx = indexNames('o', outShape.length);
    const [row, col] = idx.slice(-2);
    const batchIdx = idx.slice(0, -2);
    return {
      source: kernelSource(
        ['a', 'b'],
        [
          'const i = this.thread.x;',
          ...unravel('i', outShape, 'o'),
          `const aBase = ${dot([...batchIdx, row], [...g.aBatch, g.aRow])};`,
          `const bBase = ${dot([...batchIdx, col], [...g.bBatch, g.bCol])};`,
          'let acc = 0.0;',
          // K is baked in as a literal: GPU.js caps loop bounds that come from arguments
          `for (let p = 0; p < ${g.k}; p++) {`,
          `  acc += a[aBase + p * ${g.aCol}] * b[bBase + p * ${g.bRow}];`,
          '}',
          'return acc;',
        ],
      ),
    };
  },
  fast: matmulFast,
  // biome-ignore format: a case table, one case a line
  cases: [
    ...[
      [[1, 1], [1, 1]],
      [[3, 5], [5, 7]],
      [[2, 3, 4], [2, 4, 5]],
      [[2, 3, 4], [4, 5]],
      [[2, 1, 3, 4], [1, 3, 4, 2]],
      [[3, 1031], [1031, 2]],
      [[3, 40, 37], [37, 50]],
      [[0, 4], [4, 3]],
      [[3, 0], [0, 2]],
    ].map((shapes) => ({ shapes, attrs: { transA: false, transB: false } })),
    { shapes: [[5, 3], [5, 7]], attrs: { transA: true, transB: false } },
    { shapes: [[3, 5], [7, 5]], attrs: { transA: false, transB: true } },
    { shapes: [[2, 5, 3], [1, 7, 5]], attrs: { transA: true, transB: true } },
    { shapes: [[2, 1, 9, 4], [3, 6, 9]], attrs: { transA: true, transB: true } },
  ],
});

export const matmulKernels = { matmul };
