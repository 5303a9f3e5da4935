/**
 * The one crossing from vega-lite's `TopLevelSpec`, which the spec builders are written against,
 * to the package's loosely declared `PlotSpec` (a file of its own so that no declaration a user
 * loads imports vega-lite).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PlotSpec } from './render.ts';

/** A spec built against vega-lite's types, as the package declares it. */
export function plotSpec(spec: TopLevelSpec): PlotSpec {
  return spec as unknown as PlotSpec;
}
