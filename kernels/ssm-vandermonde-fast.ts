/**
 * CPU fast paths of the Vandermonde kernels (ssm-vandermonde.ts): float64 throughout, with the
 * powers exp(z·l) from the recurrence E_{l+1} = E_l·exp(z). The recurrence costs one complex
 * product per term instead of an exp, a cos and a sin; it is re-anchored every ANCHOR steps
 * from exp(z·l) itself (b·l is exact in float64 for float32 b and l < 2^29), so its rounding
 * never builds up beyond ANCHOR products (~1e-14 relative).
 */
import type { FastPathCall } from './types.ts';
import { adjointLayout, rowOffsets, vandermondeLayout } from './ssm-layout.ts';
import type { VandermondeAttrs } from './ssm-vandermonde.ts';

const ANCHOR = 256;
/** Below this factor of its size at l = 0, a decaying mode no longer reaches float32 outputs. */
const NEGLIGIBLE = 1e-60;

/** K[row, l] = 2·Re Σ_n c_n·exp(z_n·l), accumulated per row in float64. */
export function vandermondeFast({ inputs: [c, z], shapes, attrs: { length }, out }: FastPathCall<VandermondeAttrs>): boolean {
  const { lead, modes, cStrides, zStrides } = vandermondeLayout('vandermonde', shapes);
  const [cRows, zRows] = [rowOffsets(lead, cStrides), rowOffsets(lead, zStrides)];
  const acc = new Float64Array(length);
  for (let row = 0; row < cRows.length; row++) {
    acc.fill(0);
    for (let n = 0; n < modes; n++) {
      const [co, zo] = [cRows[row] + 2 * n, zRows[row] + 2 * n];
      accumulateMode(acc, c[co], c[co + 1], z[zo], z[zo + 1], length);
    }
    for (let l = 0; l < length; l++) out[row * length + l] = 2 * acc[l];
  }
  return true;
}

/** acc[l] += Re(c·exp(z·l)) for l < length. */
function accumulateMode(acc: Float64Array, cr: number, ci: number, a: number, b: number, length: number): void {
  const step = Math.exp(a);
  const [wr, wi] = [step * Math.cos(b), step * Math.sin(b)];
  for (let start = 0; start < length; start += ANCHOR) {
    const magnitude = Math.exp(a * start);
    // a decaying mode that has died out stays dead (and float64 denormals are slow)
    if (a < 0 && magnitude < NEGLIGIBLE) return;
    const [cos, sin] = [Math.cos(b * start), Math.sin(b * start)];
    let er = magnitude * (cr * cos - ci * sin);
    let ei = magnitude * (cr * sin + ci * cos);
    const end = Math.min(length, start + ANCHOR);
    for (let l = start; l < end; l++) {
      acc[l] += er;
      const next = er * wr - ei * wi;
      ei = er * wi + ei * wr;
      er = next;
    }
  }
}

/** out[row, n] = Σ_l g[row, l]·exp(z_n·l), accumulated in float64. */
export function vandermondeAdjointFast({ inputs: [g, z], shapes, out }: FastPathCall<Record<string, never>>): boolean {
  const { lead, modes, steps, gStrides, zStrides } = adjointLayout('vandermondeAdjoint', shapes);
  const [gRows, zRows] = [rowOffsets(lead, gStrides), rowOffsets(lead, zStrides)];
  for (let row = 0; row < gRows.length; row++) {
    for (let n = 0; n < modes; n++) {
      const zo = zRows[row] + 2 * n;
      const [re, im] = projectMode(g, gRows[row], steps, z[zo], z[zo + 1]);
      out[(row * modes + n) * 2] = re;
      out[(row * modes + n) * 2 + 1] = im;
    }
  }
  return true;
}

/** Σ_l g[offset + l]·exp((a + ib)·l) as (re, im). */
function projectMode(g: Float32Array, offset: number, steps: number, a: number, b: number): [number, number] {
  const step = Math.exp(a);
  const [wr, wi] = [step * Math.cos(b), step * Math.sin(b)];
  let [re, im] = [0, 0];
  for (let start = 0; start < steps; start += ANCHOR) {
    const magnitude = Math.exp(a * start);
    if (a < 0 && magnitude < NEGLIGIBLE) break;
    let er = magnitude * Math.cos(b * start);
    let ei = magnitude * Math.sin(b * start);
    const end = Math.min(steps, start + ANCHOR);
    for (let l = start; l < end; l++) {
      const v = g[offset + l];
      re += v * er;
      im += v * ei;
      const next = er * wr - ei * wi;
      ei = er * wi + ei * wr;
      er = next;
    }
  }
  return [re, im];
}
