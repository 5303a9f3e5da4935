/**
 * CPU fast paths of the Vandermonde kernels (ssm-vandermonde.ts): float64 throughout, with the
 * powers exp(z·l) from the recurrence E_{l+1} = E_l·exp(z). The recurrence costs one complex
 * product per term instead of an exp, a cos and a sin; it is re-anchored every ANCHOR steps
 * from exp(z·l) itself (b·l is exact in float64 for float32 b and l < 2^29), so its rounding
 * never builds up beyond ANCHOR products (~1e-14 relative).
 *
 * One recurrence is a chain of dependent multiplies, so the loops advance four modes side by
 * side (independent chains the CPU overlaps): about 3× faster than one mode at a time.
 */
import type { FastPathCall } from './types.ts';
import { adjointLayout, rowOffsets, vandermondeLayout } from './ssm-layout.ts';
import type { VandermondeAttrs } from './ssm-vandermonde.ts';

const ANCHOR = 256;
/** Below this factor of its size at l = 0, a decaying mode no longer reaches float32 outputs. */
const NEGLIGIBLE = 1e-60;
const LANES = 4;

/**
 * Four modes of one row: lane j holds c·exp(z·start) (the anchor, 0 for absent lanes and
 * modes that have died out) and the step exp(z), as (re, im) pairs.
 */
class Lanes {
  readonly anchor = new Float64Array(2 * LANES);
  readonly step = new Float64Array(2 * LANES);
  private readonly a = new Float64Array(LANES);
  private readonly b = new Float64Array(LANES);
  private readonly c = new Float64Array(2 * LANES);

  /** Loads modes first .. first + count − 1 (count ≤ 4); c = null means c = 1. */
  load(c: Float32Array | null, co: number, z: Float32Array, zo: number, count: number): void {
    for (let j = 0; j < LANES; j++) {
      const present = j < count;
      this.a[j] = present ? z[zo + 2 * j] : 0;
      this.b[j] = present ? z[zo + 2 * j + 1] : 0;
      this.c[2 * j] = present ? (c ? c[co + 2 * j] : 1) : 0;
      this.c[2 * j + 1] = present && c ? c[co + 2 * j + 1] : 0;
      const magnitude = present ? Math.exp(this.a[j]) : 0;
      this.step[2 * j] = magnitude * Math.cos(this.b[j]);
      this.step[2 * j + 1] = magnitude * Math.sin(this.b[j]);
    }
  }

  /** Sets the anchors to c·exp(z·start); false when every lane is zero from here on. */
  anchorAt(start: number): boolean {
    let alive = false;
    for (let j = 0; j < LANES; j++) {
      const magnitude = Math.exp(this.a[j] * start);
      const dead = this.a[j] < 0 && magnitude < NEGLIGIBLE; // and float64 denormals are slow
      const cos = Math.cos(this.b[j] * start);
      const sin = Math.sin(this.b[j] * start);
      const cr = this.c[2 * j];
      const ci = this.c[2 * j + 1];
      this.anchor[2 * j] = dead ? 0 : magnitude * (cr * cos - ci * sin);
      this.anchor[2 * j + 1] = dead ? 0 : magnitude * (cr * sin + ci * cos);
      alive ||= this.anchor[2 * j] !== 0 || this.anchor[2 * j + 1] !== 0;
    }
    return alive;
  }
}

/** K[row, l] = 2·Re Σ_n c_n·exp(z_n·l), accumulated per row in float64. */
export function vandermondeFast({ inputs: [c, z], shapes, attrs: { length }, out }: FastPathCall<VandermondeAttrs>): boolean {
  const { lead, modes, cStrides, zStrides } = vandermondeLayout('vandermonde', shapes);
  const [cRows, zRows] = [rowOffsets(lead, cStrides), rowOffsets(lead, zStrides)];
  const acc = new Float64Array(length);
  const lanes = new Lanes();
  for (let row = 0; row < cRows.length; row++) {
    acc.fill(0);
    for (let n = 0; n < modes; n += LANES) {
      lanes.load(c, cRows[row] + 2 * n, z, zRows[row] + 2 * n, Math.min(LANES, modes - n));
      accumulate(acc, lanes, length);
    }
    for (let l = 0; l < length; l++) out[row * length + l] = 2 * acc[l];
  }
  return true;
}

/** acc[l] += Σ_j Re(c_j·exp(z_j·l)) over the four lanes. */
function accumulate(acc: Float64Array, lanes: Lanes, length: number): void {
  const { anchor: e, step: w } = lanes;
  // plain locals throughout: destructured array literals would be allocated at every anchor
  const wr0 = w[0],
    wi0 = w[1],
    wr1 = w[2],
    wi1 = w[3],
    wr2 = w[4],
    wi2 = w[5],
    wr3 = w[6],
    wi3 = w[7];
  for (let start = 0; start < length && lanes.anchorAt(start); start += ANCHOR) {
    let er0 = e[0],
      ei0 = e[1],
      er1 = e[2],
      ei1 = e[3],
      er2 = e[4],
      ei2 = e[5],
      er3 = e[6],
      ei3 = e[7];
    const end = Math.min(length, start + ANCHOR);
    for (let l = start; l < end; l++) {
      acc[l] += er0 + er1 + er2 + er3;
      const t0 = er0 * wr0 - ei0 * wi0;
      ei0 = er0 * wi0 + ei0 * wr0;
      er0 = t0;
      const t1 = er1 * wr1 - ei1 * wi1;
      ei1 = er1 * wi1 + ei1 * wr1;
      er1 = t1;
      const t2 = er2 * wr2 - ei2 * wi2;
      ei2 = er2 * wi2 + ei2 * wr2;
      er2 = t2;
      const t3 = er3 * wr3 - ei3 * wi3;
      ei3 = er3 * wi3 + ei3 * wr3;
      er3 = t3;
    }
  }
}

/** out[row, n] = Σ_l g[row, l]·exp(z_n·l), accumulated in float64. */
export function vandermondeAdjointFast({ inputs: [g, z], shapes, out }: FastPathCall<Record<string, never>>): boolean {
  const { lead, modes, steps, gStrides, zStrides } = adjointLayout('vandermondeAdjoint', shapes);
  const [gRows, zRows] = [rowOffsets(lead, gStrides), rowOffsets(lead, zStrides)];
  const lanes = new Lanes();
  const sums = new Float64Array(2 * LANES);
  for (let row = 0; row < gRows.length; row++) {
    for (let n = 0; n < modes; n += LANES) {
      const count = Math.min(LANES, modes - n);
      lanes.load(null, 0, z, zRows[row] + 2 * n, count);
      project(sums, g, gRows[row], steps, lanes);
      for (let j = 0; j < count; j++) {
        out[(row * modes + n + j) * 2] = sums[2 * j];
        out[(row * modes + n + j) * 2 + 1] = sums[2 * j + 1];
      }
    }
  }
  return true;
}

/** sums[j] = Σ_l g[offset + l]·exp(z_j·l) over the four lanes, as (re, im) pairs. */
function project(sums: Float64Array, g: Float32Array, offset: number, steps: number, lanes: Lanes): void {
  const { anchor: e, step: w } = lanes;
  const wr0 = w[0],
    wi0 = w[1],
    wr1 = w[2],
    wi1 = w[3],
    wr2 = w[4],
    wi2 = w[5],
    wr3 = w[6],
    wi3 = w[7];
  let re0 = 0,
    im0 = 0,
    re1 = 0,
    im1 = 0,
    re2 = 0,
    im2 = 0,
    re3 = 0,
    im3 = 0;
  for (let start = 0; start < steps && lanes.anchorAt(start); start += ANCHOR) {
    let er0 = e[0],
      ei0 = e[1],
      er1 = e[2],
      ei1 = e[3],
      er2 = e[4],
      ei2 = e[5],
      er3 = e[6],
      ei3 = e[7];
    const end = Math.min(steps, start + ANCHOR);
    for (let l = start; l < end; l++) {
      const v = g[offset + l];
      re0 += v * er0;
      im0 += v * ei0;
      re1 += v * er1;
      im1 += v * ei1;
      re2 += v * er2;
      im2 += v * ei2;
      re3 += v * er3;
      im3 += v * ei3;
      const t0 = er0 * wr0 - ei0 * wi0;
      ei0 = er0 * wi0 + ei0 * wr0;
      er0 = t0;
      const t1 = er1 * wr1 - ei1 * wi1;
      ei1 = er1 * wi1 + ei1 * wr1;
      er1 = t1;
      const t2 = er2 * wr2 - ei2 * wi2;
      ei2 = er2 * wi2 + ei2 * wr2;
      er2 = t2;
      const t3 = er3 * wr3 - ei3 * wi3;
      ei3 = er3 * wi3 + ei3 * wr3;
      er3 = t3;
    }
  }
  sums[0] = re0;
  sums[1] = im0;
  sums[2] = re1;
  sums[3] = im1;
  sums[4] = re2;
  sums[5] = im2;
  sums[6] = re3;
  sums[7] = im3;
}
