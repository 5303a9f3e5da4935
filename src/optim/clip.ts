/** Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_). */
import { realise } from '../engine/realise.ts';
import type { Tensor } from '../tensor.ts';

/**
 * Scales all gradients so that their joint L2 norm is at most maxNorm. Returns the norm before
 * clipping (accumulated in float64), which training loops log and check for NaN.
 */
export async function clipGradNorm(params: readonly Tensor[], maxNorm: number): Promise<number> {
  const withGrad = params.filter((p) => p.grad);
  await realise(withGrad.map((p) => p.grad!));
  let squares = 0;
  for (const p of withGrad) for (const g of p.grad!.storage!.data) squares += g * g;
  const norm = Math.sqrt(squares);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    // Two parameters may hold the very same gradient tensor (a + b gives both one gradient):
    // scale each buffer once.
    const buffers = new Set(withGrad.map((p) => p.grad!.storage!.data));
    for (const data of buffers) for (let i = 0; i < data.length; i++) data[i] *= scale;
  }
  return norm;
}
