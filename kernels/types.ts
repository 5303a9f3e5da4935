/**
 * What a kernel is: one typed registry entry per kernel name.
 *
 * Every entry carries the definition of the kernel twice: a plain-JS reference (naive loops,
 * float64 accumulation: what the kernel *means*) and a GPU.js body (what runs). Tests check one
 * against the other on every backend. A few hot kernels add a hand-written CPU fast path.
 */
import type { Shape } from './shape.ts';

/** Read-only numeric input of a reference implementation (float32 or float64). */
export type NumericArray = ArrayLike<number>;

/**
 * A GPU.js kernel body for one shape signature: the source of `function (in0, in1, ...)`, which
 * computes element `this.thread.x` of the flat, row-major output. Shapes and strides are baked
 * into the source as literals, so loop bounds are compile-time constants (GPU.js caps loop bounds
 * passed as arguments at `loopMaxIterations`) and one compiled kernel serves one shape signature.
 */
export interface GpuProgram {
  source: string;
}

/** Arguments of a CPU fast path: inputs, their shapes, the output shape and a preallocated output. */
export interface FastPathCall<A> {
  inputs: readonly Float32Array[];
  shapes: readonly Shape[];
  attrs: A;
  outShape: Shape;
  /** Output buffer of `numel(outShape)` elements, drawn from the engine's pool; contents are garbage. */
  out: Float32Array;
}

/** The WebAssembly SIMD routines the fast paths call (kernels/wasm/runtime.ts provides them). */
export interface WasmFastPaths {
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims): Promise<void>;
  matmulSync(a: Float32Array, b: Float32Array, out: Float32Array, dims: MatmulDims): void;
  rfft(x: Float32Array, out: Float32Array, dims: { rows: number; n: number }): Promise<void>;
  rfftSync(x: Float32Array, out: Float32Array, dims: { rows: number; n: number }): void;
  irfft(x: Float32Array, out: Float32Array, dims: { rows: number; n: number }): Promise<void>;
  irfftSync(x: Float32Array, out: Float32Array, dims: { rows: number; n: number }): void;
  causalConv(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): Promise<void>;
  causalConvSync(u: Float32Array, k: Float32Array, out: Float32Array, dims: CausalConvDims): void;
  readonly threads: number;
}

export interface MatmulDims {
  batch: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** Elements between consecutive batch matrices of a (0: one matrix broadcast over the batch). */
  aBatchStride: number;
  bBatchStride: number;
}

/** y[r, l] = sum_j k[r % kernelRows, j] * u[r, l - j] */
export interface CausalConvDims {
  rows: number;
  length: number;
  kernelRows: number;
  kernelLength: number;
}

/** Services the CPU fast paths may use (the WebAssembly SIMD runtime when it loaded). */
export interface FastPathContext {
  wasm: WasmFastPaths | null;
  /** false when the caller needs a synchronous result (the eager debug mode). */
  allowAsync: boolean;
}

/**
 * A hand-written CPU path for a kernel that GPU.js cannot make fast enough on the CPU backends
 * (see DESIGN.md). Returns false when it does not handle this call (e.g. the wasm runtime is
 * missing), in which case the GPU.js body runs.
 */
export type FastPath<A> = (call: FastPathCall<A>, ctx: FastPathContext) => boolean | Promise<boolean>;

/** How test inputs of a case are drawn. */
export type InputDomain =
  | 'real' // standard normal
  | 'positive' // uniform (0.5, 2)
  | 'unit' // uniform (-1, 1)
  | { integers: number } // integers in [0, n): indices
  | { choices: readonly number[] }; // e.g. [0, 1] for masks

/** One test case: input shapes and attributes, with optional input domains (default 'real'). */
export interface KernelCase<A> {
  shapes: Shape[];
  attrs: A;
  domains?: InputDomain[];
  /** Whether to include this case in the finite-difference gradient check (default: small cases). */
  gradCheck?: boolean;
}

export interface KernelSpec<A> {
  /** Number of tensor inputs, or 'variadic' (concat). */
  arity: number | 'variadic';
  /** Output shape; validates inputs and attributes and throws ShapeError naming the op. */
  outShape(shapes: readonly Shape[], attrs: A): Shape;
  /** The definition: naive loops with float64 accumulation. */
  reference(inputs: readonly NumericArray[], shapes: readonly Shape[], attrs: A, outShape: Shape): Float64Array;
  /** The GPU.js body for this shape signature. */
  gpu(shapes: readonly Shape[], attrs: A, outShape: Shape): GpuProgram;
  /** Optional hand-written CPU path (used on the cpu and webasm backends). */
  fast?: FastPath<A>;
  /** Test cases, including edge sizes. */
  cases: KernelCase<A>[];
}

/** Builds a spec while checking it against KernelSpec and keeping its attribute type. */
export function defineKernel<A>(spec: KernelSpec<A>): KernelSpec<A> {
  return spec;
}
