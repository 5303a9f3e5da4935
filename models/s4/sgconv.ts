/**
 * SGConv: the structured global convolution kernel (Li, Cai, Zhang, Chen & Dey 2022, "What Makes
 * Convolutional Models Great on Long Sequence Modeling?", ICLR 2023), following ctlllll/SGConv
 * `gconv_standalone.py` (`GConv`, mode 'cat_randn'):
 *
 *   S = 1 + ⌈log2(lMax/d)⌉ sub-kernels k_i [C, H, d] (randn), sub-kernel i upsampled by
 *   2^max(i−1, 0) (linear interpolation, PyTorch `interpolate` with align_corners=False) and
 *   weighted by m^(S−1−i), m = `multiplier` (2 by default, i.e. a decay α = 1/m = ½ per scale);
 *   concatenated: lengths d, d, 2d, 4d, …, total T = d·2^(S−1) ≥ lMax, then cut or zero-padded to L;
 *   normalised by `kernel_norm` = ‖full kernel at initialisation‖₂ per (channel, feature).
 *
 * Parameters grow as S·d = O(d log(lMax/d)). The convolution and D·u are FFTConv's, as S4D's.
 * Deviations: the norm is computed at construction in float64 (upstream: at the first forward,
 * then stored; it is a buffer either way, [C, H, 1] as upstream after its first call); no
 * `init_scale`, learnable decay or 'sum' mode. SGConv is not a state space; its recurrent mode is
 * the convolution itself as an FIR filter over the last T inputs (a shift register), O(T) a step.
 *
 * Shapes: C channels, H width, d sub-kernel size, S scales, T full kernel length, L length.
 */
import {
  Module,
  buffer,
  concat,
  globalRandom,
  indexSelect,
  narrow,
  pad,
  parameter,
  sum,
  tensor,
  unsqueeze,
  zeros,
  type Random,
  type Tensor,
} from '../../src/index.ts';
import { FFTConv, type KernelRecurrence, type RecurrentKernel } from './conv.ts';

export type Interpolation = 'linear' | 'nearest';

/**
 * Source positions of upsampling d points by an integer factor s (PyTorch `interpolate`,
 * align_corners=False): out[j] = (1 − λ_j)·x[i0_j] + λ_j·x[i1_j], x_j = max(0, (j + ½)/s − ½),
 * i0 = ⌊x_j⌋, i1 = min(i0 + 1, d − 1), λ = x_j − i0; 'nearest' takes x[⌊j/s⌋].
 */
export function interpolationWeights(size: number, factor: number, mode: Interpolation): { i0: Int32Array; i1: Int32Array; lambda: Float64Array } {
  const out = size * factor;
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const lambda = new Float64Array(out);
  for (let j = 0; j < out; j++) {
    if (mode === 'nearest') {
      i0[j] = i1[j] = Math.min(size - 1, Math.floor(j / factor));
      continue;
    }
    const x = Math.max(0, (j + 0.5) / factor - 0.5);
    i0[j] = Math.min(size - 1, Math.floor(x));
    i1[j] = Math.min(i0[j] + 1, size - 1);
    lambda[j] = x - i0[j];
  }
  return { i0, i1, lambda };
}

/** Upsampling factor of sub-kernel i: 2^max(i − 1, 0). */
const scaleFactor = (i: number): number => 2 ** Math.max(i - 1, 0);

export interface SGConvKernelConfig {
  /** H */
  dModel: number;
  /** Kernel channels (default 1; twice the layer's channels when bidirectional). */
  channels?: number;
  /** d, the size of each sub-kernel (default 64, `kernel_dim`). */
  kernelDim?: number;
  /** The longest sequence; sets S = 1 + ⌈log2(lMax/d)⌉ (at least 1). */
  lMax: number;
  /** S, overriding the count from lMax (`n_scales`). */
  nScales?: number;
  /** The multiplier m per feature, linspace(decayMin, decayMax, H) (default 2 and 2). */
  decayMin?: number;
  decayMax?: number;
  /** Default 'linear' (mode 'cat_randn'); 'nearest' as mode 'cat_randn_nearest'. */
  interpolation?: Interpolation;
  rng?: Random;
}

export class SGConvKernel extends Module implements RecurrentKernel {
  /** The sub-kernels, S × [C, H, d] (upstream `kernel_list.i`). */
  kernel_list: Tensor[];
  /** m [1, H, 1] (a buffer). */
  multiplier: Tensor;
  /** ‖initial full kernel‖₂ [C, H, 1] (a buffer). */
  kernel_norm: Tensor;
  readonly width: number;
  readonly channels: number;
  readonly interpolation: Interpolation;

  constructor(config: SGConvKernelConfig) {
    super();
    const { dModel: H, channels = 1, kernelDim: d = 64, decayMin = 2, decayMax = 2 } = config;
    const rng = config.rng ?? globalRandom;
    const scales = config.nScales ?? Math.max(1, 1 + Math.ceil(Math.log2(config.lMax / d)));
    this.width = H;
    this.channels = channels;
    this.interpolation = config.interpolation ?? 'linear';
    this.kernel_list = Array.from({ length: scales }, () => parameter(rng.normalArray(channels * H * d), [channels, H, d]));
    const m = Float32Array.from({ length: H }, (_, h) => (H === 1 ? decayMin : decayMin + ((decayMax - decayMin) * h) / (H - 1)));
    this.multiplier = buffer(m, [1, H, 1]);
    this.kernel_norm = buffer(this.initialNorm(), [channels, H, 1]);
  }

  /** d */
  get kernelDim(): number {
    return this.kernel_list[0].shape[2];
  }

  /** T = d·2^(S−1), the full kernel length. */
  get fullLength(): number {
    return this.kernelDim * 2 ** (this.kernel_list.length - 1);
  }

  /** ‖k‖₂ over the full length per row, in float64 from the initial values (the same formula as forward). */
  private initialNorm(): Float32Array {
    const d = this.kernelDim;
    const rows = this.channels * this.width;
    const scales = this.kernel_list.length;
    const squares = new Float64Array(rows);
    const multiplier = this.multiplier.dataSync();
    this.kernel_list.forEach((k, i) => {
      const { i0, i1, lambda } = interpolationWeights(d, scaleFactor(i), this.interpolation);
      const data = k.dataSync();
      for (let r = 0; r < rows; r++) {
        const weight = multiplier[r % this.width] ** (scales - 1 - i);
        for (let j = 0; j < i0.length; j++) {
          const v = weight * ((1 - lambda[j]) * data[r * d + i0[j]] + lambda[j] * data[r * d + i1[j]]);
          squares[r] += v * v;
        }
      }
    });
    return Float32Array.from(squares, Math.sqrt);
  }

  /** K [C, H, length]: the concatenated, weighted, upsampled sub-kernels cut or padded to length, over kernel_norm. */
  forward(length: number): Tensor {
    const d = this.kernelDim;
    const scales = this.kernel_list.length;
    const pieces: Tensor[] = [];
    let offset = 0;
    for (let i = 0; i < scales && offset < length; i++) {
      const factor = scaleFactor(i);
      let piece = this.kernel_list[i].mul(this.multiplier.pow(scales - 1 - i)); // [C, H, d]
      if (factor > 1) {
        const { i0, i1, lambda } = interpolationWeights(d, factor, this.interpolation);
        const w = tensor(lambda, [lambda.length]);
        const lo = indexSelect(piece, -1, tensor(i0, [i0.length]));
        piece =
          this.interpolation === 'nearest'
            ? lo
            : lo.add(
                indexSelect(piece, -1, tensor(i1, [i1.length]))
                  .sub(lo)
                  .mul(w),
              ); // [C, H, d·s]
      }
      const kept = Math.min(d * factor, length - offset);
      pieces.push(kept < d * factor ? narrow(piece, -1, 0, kept) : piece);
      offset += kept;
    }
    const k = pad(concat(pieces, -1), [
      [0, 0],
      [0, 0],
      [0, length - offset],
    ]); // [C, H, length]
    return k.div(this.kernel_norm);
  }

  /**
   * Step-by-step convolution with the full-length kernel: the state holds the last T inputs,
   * newest first ([B, H, T]), and y_t = Σ_j k_j u_{t−j}. Matches forward(L) for t < L ≤ T,
   * since forward(L) is the first L taps of the full kernel.
   */
  recurrence(): KernelRecurrence {
    const taps = this.fullLength;
    const k = this.forward(taps); // [C, H, T]
    return {
      initialState: (batch) => zeros([batch, this.width, taps]),
      step: (u, state) => {
        const shifted = concat([unsqueeze(u, -1), narrow(state, -1, 0, taps - 1)], -1); // [B, H, T]
        const y = sum(unsqueeze(shifted, 1).mul(k), -1); // [B, C, H]
        return { y, state: shifted };
      },
    };
  }
}

export interface SGConvConfig extends Omit<SGConvKernelConfig, 'channels'> {
  /** Output channels per feature (default 1). */
  channels?: number;
  bidirectional?: boolean;
}

/** An SGConv layer: FFTConv around an SGConvKernel (u [B, H, L] → y [B, C·H, L]). */
export type SGConv = FFTConv<SGConvKernel>;

export function createSGConv(config: SGConvConfig): SGConv {
  const { channels = 1, bidirectional = false, ...kernel } = config;
  const rng = config.rng ?? globalRandom;
  return new FFTConv(new SGConvKernel({ ...kernel, channels: channels * (bidirectional ? 2 : 1), rng }), { channels, bidirectional, rng });
}
