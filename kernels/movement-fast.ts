/**
 * CPU fast paths of the movement kernels. permute, expand, flip and slice all read
 * out[o] = x[base + Σ_a o_a · coef_a] (the affine GPU.js body of layout.ts); simplified
 * (strided.ts), the innermost axis is a contiguous run (a block copy), a repeat (a fill), a
 * reversed run, or a stride; a transpose, where some outer axis is the contiguous one, is
 * copied in square tiles so that both the reads and the writes stay within a few cache lines.
 * Large transposes and reversed runs go to the WebAssembly runtime (4x4 register transposes,
 * lane shuffles) where it is loaded. unslice and pad write their input into a filled output,
 * and concat copies blocks.
 */
import { numel, stridesOf, type Shape } from './shape.ts';
import { coalesce, denseStrides } from './strided.ts';
import type { FastPathContext } from './types.ts';
import { hasElementwise } from './wasm/elementwise-jobs.ts';
import { WASM_MIN_ELEMENTS } from './elementwise-fast.ts';

/** Side of the square tiles a transpose is copied in (a 32x32 float tile is 4 KiB). */
const TILE = 32;

/** out[o] = x[base + Σ_a o_a · coefs[a]] over the dense output `outShape`. */
export function affineGather(
  x: Float32Array,
  out: Float32Array,
  outShape: Shape,
  base: number,
  coefs: readonly number[],
  ctx?: FastPathContext,
): boolean | Promise<boolean> {
  const view = coalesce(outShape, [coefs, denseStrides(outShape)]);
  const { dims } = view;
  const [src, dst] = view.strides;
  const rank = dims.length;
  if (rank === 0) {
    out[0] = x[base];
    return true;
  }
  const n = dims[rank - 1];
  const step = src[rank - 1];
  const wasm = ctx && out.length >= WASM_MIN_ELEMENTS && hasElementwise(ctx.wasm) ? ctx.wasm : null;
  // A transpose: an outer axis reads contiguously while the innermost one strides.
  const t = step !== 1 && step !== 0 && step !== -1 ? src.findIndex((s, a) => a < rank - 1 && s === 1) : -1;
  if (t >= 0 && n >= 4 && dims[t] >= 4) {
    if (!wasm) {
      transposeTiles(x, out, dims, src, dst, base, t);
      return true;
    }
    const others = dims.map((_, a) => a).filter((a) => a !== t && a !== rank - 1);
    const pairs = new Int32Array(2 * numel(others.map((a) => dims[a])));
    let k = 0;
    forEachOffset(
      others.map((a) => dims[a]),
      others.map((a) => src[a]),
      base,
      (from) => (pairs[2 * k++] = from),
    );
    k = 0;
    forEachOffset(
      others.map((a) => dims[a]),
      others.map((a) => dst[a]),
      0,
      (to) => (pairs[2 * k++ + 1] = to),
    );
    const d = { pairs, rows: dims[t], cols: n, colStride: step, rowStride: dst[t] };
    if (!ctx!.allowAsync) return (wasm.transposeSync(x, out, d), true);
    return wasm.transpose(x, out, d).then(() => true);
  }
  if (step === 1 && wasm && rank === 2 && src[0] >= n && n < 1024) {
    // rows of a slice of the last axis: too short for one block copy each to pay
    const rows = { rows: dims[0], n, offset: base, srcStride: src[0], before: 0, after: 0, fill: 0 };
    if (!ctx!.allowAsync) return (wasm.copyRowsSync(x, out, rows), true);
    return wasm.copyRows(x, out, rows).then(() => true);
  }
  if (step === -1 && wasm) {
    const starts = new Int32Array(out.length / n);
    let k = 0;
    forEachOffset(dims.slice(0, rank - 1), src.slice(0, rank - 1), base, (from) => (starts[k++] = from));
    if (!ctx!.allowAsync) return (wasm.reverseRowsSync(x, out, starts, n), true);
    return wasm.reverseRows(x, out, starts, n).then(() => true);
  }
  let row = 0;
  forEachOffset(dims.slice(0, rank - 1), src.slice(0, rank - 1), base, (from) => {
    const p = row;
    row += n;
    if (step === 1) {
      if (n >= 16) out.set(x.subarray(from, from + n), p);
      else for (let i = 0; i < n; i++) out[p + i] = x[from + i];
    } else if (step === 0) {
      out.fill(x[from], p, p + n);
    } else if (step === -1) {
      for (let i = 0; i < n; i++) out[p + i] = x[from - i];
    } else {
      for (let i = 0, q = from; i < n; i++, q += step) out[p + i] = x[q];
    }
  });
  return true;
}

/**
 * The innermost axis (stride `src[last]` in x, 1 in out) against axis t (stride 1 in x,
 * `dst[t]` in out), in TILE x TILE blocks, for every index of the remaining axes.
 */
function transposeTiles(x: Float32Array, out: Float32Array, dims: number[], src: number[], dst: number[], base: number, t: number): void {
  const rank = dims.length;
  const last = rank - 1;
  const [rows, cols] = [dims[t], dims[last]];
  const colStride = src[last];
  const rowStride = dst[t];
  const others = dims.map((_, a) => a).filter((a) => a !== t && a !== last);
  const offsets = (strides: number[], start: number) => {
    const list: number[] = [];
    forEachOffset(
      others.map((a) => dims[a]),
      others.map((a) => strides[a]),
      start,
      (o) => list.push(o),
    );
    return list;
  };
  const froms = offsets(src, base);
  const tos = offsets(dst, 0);
  for (let k = 0; k < froms.length; k++) {
    const from = froms[k];
    const to = tos[k];
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(rows, r0 + TILE);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const c1 = Math.min(cols, c0 + TILE);
        for (let r = r0; r < r1; r++) {
          const o = to + r * rowStride;
          const i = from + r;
          for (let c = c0; c < c1; c++) out[o + c] = x[i + c * colStride];
        }
      }
    }
  }
}

/** Calls f with base + Σ_a i_a · strides[a] for every index of dims, in row-major order. */
function forEachOffset(dims: readonly number[], strides: readonly number[], base: number, f: (offset: number) => void): void {
  const rank = dims.length;
  const count = numel(dims);
  const index = new Array<number>(rank).fill(0);
  let offset = base;
  for (let k = 0; k < count; k++) {
    f(offset);
    for (let a = rank - 1; a >= 0; a--) {
      if (++index[a] < dims[a]) {
        offset += strides[a];
        break;
      }
      index[a] = 0;
      offset -= strides[a] * (dims[a] - 1);
    }
  }
}

/**
 * out = fill everywhere except the lattice start_a + j_a · step_a, where out holds x[j]
 * (unslice with fill 0; pad with unit steps). Off-lattice blocks are filled once, never
 * written twice: each axis either skips to the next lattice point or fills a whole sub-block.
 */
export function embed(
  x: Float32Array,
  xShape: Shape,
  out: Float32Array,
  outShape: Shape,
  starts: readonly number[],
  steps: readonly number[],
  fill: number,
  ctx?: FastPathContext,
): boolean | Promise<boolean> {
  if (numel(xShape) === 0) {
    out.fill(fill);
    return true;
  }
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = x[0];
    return true;
  }
  const last = rank - 1;
  const rowsOnly = xShape.every((d, a) => a === last || (d === outShape[a] && starts[a] === 0 && steps[a] === 1)) && steps[last] === 1;
  if (rowsOnly && ctx && out.length >= WASM_MIN_ELEMENTS && xShape[last] < 1024 && hasElementwise(ctx.wasm)) {
    // only the last axis is padded: rows of fill, the input row, fill
    const n = xShape[last];
    const rows = { rows: numel(xShape) / n, n, offset: 0, srcStride: n, before: starts[last], after: outShape[last] - starts[last] - n, fill };
    if (!ctx.allowAsync) return (ctx.wasm.copyRowsSync(x, out, rows), true);
    return ctx.wasm.copyRows(x, out, rows).then(() => true);
  }
  const outStrides = stridesOf(outShape);
  const xStrides = stridesOf(xShape);
  const visit = (axis: number, to: number, from: number): void => {
    const [start, step, n, size, stride] = [starts[axis], steps[axis], xShape[axis], outShape[axis], outStrides[axis]];
    const end = start + (n - 1) * step + 1; // one past the last lattice point
    if (axis === rank - 1) {
      out.fill(fill, to, to + start);
      if (step === 1) {
        if (n >= 16) out.set(x.subarray(from, from + n), to + start);
        else for (let j = 0; j < n; j++) out[to + start + j] = x[from + j];
      } else {
        out.fill(fill, to + start, to + end);
        for (let j = 0; j < n; j++) out[to + start + j * step] = x[from + j];
      }
      out.fill(fill, to + end, to + size);
      return;
    }
    out.fill(fill, to, to + start * stride);
    for (let o = start, j = 0; o < end; o++) {
      if ((o - start) % step === 0) {
        visit(axis + 1, to + o * stride, from + j * xStrides[axis]);
        j++;
      } else {
        out.fill(fill, to + o * stride, to + (o + 1) * stride);
      }
    }
    out.fill(fill, to + end * stride, to + size * stride);
  };
  visit(0, 0, 0);
  return true;
}

/** concat along `axis`: per outer index, each input's block [d_k · inner] in turn. */
export function concatBlocks(inputs: readonly Float32Array[], shapes: readonly Shape[], out: Float32Array, axis: number): void {
  const outer = numel(shapes[0].slice(0, axis));
  const inner = numel(shapes[0].slice(axis + 1));
  const blocks = shapes.map((s) => s[axis] * inner);
  let p = 0;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inputs.length; k++) {
      const size = blocks[k];
      if (size >= 16) out.set(inputs[k].subarray(o * size, (o + 1) * size), p);
      else for (let i = 0; i < size; i++) out[p + i] = inputs[k][o * size + i];
      p += size;
    }
  }
}
