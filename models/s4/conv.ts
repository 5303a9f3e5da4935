/**
 * FFTConv: the convolution layer around a long kernel that S4, S4D and SGConv share
 * (state-spaces/s4 `models/s4/s4.py`, `FFTConv`): y = K * u + D·u, one kernel per channel and
 * feature, computed by FFT. The kernel is any module producing K [channels, H, L]; SSM kernels
 * also give a recurrence for step-by-step inference.
 *
 * Bidirectional kernels (channels doubled; first half causal, second half anti-causal) are
 * joined as upstream does: k = pad(k0, (0, L)) + pad(flip(k1), (L, 0)) over n = Lk + L points,
 * which puts k1[j] at lag −(j+1). Upstream keeps this deliberate off-by-one (the "correct"
 * placement would share lag 0 with k0); we keep it too, so weights transfer unchanged.
 *
 * Deviations: no state forwarding (`forward(state=...)`), no `rate`, no kernel dropout.
 * Shapes: B batch, H width, L length, Lk kernel length, N2 complex modes, C channels.
 */
import {
  Module,
  causalConv,
  complexMul,
  expand,
  flip,
  globalRandom,
  irfft,
  narrow,
  pad,
  parameter,
  permute,
  reshape,
  rfft,
  unsqueeze,
  type Random,
  type Tensor,
} from '../../src/index.ts';

/** A module producing a convolution kernel from its parameters. */
export interface ConvolutionKernel {
  /** H, the number of features convolved. */
  readonly width: number;
  /** Kernel channels per feature (twice the layer's channels when bidirectional). */
  readonly channels: number;
  /** K [channels, H, length]. */
  forward(length: number): Tensor;
}

/** One step of a kernel's recurrence: u [B, H] → y [B, channels, H] (state [B, H, N2, 2] for SSMs, the last inputs for FIR kernels). */
export interface KernelRecurrence {
  initialState(batch: number): Tensor;
  step(u: Tensor, state: Tensor): { y: Tensor; state: Tensor };
}

/** A kernel that is also a linear recurrence (an SSM). */
export interface RecurrentKernel extends ConvolutionKernel {
  recurrence(): KernelRecurrence;
}

export interface FFTConvOptions {
  /** Output channels per feature, before bidirectional doubling (default 1). */
  channels?: number;
  /** Two-sided kernel (default false); the kernel must have 2·channels channels. */
  bidirectional?: boolean;
  /** Kernel length cap: the kernel has min(L, lMax) taps (default: L). */
  lMax?: number;
  rng?: Random;
}

/**
 * y = K * u + D·u for u [B, H, L] and K [C', H, Lk]: causal (C' = C) through `causalConv`, or
 * two-sided (C' = 2C) by FFT over n = Lk + L. Returns [B, C, H, L].
 */
export function fftConvolve(u: Tensor, k: Tensor, D: Tensor, options: { bidirectional: boolean }): Tensor {
  const [batch, width, length] = u.shape;
  const channels = D.shape[0];
  const u4 = unsqueeze(u, 1); // [B, 1, H, L]
  let y: Tensor;
  if (!options.bidirectional) {
    // causalConv broadcasts k's leading axes against u's; C > 1 needs u expanded to [B, C, H, L].
    y = causalConv(channels === 1 ? u4 : expand(u4, [batch, channels, width, length]), k); // [B, C, H, L]
  } else {
    const kernelLength = k.shape[2];
    const n = kernelLength + length;
    const k0 = pad(narrow(k, 0, 0, channels), [
      [0, 0],
      [0, 0],
      [0, length],
    ]); // [C, H, n]
    const k1 = pad(flip(narrow(k, 0, channels, channels), -1), [
      [0, 0],
      [0, 0],
      [length, 0],
    ]); // [C, H, n]
    const spectrum = complexMul(rfft(u4, n), rfft(k0.add(k1), n)); // [B, C, H, n/2+1, 2]
    y = narrow(irfft(spectrum, n), -1, 0, length); // [B, C, H, L]
  }
  return y.add(u4.mul(unsqueeze(D, -1))); // [B, C, H, L]
}

export class FFTConv<K extends Module & ConvolutionKernel> extends Module {
  kernel: K;
  /** Skip term D [C, H] (randn, as upstream). */
  D: Tensor;
  readonly channels: number;
  readonly bidirectional: boolean;
  readonly lMax: number | undefined;
  /** The recurrence, rebuilt when a kernel tensor changes (keyed by ids and mutation times). */
  private recurrenceCache: { key: string; recurrence: KernelRecurrence } | null = null;

  constructor(kernel: K, options: FFTConvOptions = {}) {
    super();
    this.channels = options.channels ?? 1;
    this.bidirectional = options.bidirectional ?? false;
    this.lMax = options.lMax;
    const expected = this.channels * (this.bidirectional ? 2 : 1);
    if (kernel.channels !== expected) throw new RangeError(`FFTConv: the kernel has ${kernel.channels} channels, expected ${expected}`);
    this.kernel = kernel;
    const rng = options.rng ?? globalRandom;
    this.D = parameter(rng.normalArray(this.channels * kernel.width), [this.channels, kernel.width]);
  }

  /** H */
  get width(): number {
    return this.kernel.width;
  }

  /** u [B, H, L] → [B, C·H, L] (channel-major: feature c·H + h). */
  forward(u: Tensor): Tensor {
    const [batch, width, length] = u.shape;
    if (u.rank !== 3 || width !== this.width) throw new RangeError(`FFTConv: expected u [B, ${this.width}, L], got [${u.shape.join(', ')}]`);
    const k = this.kernel.forward(this.lMax === undefined ? length : Math.min(length, this.lMax)); // [C', H, Lk]
    const y = fftConvolve(u, k, this.D, { bidirectional: this.bidirectional }); // [B, C, H, L]
    return reshape(y, [batch, this.channels * width, length]);
  }

  /** u [B, L, H] → [B, L, C·H]. */
  forwardBLH(u: Tensor): Tensor {
    return permute(this.forward(permute(u, [0, 2, 1])), [0, 2, 1]);
  }

  /** The recurrence of an SSM kernel (throws for kernels without one and for two-sided kernels). */
  recurrence(): KernelRecurrence {
    if (this.bidirectional) throw new Error('FFTConv: a bidirectional kernel is not causal and has no recurrent mode');
    const kernel = this.kernel as unknown as Partial<RecurrentKernel>;
    if (typeof kernel.recurrence !== 'function') throw new Error(`FFTConv: ${this.kernel.constructor.name} has no recurrent mode`);
    const key = [...this.kernel.namedTensors()].map(([, t]) => `${t.id}:${t.mutatedAt}`).join(',');
    if (this.recurrenceCache?.key !== key) this.recurrenceCache = { key, recurrence: kernel.recurrence() };
    return this.recurrenceCache.recurrence;
  }

  /** The zero state ([B, H, N2, 2] for SSMs). */
  initialState(batch: number): Tensor {
    return this.recurrence().initialState(batch);
  }

  /** One step: u [B, H] → y [B, C·H], with y = Σ C x' + D·u as upstream's FFTConv.step. */
  step(u: Tensor, state: Tensor): { y: Tensor; state: Tensor } {
    const [batch, width] = u.shape;
    const next = this.recurrence().step(u, state); // y [B, C, H]
    const y = next.y.add(unsqueeze(u, 1).mul(this.D)); // [B, C, H]
    return { y: reshape(y, [batch, this.channels * width]), state: next.state };
  }
}
