// FFT plans for kernels.wasm: factorisations, twiddle tables and Bluestein filters, computed
// once per length in float64 and written into wasm memory in the layout of
// assembly/fft-layout.ts (keep the two in step).

/** Where plans live: a bump allocator over wasm memory (see arena.ts). */
export interface PlanMemory {
  /** Returns the byte address of `bytes` fresh bytes, 16-byte aligned. */
  alloc(bytes: number): number;
  i32(): Int32Array;
  f32(): Float32Array;
}

// Mirrors of assembly/fft-layout.ts, in 4-byte words.
const STOCKHAM_HEADER_WORDS = 5;
const STAGE_WORDS = 5;
const BLUESTEIN_WORDS = 9;
const REAL_WORDS = 4;

/** Largest prime the Stockham passes handle directly (passGeneric); larger ones use Bluestein. */
const MAX_DIRECT_PRIME = 31;

/**
 * Radices of the Stockham passes for length n: 4s first (fewest passes), then 2, 3, 5 and odd
 * primes up to 31; null when n has a larger prime factor.
 */
export function radices(n: number): number[] | null {
  const out: number[] = [];
  let rest = n;
  while (rest % 4 === 0) {
    out.push(4);
    rest /= 4;
  }
  for (let p = 2; p <= MAX_DIRECT_PRIME && rest > 1; p++) {
    while (rest % p === 0) {
      out.push(p);
      rest /= p;
    }
  }
  return rest === 1 ? out : null;
}

/** Smallest 2,3,5-smooth number >= n (with at least one factor of 2 when `even`). */
export function nextSmooth(n: number, even = false): number {
  for (let m = Math.max(n, 1); ; m++) {
    if (even && m % 2 !== 0) continue;
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

// Relative cost per element of one pass of each radix (assembly/fft-radix.ts). With these,
// transformCost predicted the measured rfft times of n = 2000 .. 4096 within about 10%.
const PASS_COST: Record<number, number> = { 2: 0.75, 3: 0.95, 4: 1, 5: 1.45 };

function transformCost(m: number): number {
  const rs = radices(m) ?? [];
  return m * rs.reduce((sum, r) => sum + (PASS_COST[r] ?? r / 3), 0);
}

/**
 * Even transform length N >= minLength for a convolution: the next power of two or the next
 * even 2,3,5-smooth number, whichever is estimated faster.
 */
export function convLength(minLength: number): number {
  const pow2 = Math.max(2, 2 ** Math.ceil(Math.log2(Math.max(minLength, 2))));
  const smooth = nextSmooth(Math.max(minLength, 2), true);
  return transformCost(smooth / 2) < transformCost(pow2 / 2) ? smooth : pow2;
}

/** Caches plans by length and direction inside one memory. */
export class PlanCache {
  private readonly complexPlans = new Map<string, number>();
  private readonly realPlans = new Map<string, number>();

  constructor(private readonly mem: PlanMemory) {}

  /** Address of the real plan for rfft (inverse false) or irfft (inverse true) of length n. */
  real(n: number, inverse: boolean): number {
    const key = `${n}:${inverse}`;
    let plan = this.realPlans.get(key);
    if (plan === undefined) {
      plan = this.buildReal(n, inverse);
      this.realPlans.set(key, plan);
    }
    return plan;
  }

  private complex(n: number, inverse: boolean): number {
    const key = `${n}:${inverse}`;
    let plan = this.complexPlans.get(key);
    if (plan === undefined) {
      plan = radices(n) ? this.buildStockham(n, inverse) : this.buildBluestein(n, inverse);
      this.complexPlans.set(key, plan);
    }
    return plan;
  }

  private buildReal(n: number, inverse: boolean): number {
    const even = n % 2 === 0;
    const len = even ? n / 2 : n;
    const complex = this.complex(len, inverse);
    const complexElems = this.mem.i32()[complex / 4 + 3];
    let twiddles = 0;
    if (even) {
      twiddles = this.table(len + 1, (k) => (-2 * Math.PI * k) / n);
    }
    const plan = this.mem.alloc(REAL_WORDS * 4);
    const words = this.mem.i32();
    words.set([n, complex, twiddles, Math.max(complexElems, even ? len + 1 : n)], plan / 4);
    return plan;
  }

  private buildStockham(n: number, inverse: boolean): number {
    const sign = inverse ? 1 : -1;
    const rs = radices(n)!;
    const stages: number[][] = [];
    let length = n;
    let stride = 1;
    for (const r of rs) {
      const m = length / r;
      const len = length;
      // [m][r - 1] pairs w_len^(p k); p k reduced mod len keeps the angle exact.
      const twiddles = this.table(m * (r - 1), (i) => {
        const p = Math.floor(i / (r - 1));
        const k = (i % (r - 1)) + 1;
        return (sign * 2 * Math.PI * ((p * k) % len)) / len;
      });
      const roots = r > 5 ? this.table(r, (j) => (sign * 2 * Math.PI * j) / r) : 0;
      stages.push([r, m, stride, twiddles, roots]);
      stride *= r;
      length = m;
    }
    const plan = this.mem.alloc((STOCKHAM_HEADER_WORDS + STAGE_WORDS * stages.length) * 4);
    this.mem.i32().set([0, n, inverse ? 1 : 0, n, stages.length, ...stages.flat()], plan / 4);
    return plan;
  }

  private buildBluestein(n: number, inverse: boolean): number {
    const sign = inverse ? 1 : -1;
    const bigM = nextSmooth(2 * n - 1);
    const forward = this.complex(bigM, false);
    const backward = this.complex(bigM, true);
    // c_j = exp(sign i pi j^2 / n); j^2 mod 2n stays exact in float64 for n < 2^26.
    const chirpAngle = (j: number) => (sign * Math.PI * ((j * j) % (2 * n))) / n;
    const chirp = this.table(n, chirpAngle);
    // Filter: FFT_M of b with b_j = b_(M-j) = conj c_j for j < n, zero elsewhere; times 1 / M
    // so the backward transform needs no normalisation.
    const re = new Float64Array(bigM);
    const im = new Float64Array(bigM);
    for (let j = 0; j < n; j++) {
      const a = -chirpAngle(j);
      re[j] = Math.cos(a);
      im[j] = Math.sin(a);
      if (j > 0) {
        re[bigM - j] = re[j];
        im[bigM - j] = im[j];
      }
    }
    fft64(re, im);
    const filter = this.mem.alloc(bigM * 8);
    const f = this.mem.f32();
    for (let k = 0; k < bigM; k++) {
      f[filter / 4 + 2 * k] = re[k] / bigM;
      f[filter / 4 + 2 * k + 1] = im[k] / bigM;
    }
    const plan = this.mem.alloc(BLUESTEIN_WORDS * 4);
    this.mem.i32().set([1, n, inverse ? 1 : 0, bigM, bigM, chirp, filter, forward, backward], plan / 4);
    return plan;
  }

  /** Writes `count` (cos, sin) float32 pairs of angle(i) and returns their address. */
  private table(count: number, angle: (i: number) => number): number {
    const at = this.mem.alloc(count * 8);
    const f = this.mem.f32();
    for (let i = 0; i < count; i++) {
      const a = angle(i);
      f[at / 4 + 2 * i] = Math.cos(a);
      f[at / 4 + 2 * i + 1] = Math.sin(a);
    }
    return at;
  }
}

/**
 * In-place forward DFT in float64 (recursive mixed radix over the smallest prime factor), used
 * only to build Bluestein filters, whose length is 2,3,5-smooth.
 */
export function fft64(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / n);
    sin[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  fft64Step(re, im, cos, sin, 1);
}

/** One level: w_len^e = table[e * step] with len = n / step. */
function fft64Step(re: Float64Array, im: Float64Array, cos: Float64Array, sin: Float64Array, step: number): void {
  const n = re.length;
  if (n <= 1) return;
  let p = 2;
  while (n % p !== 0) p++;
  const len = n / p;
  const subRe: Float64Array[] = [];
  const subIm: Float64Array[] = [];
  for (let r = 0; r < p; r++) {
    const sr = new Float64Array(len);
    const si = new Float64Array(len);
    for (let j = 0; j < len; j++) {
      sr[j] = re[j * p + r];
      si[j] = im[j * p + r];
    }
    fft64Step(sr, si, cos, sin, step * p);
    subRe.push(sr);
    subIm.push(si);
  }
  // X_k = sum_r w_n^(r k) Y_r[k mod len]
  for (let k = 0; k < n; k++) {
    let xr = 0;
    let xi = 0;
    for (let r = 0; r < p; r++) {
      const e = ((r * k) % n) * step;
      const yr = subRe[r][k % len];
      const yi = subIm[r][k % len];
      xr += yr * cos[e] - yi * sin[e];
      xi += yr * sin[e] + yi * cos[e];
    }
    re[k] = xr;
    im[k] = xi;
  }
}
