// The S4D layer of the benchmark in float64, forward and gradients, written out from its
// equations: what validates our output and gradients when PyTorch is not installed (and,
// with --f64, in any run). Slow by design (plain loops), but exact to float64 rounding.
//
//   dt = exp(inv_dt), A = −exp(A_real) − i·A_imag, dtA = dt·A, C' = C·(exp(dtA) − 1)/A
//   K[h, l] = 2·Re Σ_n C'[h, n]·exp(dtA[h, n]·l)
//   z = K ∗ u + D·u (causal),  a‖g = W·gelu(z) + bias (channels),  y = a·σ(g)
//
// Gradients of loss = Σ y, by hand. For a complex variable w = x + iy write g_w = ∂f/∂x + i·∂f/∂y;
// through a holomorphic w = φ(v), g_v = conj(φ'(v))·g_w; a real parameter t with w = c·t gets
// ∂f/∂t = Re(conj(g_w)·c). With E_l = exp(dtA·l), S = Σ_l dK_l·E_l, T = Σ_l dK_l·l·E_l:
// g_C' = 2·conj(S), and the kernel's own dependence on dtA gives g_dtA = 2·conj(C'·T).
//
// Layouts: u, z [B, H, L]; the 1x1 convolution works channel-major ([B, 2H, L]) like Conv1d.

import { kernelSpec } from '../../kernels/index.ts';

export interface LayerDims {
  batch: number;
  width: number;
  modes: number;
  length: number;
}

/** Our parameter names (S4Block with an S4D kernel, `s4dPresets.minimal`). */
export type ParamName =
  | 'layer.kernel.inv_dt'
  | 'layer.kernel.A_real'
  | 'layer.kernel.A_imag'
  | 'layer.kernel.C'
  | 'layer.D'
  | 'output_linear.0.weight'
  | 'output_linear.0.bias';

export interface ReferenceResult {
  /** [B, H, L] */
  y: Float64Array;
  /** Gradients of Σ y in our layout. */
  grads: Record<ParamName, Float64Array>;
}

const gelu = (x: Float64Array): Float64Array => kernelSpec('gelu').reference([x], [[x.length]], { approximate: 'none' }, [x.length]);
const geluGrad = (x: Float64Array): Float64Array => kernelSpec('geluGrad').reference([x], [[x.length]], { approximate: 'none' }, [x.length]);

/** In-place radix-2 complex FFT of length n (a power of two); inverse without the 1/n. */
class Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(readonly n: number) {
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.reversed = new Uint32Array(n);
    const bits = Math.log2(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const { n, reversed } = this;
    for (let i = 0; i < n; i++) {
      const j = reversed[i];
      if (j > i) {
        [re[i], re[j]] = [re[j], re[i]];
        [im[i], im[j]] = [im[j], im[i]];
      }
    }
    const sign = inverse ? 1 : -1;
    for (let size = 2; size <= n; size *= 2) {
      const half = size / 2;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step];
          const wi = sign * this.sin[k * step];
          const a = start + k;
          const b = a + half;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }

  /** The spectrum of a real row zero-padded to n. */
  real(row: ArrayLike<number>, offset: number, length: number): { re: Float64Array; im: Float64Array } {
    const re = new Float64Array(this.n);
    const im = new Float64Array(this.n);
    for (let i = 0; i < length; i++) re[i] = row[offset + i];
    this.transform(re, im, false);
    return { re, im };
  }
}

/** Forward pass and the gradients of Σ y, in float64. */
export function s4dLayerReference(params: Record<ParamName, Float32Array>, u: Float32Array, dims: LayerDims): ReferenceResult {
  const { batch: B, width: H, modes: N2, length: L } = dims;
  const n = 2 ** Math.ceil(Math.log2(2 * L));
  const fft = new Fft(n);
  const invDt = params['layer.kernel.inv_dt'];
  const Are = params['layer.kernel.A_real'];
  const Aim = params['layer.kernel.A_imag'];
  const C = params['layer.kernel.C'];
  const D = params['layer.D'];
  const W = params['output_linear.0.weight'];
  const bias = params['output_linear.0.bias'];

  // Discretisation per (h, n): A, dtA, q = (e^{dtA} − 1)/A, C' = C·q.
  const modes = H * N2;
  const [ar, ai, dr, di, qr, qi, cr, ci] = Array.from({ length: 8 }, () => new Float64Array(modes));
  for (let h = 0; h < H; h++) {
    const dt = Math.exp(invDt[h]);
    for (let m = 0; m < N2; m++) {
      const i = h * N2 + m;
      ar[i] = -Math.exp(Are[i]);
      ai[i] = -Aim[i];
      dr[i] = dt * ar[i];
      di[i] = dt * ai[i];
      const e = Math.exp(dr[i]);
      const [nr, ni] = [e * Math.cos(di[i]) - 1, e * Math.sin(di[i])]; // e^{dtA} − 1
      const den = ar[i] * ar[i] + ai[i] * ai[i];
      qr[i] = (nr * ar[i] + ni * ai[i]) / den;
      qi[i] = (ni * ar[i] - nr * ai[i]) / den;
      cr[i] = C[2 * i] * qr[i] - C[2 * i + 1] * qi[i];
      ci[i] = C[2 * i] * qi[i] + C[2 * i + 1] * qr[i];
    }
  }
  const K = new Float64Array(H * L);
  for (let i = 0; i < modes; i++) {
    const h = Math.floor(i / N2);
    for (let l = 0; l < L; l++) {
      const mag = Math.exp(dr[i] * l);
      K[h * L + l] += 2 * mag * (cr[i] * Math.cos(di[i] * l) - ci[i] * Math.sin(di[i] * l));
    }
  }

  // z = K ∗ u + D·u; the spectra of u are kept for dK.
  const kSpectra = Array.from({ length: H }, (_, h) => fft.real(K, h * L, L));
  const uSpectra: { re: Float64Array; im: Float64Array }[] = [];
  const z = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const row = (b * H + h) * L;
      const us = fft.real(u, row, L);
      uSpectra.push(us);
      const ks = kSpectra[h];
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      for (let f = 0; f < n; f++) {
        re[f] = us.re[f] * ks.re[f] - us.im[f] * ks.im[f];
        im[f] = us.re[f] * ks.im[f] + us.im[f] * ks.re[f];
      }
      fft.transform(re, im, true);
      for (let l = 0; l < L; l++) z[row + l] = re[l] / n + D[h] * u[row + l];
    }
  }

  // The 1x1 convolution and GLU, channel-major: pre [B, 2H, L].
  const act = gelu(z);
  const pre = new Float64Array(B * 2 * H * L);
  for (let b = 0; b < B; b++) {
    for (let o = 0; o < 2 * H; o++) {
      const out = (b * 2 * H + o) * L;
      pre.fill(bias[o], out, out + L);
      for (let h = 0; h < H; h++) {
        const w = W[o * H + h];
        const src = (b * H + h) * L;
        for (let l = 0; l < L; l++) pre[out + l] += w * act[src + l];
      }
    }
  }
  const y = new Float64Array(B * H * L);
  const dpre = new Float64Array(B * 2 * H * L);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const a = (b * 2 * H + h) * L;
      const g = (b * 2 * H + H + h) * L;
      for (let l = 0; l < L; l++) {
        const s = 1 / (1 + Math.exp(-pre[g + l]));
        y[(b * H + h) * L + l] = pre[a + l] * s;
        dpre[a + l] = s;
        dpre[g + l] = pre[a + l] * s * (1 - s);
      }
    }
  }

  // Gradients of the convolution's weight and bias, then back to z.
  const dW = new Float64Array(2 * H * H);
  const dBias = new Float64Array(2 * H);
  const dAct = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++) {
    for (let o = 0; o < 2 * H; o++) {
      const g = (b * 2 * H + o) * L;
      for (let l = 0; l < L; l++) dBias[o] += dpre[g + l];
      for (let h = 0; h < H; h++) {
        const src = (b * H + h) * L;
        let acc = 0;
        for (let l = 0; l < L; l++) acc += dpre[g + l] * act[src + l];
        dW[o * H + h] += acc;
        const w = W[o * H + h];
        for (let l = 0; l < L; l++) dAct[src + l] += w * dpre[g + l];
      }
    }
  }
  const slope = geluGrad(z);
  const dz = dAct.map((v, i) => v * slope[i]);

  // dD, and dK[h, j] = Σ_b Σ_l dz[b, h, l]·u[b, h, l − j] (a correlation, by FFT).
  const dD = new Float64Array(H);
  const dK = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let b = 0; b < B; b++) {
      const row = (b * H + h) * L;
      for (let l = 0; l < L; l++) dD[h] += dz[row + l] * u[row + l];
      const gs = fft.real(dz, row, L);
      const us = uSpectra[b * H + h];
      for (let f = 0; f < n; f++) {
        re[f] += gs.re[f] * us.re[f] + gs.im[f] * us.im[f]; // G·conj(U)
        im[f] += gs.im[f] * us.re[f] - gs.re[f] * us.im[f];
      }
    }
    fft.transform(re, im, true);
    for (let j = 0; j < L; j++) dK[h * L + j] = re[j] / n;
  }

  // Back through the Vandermonde kernel and the discretisation to the stored parameters.
  const dInvDt = new Float64Array(H);
  const dAre = new Float64Array(modes);
  const dAim = new Float64Array(modes);
  const dC = new Float64Array(2 * modes);
  for (let i = 0; i < modes; i++) {
    const h = Math.floor(i / N2);
    const dt = Math.exp(invDt[h]);
    let [sr, si, tr, ti] = [0, 0, 0, 0];
    for (let l = 0; l < L; l++) {
      const mag = Math.exp(dr[i] * l) * dK[h * L + l];
      const [er, ei] = [mag * Math.cos(di[i] * l), mag * Math.sin(di[i] * l)];
      sr += er;
      si += ei;
      tr += l * er;
      ti += l * ei;
    }
    const [gcr, gci] = [2 * sr, -2 * si]; // g_C' = 2·conj(S)
    let gdr = 2 * (cr[i] * tr - ci[i] * ti); // g_dtA = 2·conj(C'·T)
    let gdi = -2 * (cr[i] * ti + ci[i] * tr);
    // C' = C·q: g_C = conj(q)·g_C', g_q = conj(C)·g_C'
    dC[2 * i] = qr[i] * gcr + qi[i] * gci;
    dC[2 * i + 1] = qr[i] * gci - qi[i] * gcr;
    const [Cr, Ci] = [C[2 * i], C[2 * i + 1]];
    const gqr = Cr * gcr + Ci * gci;
    const gqi = Cr * gci - Ci * gcr;
    // q = (e^{dtA} − 1)/A: ∂q/∂dtA = e^{dtA}/A, ∂q/∂A = −q/A
    const e = Math.exp(dr[i]);
    const [er, ei] = [e * Math.cos(di[i]), e * Math.sin(di[i])];
    const den = ar[i] * ar[i] + ai[i] * ai[i];
    const [pr, pi] = [(er * ar[i] + ei * ai[i]) / den, (ei * ar[i] - er * ai[i]) / den]; // e^{dtA}/A
    const [mr, mi] = [-(qr[i] * ar[i] + qi[i] * ai[i]) / den, -(qi[i] * ar[i] - qr[i] * ai[i]) / den]; // −q/A
    gdr += pr * gqr + pi * gqi; // conj(p)·g_q
    gdi += pr * gqi - pi * gqr;
    // dtA = dt·A: g_A += dt·g_dtA (+ the q path), ∂f/∂dt = Re(conj(g_dtA)·A)
    const gar = mr * gqr + mi * gqi + dt * gdr;
    const gai = mr * gqi - mi * gqr + dt * gdi;
    dInvDt[h] += dt * (gdr * ar[i] + gdi * ai[i]);
    // A = −exp(A_real) − i·A_imag
    dAre[i] = ar[i] * gar; // −exp(A_real)·Re g_A
    dAim[i] = -gai;
  }
  return {
    y,
    grads: {
      'layer.kernel.inv_dt': dInvDt,
      'layer.kernel.A_real': dAre,
      'layer.kernel.A_imag': dAim,
      'layer.kernel.C': dC,
      'layer.D': dD,
      'output_linear.0.weight': dW,
      'output_linear.0.bias': dBias,
    },
  };
}
