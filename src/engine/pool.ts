/**
 * A pool of float32 buffers by exact length.
 *
 * On our VMs the first touch of fresh memory costs about 11 µs per 4 KiB page (a new 64 MB
 * array plus fill takes ~205 ms; refilling an existing one ~2.6 ms), so intermediates freed
 * during a realisation go back here and the next op of the same size reuses them. Training
 * loops repeat the same shapes every step, so exact-length buckets hit almost always.
 */

export interface PoolStats {
  /** Buffers handed out from the pool. */
  hits: number;
  /** Buffers that had to be allocated. */
  misses: number;
  /** Bytes held by the pool now. */
  pooledBytes: number;
}

export class BufferPool {
  private readonly buckets = new Map<number, Float32Array[]>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    /** Bytes the pool may hold; buffers returned beyond this are left to the garbage collector. */
    private readonly capacityBytes: number,
    /** When false every acquire allocates (for measuring what reuse buys). */
    public enabled = true,
  ) {}

  /** A buffer of `length` elements with unspecified contents. */
  acquire(length: number): Float32Array {
    const bucket = this.enabled ? this.buckets.get(length) : undefined;
    const buffer = bucket?.pop();
    if (buffer) {
      this.hits++;
      this.bytes -= buffer.byteLength;
      return buffer;
    }
    this.misses++;
    return new Float32Array(length);
  }

  /** Returns a buffer nobody reads any more. */
  release(buffer: Float32Array): void {
    if (!this.enabled || buffer.length === 0 || this.bytes + buffer.byteLength > this.capacityBytes) return;
    // Views into a larger buffer (e.g. a GPU.js result) would pin memory the pool cannot account for.
    if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) return;
    let bucket = this.buckets.get(buffer.length);
    if (!bucket) this.buckets.set(buffer.length, (bucket = []));
    bucket.push(buffer);
    this.bytes += buffer.byteLength;
  }

  clear(): void {
    this.buckets.clear();
    this.bytes = 0;
  }

  stats(): PoolStats {
    return { hits: this.hits, misses: this.misses, pooledBytes: this.bytes };
  }
}
