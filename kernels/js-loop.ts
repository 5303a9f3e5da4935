/**
 * GPU.js kernel bodies run as plain JavaScript loops, for the CPU backends.
 *
 * A kernel body computes one output cell from `this.thread.x`. GPU.js's CPU modes run it per
 * cell too, but copy every input into their own memory and return a fresh output array per
 * call (the webasm mode: into wasm memory and back), which for cheap, memory-bound kernels
 * (elementwise, movement, indexing, reductions) costs more than the arithmetic. Here the same
 * source is compiled once per shape signature into `for (x = 0; x < n; x++) out[x] = body(x)`,
 * reading the engine's buffers directly and writing into a pooled output.
 *
 * Semantics: the body's arithmetic runs in float64 and rounds once when stored, where GPU.js
 * rounds every intermediate to float32; results agree within float32 tolerance (the kernel
 * tests check both against the float64 reference). Index arithmetic is exact beyond 2^24.
 */

export type Loop = (inputs: readonly Float32Array[], out: Float32Array) => void;

const compiled = new Map<string, Loop>();
const MAX_COMPILED = 2048;

/** Splits `function (a, b) { body }` into its parameter names and body. */
function parse(source: string): { params: string[]; body: string } {
  const match = /^\s*function\s*\w*\s*\(([^)]*)\)\s*\{([\s\S]*)\}\s*$/.exec(source);
  if (!match) throw new Error('js-loop: a kernel source must be a function expression');
  return {
    params: match[1]
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    body: match[2],
  };
}

/**
 * Compiles a kernel body (cached by source). The cell function is separate from the loop so
 * that V8 inlines it into one tight, monomorphic loop.
 */
export function compileLoop(source: string): Loop {
  let loop = compiled.get(source);
  if (loop) return loop;
  const { params, body } = parse(source);
  const cellBody = body.replace(/this\.thread\.x/g, '__x');
  const factory = new Function(
    `'use strict';
    const cell = function (${[...params, '__x'].join(', ')}) {${cellBody}};
    return function (inputs, out) {
      ${params.map((p, i) => `const ${p} = inputs[${i}];`).join('\n      ')}
      const n = out.length;
      for (let __x = 0; __x < n; __x++) out[__x] = cell(${[...params, '__x'].join(', ')});
    };`,
  );
  loop = factory() as Loop;
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(source, loop);
  return loop;
}
