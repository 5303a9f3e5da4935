/** Seeded parameters of realistic diagonal and DPLR systems, as arrays and as tensors. */
import { tensor, type Tensor } from '../../src/index.ts';
import { Random } from '../../src/random.ts';
import type { DiagonalArrays } from './reference.ts';

export interface SystemSize {
  channels: number;
  H: number;
  S: number;
  N2: number;
}

/**
 * dt log-uniform in [1e-3, 1e-1] (S4's default range), Re A = −1/2 and Im A alternating between
 * S4D-Lin (π·n) and S4D-Inv ((N/π)(N/(2n+1) − 1)) with random signs, B and C complex normal.
 */
export function diagonalArrays(seed: number, { channels, H, S, N2 }: SystemSize): DiagonalArrays {
  const rng = new Random(seed);
  const dt = Float32Array.from({ length: H }, () => Math.exp(Math.log(1e-3) + rng.uniform() * Math.log(100)));
  const A = new Float32Array(S * N2 * 2);
  for (let s = 0; s < S; s++) {
    for (let n = 0; n < N2; n++) {
      const N = 2 * N2;
      const imag = s % 2 === 0 ? Math.PI * n : (N / Math.PI) * (N / (2 * n + 1) - 1);
      A[(s * N2 + n) * 2] = -0.5;
      A[(s * N2 + n) * 2 + 1] = (rng.uniform() < 0.5 ? -1 : 1) * imag;
    }
  }
  const complexNormal = (n: number) => rng.normalArray(2 * n, 0, Math.SQRT1_2);
  return { dt, A, B: complexNormal(S * N2), C: complexNormal(channels * H * N2), channels, H, S, N2 };
}

export function diagonalTensors(p: DiagonalArrays, requiresGrad = false): { dt: Tensor; A: Tensor; B: Tensor; C: Tensor } {
  return {
    dt: tensor(p.dt, [p.H], { requiresGrad }),
    A: tensor(p.A, [p.S, p.N2, 2], { requiresGrad }),
    B: tensor(p.B, [p.S, p.N2, 2], { requiresGrad }),
    C: tensor(p.C, [p.channels, p.H, p.N2, 2], { requiresGrad }),
  };
}
