/**
 * The lazy tensor. Building a tensor records an op in a graph and checks shapes at once; values
 * are computed at a few `await` points (`await t.data()`, `await loss.backward()`, an optimizer
 * step), so model code never awaits. See DESIGN.md, "The engine".
 *
 * Methods are thin wrappers over the op functions in ./ops, which are the documented API.
 */
import { formatShape, numel, type KernelName, type Shape } from '../kernels/index.ts';
import { engine } from './engine/context.ts';
import type { Storage } from './engine/storage.ts';
import { realise } from './engine/realise.ts';
import { backward, type BackwardOptions } from './autograd/backward.ts';
import * as ew from './ops/elementwise.ts';
import * as red from './ops/reduce.ts';
import * as mv from './ops/shape.ts';
import * as ix from './ops/indexing.ts';
import * as nnf from './ops/functional.ts';
import { matmul } from './ops/linalg.ts';
import { cumsum } from './ops/scan.ts';

/** What produced a tensor: data (a leaf), a kernel, or a reshape (a view sharing its input's buffer). */
export type TensorOp = KernelName | 'leaf' | 'reshape';

export type TensorLike = Tensor | number;

let nextId = 1;

export class Tensor {
  readonly id = nextId++;
  /** Logical time of creation, to detect graphs built before a parameter changed. */
  readonly createdAt = engine.tick();
  /** Logical time of the last in-place change (leaves only; optimizers). */
  mutatedAt = 0;
  /** Realised value, or null until realised (and again after an intermediate is released). */
  storage: Storage | null = null;
  /** Accumulated gradient of a leaf that requires it, set by `backward`. */
  grad: Tensor | null = null;
  /** Keep the value once realised, even when it is an intermediate of a larger realisation. */
  kept = false;
  /** Name for messages (parameters get their dotted path). */
  name: string | undefined;

  constructor(
    readonly shape: Shape,
    public op: TensorOp,
    public inputs: readonly Tensor[],
    readonly attrs: unknown,
    public requiresGrad: boolean,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return numel(this.shape);
  }

  get isLeaf(): boolean {
    return this.op === 'leaf';
  }

  get isRealised(): boolean {
    return this.storage !== null;
  }

  toString(): string {
    return `Tensor${formatShape(this.shape)}${this.name ? ` '${this.name}'` : ''} (${this.op})`;
  }

  // ---- realisation ---------------------------------------------------------------------------

  /** The values, row-major, as a new Float32Array. */
  async data(): Promise<Float32Array> {
    await realise([this]);
    return this.storage!.data.slice();
  }

  /**
   * The values, row-major, as a new Float32Array, synchronously: for tensors already realised
   * (parameters and buffers always are; others once awaited and kept). Model code reads its
   * parameters this way for set-up done outside the graph (float64 recurrences, norms of the
   * initial values); anything else awaits `data()`, which realises first.
   */
  dataSync(): Float32Array {
    if (!this.storage) throw new Error(`dataSync: ${this} is not realised; await its data() instead (or keep() it when realising a larger graph)`);
    return this.storage.data.slice();
  }

  /** The values as nested arrays of numbers. */
  async array(): Promise<unknown> {
    const flat = await this.data();
    const build = (axis: number, offset: number): unknown => {
      if (axis === this.rank) return flat[offset];
      const stride = numel(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new Error(`item: tensor ${formatShape(this.shape)} has ${this.size} elements, not 1`);
    return (await this.data())[0];
  }

  /** Marks the value to be kept when realised as part of a larger graph (it is otherwise recomputed if read later). */
  keep(): this {
    this.kept = true;
    return this;
  }

  /** Computes gradients of this scalar with respect to every leaf that requires them. */
  backward(options?: BackwardOptions): Promise<void> {
    return backward(this, options);
  }

  /** The same values, cut from the graph: no gradient flows through. */
  detach(): Tensor {
    return mv.detach(this);
  }

  // ---- elementwise ---------------------------------------------------------------------------
  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  pow(other: TensorLike): Tensor {
    return ew.pow(this, other);
  }
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  equal(other: TensorLike): Tensor {
    return ew.equal(this, other);
  }
  notEqual(other: TensorLike): Tensor {
    return ew.notEqual(this, other);
  }
  less(other: TensorLike): Tensor {
    return ew.less(this, other);
  }
  lessEqual(other: TensorLike): Tensor {
    return ew.lessEqual(this, other);
  }
  greater(other: TensorLike): Tensor {
    return ew.greater(this, other);
  }
  greaterEqual(other: TensorLike): Tensor {
    return ew.greaterEqual(this, other);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  rsqrt(): Tensor {
    return ew.rsqrt(this);
  }
  reciprocal(): Tensor {
    return ew.reciprocal(this);
  }
  square(): Tensor {
    return ew.square(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  sign(): Tensor {
    return ew.sign(this);
  }
  tanh(): Tensor {
    return ew.tanh(this);
  }
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  relu(): Tensor {
    return ew.relu(this);
  }
  gelu(options?: ew.GeluOptions): Tensor {
    return ew.gelu(this, options);
  }
  silu(): Tensor {
    return ew.silu(this);
  }
  softplus(): Tensor {
    return ew.softplus(this);
  }
  sin(): Tensor {
    return ew.sin(this);
  }
  cos(): Tensor {
    return ew.cos(this);
  }
  clamp(min: number, max: number): Tensor {
    return ew.clamp(this, min, max);
  }

  // ---- reductions ----------------------------------------------------------------------------
  sum(axes?: number | number[], options?: red.ReduceOptions): Tensor {
    return red.sum(this, axes, options);
  }
  mean(axes?: number | number[], options?: red.ReduceOptions): Tensor {
    return red.mean(this, axes, options);
  }
  max(axes?: number | number[], options?: red.ReduceOptions): Tensor {
    return red.max(this, axes, options);
  }
  min(axes?: number | number[], options?: red.ReduceOptions): Tensor {
    return red.min(this, axes, options);
  }
  var(axes?: number | number[], options?: red.VarianceOptions): Tensor {
    return red.variance(this, axes, options);
  }
  std(axes?: number | number[], options?: red.VarianceOptions): Tensor {
    return red.std(this, axes, options);
  }
  logsumexp(axes?: number | number[], options?: red.ReduceOptions): Tensor {
    return red.logsumexp(this, axes, options);
  }
  argmax(axis: number, options?: red.ReduceOptions): Tensor {
    return red.argmax(this, axis, options);
  }
  argmin(axis: number, options?: red.ReduceOptions): Tensor {
    return red.argmin(this, axis, options);
  }

  // ---- shape ---------------------------------------------------------------------------------
  reshape(shape: readonly number[]): Tensor {
    return mv.reshape(this, shape);
  }
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return mv.flatten(this, startAxis, endAxis);
  }
  squeeze(axes?: number | number[]): Tensor {
    return mv.squeeze(this, axes);
  }
  unsqueeze(axis: number): Tensor {
    return mv.unsqueeze(this, axis);
  }
  permute(perm: readonly number[]): Tensor {
    return mv.permute(this, perm);
  }
  transpose(axisA = -2, axisB = -1): Tensor {
    return mv.transpose(this, axisA, axisB);
  }
  expand(shape: readonly number[]): Tensor {
    return mv.expand(this, shape);
  }
  slice(ranges: readonly mv.SliceRange[]): Tensor {
    return mv.slice(this, ranges);
  }
  narrow(axis: number, start: number, length: number): Tensor {
    return mv.narrow(this, axis, start, length);
  }
  pad(widths: readonly (readonly [number, number])[], value = 0): Tensor {
    return mv.pad(this, widths, value);
  }
  flip(axes: number | number[]): Tensor {
    return mv.flip(this, axes);
  }

  // ---- linear algebra, indexing, normalisation ----------------------------------------------
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  softmax(axis = -1): Tensor {
    return nnf.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return nnf.logSoftmax(this, axis);
  }
  cumsum(axis: number, options?: { exclusive?: boolean; reverse?: boolean }): Tensor {
    return cumsum(this, axis, options);
  }
  gather(axis: number, index: Tensor): Tensor {
    return ix.gather(this, axis, index);
  }
  indexSelect(axis: number, index: Tensor): Tensor {
    return ix.indexSelect(this, axis, index);
  }
  topk(k: number, options?: ix.TopkOptions): { values: Tensor; indices: Tensor } {
    return ix.topk(this, k, options);
  }
}
