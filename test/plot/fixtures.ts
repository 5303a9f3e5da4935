/** Small synthetic forecasts for the plot tests: an hourly sine with 80 % and 90 % intervals. */
import type { Series } from '../../src/data/types.ts';
import type { ScaleView, Signal, SignalForecast, StepsHorizon } from '../../src/forecast/types.ts';

export const HOUR = 3_600_000;
export const START = Date.UTC(2024, 0, 1);

/** The daily cycle with a trend; the series add a fast wiggle the forecasts do not know. */
const smooth = (t: number) => 10 + 3 * Math.sin((2 * Math.PI * t) / 24) + 0.02 * t;
const wave = (t: number) => smooth(t) + 0.4 * Math.sin(1.7 * t);

/** Hourly series of `length` steps from step `from`, NaN (and mask 0) at the `missing` steps. */
export function sineSeries(length: number, options: { from?: number; id?: string; missing?: number[] } = {}): Series {
  const { from = 0, id = 'sine', missing = [] } = options;
  const values = Float32Array.from({ length }, (_, i) => wave(from + i));
  const mask = new Uint8Array(length).fill(1);
  for (const i of missing) {
    values[i] = NaN;
    mask[i] = 0;
  }
  return { id, time: Float64Array.from({ length }, (_, i) => START + (from + i) * HOUR), values, mask };
}

function signal(values: Float32Array): Signal<StepsHorizon> {
  return { extent: [values.length], channels: 1, values };
}

/** Average pooling to 1, 2, 4, ... cells and the full horizon. */
function pyramid(point: Signal<StepsHorizon>): ScaleView<StepsHorizon>[] {
  const steps = point.extent[0];
  const sizes: number[] = [];
  for (let s = 1; s < steps; s *= 2) sizes.push(s);
  sizes.push(steps);
  return sizes.map((size) => {
    const values = Float32Array.from({ length: size }, (_, j) => {
      const a = Math.floor((j * steps) / size);
      const b = Math.floor(((j + 1) * steps) / size);
      let sum = 0;
      for (let t = a; t < b; t++) sum += point.values[t];
      return sum / (b - a);
    });
    return { extent: [size], point: size === steps ? point : signal(values) };
  });
}

/**
 * A forecast of `steps` steps from step `from` (the smooth cycle plus `bias`), with normal-shaped
 * quantiles for the given interval levels whose width grows with the lead time.
 */
export function sineForecast(
  steps: number,
  options: { from?: number; bias?: number; spread?: number; levels?: number[]; timed?: boolean; id?: string } = {},
): SignalForecast<StepsHorizon> {
  const { from = 200, bias = 0, spread = 0.5, levels = [80, 90], timed = false, id = 'sine' } = options;
  const z: Record<number, number> = { 50: 0.6745, 80: 1.2816, 90: 1.6449, 95: 1.96 };
  const point = signal(Float32Array.from({ length: steps }, (_, i) => smooth(from + i) + bias));
  const quantiles = new Map<number, Signal<StepsHorizon>>();
  for (const level of levels) {
    const q = Number((0.5 - level / 200).toFixed(10));
    const width = (i: number) => z[level] * spread * Math.sqrt(1 + i / 8);
    quantiles.set(q, signal(point.values.map((p, i) => p - width(i))));
    quantiles.set(Number((1 - q).toFixed(10)), signal(point.values.map((p, i) => p + width(i))));
  }
  return {
    id,
    ...(timed ? { time: Float64Array.from({ length: steps }, (_, i) => START + (from + i) * HOUR) } : {}),
    point,
    quantiles,
    scales: pyramid(point),
  };
}

/** Groups of the rendered SVG with the given mark class, e.g. 'mark-area', 'mark-line'. */
export function markGroups(svg: string, mark: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="${mark} role-mark[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g'))].map((m) => m[1]);
}

/** Visible text of the SVG (labels hidden by overlap removal have opacity 0). */
export function visibleTexts(svg: string): string[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].filter((m) => !/opacity="0"/.test(m[1])).map((m) => m[2]);
}
