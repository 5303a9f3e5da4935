/**
 * The multi-resolution view of a forecast for models that do not produce one natively: the
 * horizon average-pooled to 1, 2, 4, ... cells (and finally the full resolution), the pyramid
 * a next-scale model generates coarse to fine (VAR, Tian et al. 2024; CARP for 1-D).
 */
import type { Extent, ScaleView, Signal, StepsHorizon } from './types.ts';

/** Pyramid sizes for a horizon: powers of two below it, then the horizon itself. */
export function scaleSizes(steps: number): number[] {
  const sizes: number[] = [];
  for (let s = 1; s < steps; s *= 2) sizes.push(s);
  sizes.push(steps);
  return sizes;
}

/**
 * Averages a [steps, C] signal into `size` cells. Cell j covers steps [⌊j·steps/size⌋,
 * ⌊(j+1)·steps/size⌋), the area-interpolation rule VAR uses to build its scales.
 */
export function poolSteps(signal: Signal<StepsHorizon>, size: number): Signal<StepsHorizon> {
  const [steps] = signal.extent;
  const c = signal.channels;
  const out = new Float32Array(size * c);
  for (let j = 0; j < size; j++) {
    const start = Math.floor((j * steps) / size);
    const end = Math.max(start + 1, Math.floor(((j + 1) * steps) / size));
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let t = start; t < end; t++) sum += signal.values[t * c + ch];
      out[j * c + ch] = sum / (end - start);
    }
  }
  return { extent: [size] as Extent<StepsHorizon>, channels: c, values: out };
}

/** The pooled pyramid of a series forecast, coarse to fine. */
export function pooledScales(point: Signal<StepsHorizon>): ScaleView<StepsHorizon>[] {
  return scaleSizes(point.extent[0]).map((size) => ({
    extent: [size] as Extent<StepsHorizon>,
    point: size === point.extent[0] ? point : poolSteps(point, size),
  }));
}
