/**
 * Rendering in Node: Vega-Lite compiles the spec to Vega, and a headless Vega View (renderer
 * 'none', no canvas or DOM) writes SVG. Text widths are estimated without a canvas, so label
 * layout is approximate but stable across machines.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite specification (vega-lite's `TopLevelSpec`) as a plain JSON object: what the spec
 * builders return and `renderSvg` takes. Declared loosely so that the package's types do not
 * pull in vega's and vega-lite's, which need the DOM lib; cast to `TopLevelSpec` to edit one
 * with vega-lite's types.
 */
export type PlotSpec = { readonly [key: string]: unknown };

export interface CompiledSpec {
  /** The Vega spec (vega's `Spec`), a plain JSON object. */
  spec: { readonly [key: string]: unknown };
  /** Warnings Vega-Lite raised while compiling (e.g. an encoding it dropped). */
  warnings: string[];
}

/** Compiles a Vega-Lite spec, collecting warnings instead of printing them; throws on errors. */
export function compileSpec(spec: PlotSpec): CompiledSpec {
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]): never {
      throw new Error(`vega-lite: ${args.join(' ')}`);
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  try {
    return { spec: compile(spec as unknown as TopLevelSpec, { logger }).spec as CompiledSpec['spec'], warnings };
  } catch (error) {
    // Vega-Lite reports some invalid specs only by failing inside (e.g. "reading 'filled'").
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.startsWith('vega-lite:') ? message : `vega-lite could not compile the spec: ${message}`, { cause: error });
  }
}

/** Renders a Vega-Lite spec to an SVG document string. */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
