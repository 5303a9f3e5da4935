// A wasm memory used as an arena: persistent allocations (FFT plans) at the bottom, and per
// call scratch laid out above them and reused by every later call.
//
// The memory is only ever grown, never released: on the team's VMs the first touch of a fresh
// 4 KiB page costs about 11 us, so a call that found its scratch already touched pays nothing.

import type { PlanMemory } from './fft-plan.ts';

const PAGE = 65536;
/** Arena addresses start above the first page, which the module keeps for itself (it has no data). */
const BASE = PAGE;
/** wasm32 limit: 4 GiB. Shared memories reserve their maximum up front, as address space only. */
const MAX_PAGES = 65536;
const ALIGN = 64;

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;

export class Arena implements PlanMemory {
  readonly memory: WebAssembly.Memory;
  private top = BASE;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  }

  /** Bytes held by persistent allocations. */
  get persistentBytes(): number {
    return this.top - BASE;
  }

  /** Drops every persistent allocation (the caller forgets the plans that lived there). */
  resetPersistent(): void {
    this.top = BASE;
  }

  alloc(bytes: number): number {
    const at = alignUp(this.top, ALIGN);
    this.top = at + bytes;
    this.ensure(this.top);
    return at;
  }

  /**
   * Addresses of consecutive scratch regions of the given sizes (64-byte aligned) above the
   * persistent allocations, growing the memory when needed. Valid until the next alloc.
   */
  layout(sizes: readonly number[]): number[] {
    let at = alignUp(this.top, ALIGN);
    const out: number[] = [];
    for (const size of sizes) {
      out.push(at);
      at = alignUp(at + size, ALIGN);
    }
    this.ensure(at);
    return out;
  }

  f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  /** Copies src into the memory at byte address `at`. */
  write(at: number, src: Float32Array | Int32Array): void {
    if (src instanceof Float32Array) this.f32().set(src, at / 4);
    else this.i32().set(src, at / 4);
  }

  /** Copies out.length floats from byte address `at` into out. */
  read(at: number, out: Float32Array): void {
    out.set(this.f32().subarray(at / 4, at / 4 + out.length));
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new RangeError(`wasm kernels: a call needs ${(end / 2 ** 30).toFixed(2)} GiB of wasm memory, over the 4 GiB limit`);
    }
    this.memory.grow(pages);
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (this.f32View.buffer !== buffer || this.f32View.byteLength !== buffer.byteLength) {
      this.f32View = new Float32Array(buffer);
      this.i32View = new Int32Array(buffer);
    }
  }
}
