/**
 * Rendering in Node: Vega-Lite compiles the spec to Vega, and a headless Vega View (renderer
 * 'none', no canvas or DOM) writes SVG. Text widths are estimated without a canvas, so label
 * layout is approximate but stable across machines.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CompiledSpec {
  /** The Vega spec. */
  spec: vega.Spec;
  /** Warnings Vega-Lite raised while compiling (e.g. an encoding it dropped). */
  warnings: string[];
}

/** Compiles a Vega-Lite spec, collecting warnings instead of printing them; throws on errors. */
export function compileSpec(spec: TopLevelSpec): CompiledSpec {
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
    return { spec: compile(spec, { logger }).spec, warnings };
  } catch (error) {
    // Vega-Lite reports some invalid specs only by failing inside (e.g. "reading 'filled'").
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.startsWith('vega-lite:') ? message : `vega-lite could not compile the spec: ${message}`, { cause: error });
  }
}

/** Renders a Vega-Lite spec to an SVG document string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
