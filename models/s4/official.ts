/**
 * Loading state-spaces/s4 weights (README.md, "Parameter mapping"):
 *
 * - `loadOfficialS4StateDict`: the full classes (`models/s4/s4.py` FFTConv with SSMKernelDPLR or
 *   SSMKernelDiag, or an S4Block around one). Our names and shapes are theirs, so this is a
 *   checked copy plus three conversions: int64 `l_kernel` and any numeric dtype to float32;
 *   `inv_dt` between dt transforms when the checkpoint's differs from the layer's; and a
 *   checkpoint B folded into C (C ← B ⊙ C) when the layer keeps B ≡ 1.
 * - `loadMinimalS4DStateDict`: the minimal `models/s4/s4d.py` S4D module into an S4Block with an
 *   S4D kernel: log_dt → inv_dt, log_A_real → A_real, A_imag → A_imag with A and C conjugated
 *   (s4d.py uses A = −e^{log_A_real} + i·A_imag; the full class −i·A_imag: conjugating both A
 *   and C leaves K = 2·Re Σ … unchanged), B ≡ 1, D (H) → (1, H), Conv1d weight (2H, H, 1) → (2H, H).
 *
 * State dicts are name → {shape, data} maps (e.g. from a safetensors export of the .pth).
 */
import type { Module } from '../../src/index.ts';
import type { S4Block } from './block.ts';
import type { ConvolutionKernel, FFTConv } from './conv.ts';
import { inverseTransform, positiveValue, type PositiveTransform } from './init.ts';
import { S4DKernel } from './s4d.ts';
import { S4Kernel } from './s4.ts';

/** One tensor of a source state dict; data in any numeric type (int64 arrives as numbers). */
export interface SourceTensor {
  shape: readonly number[];
  data: ArrayLike<number> | ArrayLike<bigint>;
}

export interface OfficialLoadOptions {
  /** Prepended to our names to find the source ones (e.g. 'model.layers.0.layer.'); default ''. */
  prefix?: string;
  /** The dt transform the checkpoint was trained with, when it differs from the layer's. */
  sourceDtTransform?: PositiveTransform;
  /** Throw on names missing on either side (default true). */
  strict?: boolean;
}

/** A converted tensor, ready for Module.loadStateDict. */
interface StateTensor {
  shape: readonly number[];
  data: Float32Array;
}

export interface LoadReport {
  missing: string[];
  unexpected: string[];
}

type Target = S4Block | FFTConv<Module & ConvolutionKernel>;

const toFloat32 = (data: ArrayLike<number> | ArrayLike<bigint>): Float32Array => Float32Array.from(data as ArrayLike<number>, (x) => Number(x));

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Kernels (and their dotted path) inside a target. */
function kernelsOf(target: Module): [string, S4Kernel | S4DKernel][] {
  const found: [string, S4Kernel | S4DKernel][] = [];
  const visit = (module: Module, path: string): void => {
    if (module instanceof S4Kernel || module instanceof S4DKernel) found.push([path, module]);
    for (const [name, child] of module.namedChildren()) visit(child, `${path}${name}.`);
  };
  visit(target, '');
  return found;
}

/** Writes converted tensors into the target and reports what the source lacked or had extra. */
function finish(target: Module, values: Map<string, StateTensor>, unexpected: string[], strict: boolean): LoadReport {
  const own = new Map(target.namedTensors());
  const missing = [...own.keys()].filter((name) => !values.has(name));
  if (strict && (missing.length > 0 || unexpected.length > 0)) {
    throw new Error(`loading S4 weights: missing ${missing.join(', ') || 'none'}; unexpected ${unexpected.join(', ') || 'none'}`);
  }
  for (const [name, value] of values) {
    const t = own.get(name)!;
    if (!sameShape(t.shape, value.shape))
      throw new Error(`loading S4 weights: ${name} has shape [${value.shape.join(', ')}] in the source, [${t.shape.join(', ')}] here`);
  }
  target.loadStateDict(values, { strict: false });
  return { missing, unexpected };
}

/**
 * Loads an official FFTConv / S4Block state dict (names: `kernel.inv_dt` (H, 1), `kernel.A_real`,
 * `kernel.A_imag` (S, N2), `kernel.B`, `kernel.P` (1, S, N2, 2), `kernel.C` (C, H, N2, 2) holding C̃,
 * `kernel.l_kernel` (), `D` (C, H); in a block `layer.` before them and `output_linear.0.*`).
 */
export function loadOfficialS4StateDict(target: Target, tensors: ReadonlyMap<string, SourceTensor>, options: OfficialLoadOptions = {}): LoadReport {
  const prefix = options.prefix ?? '';
  const own = new Map(target.namedTensors());
  const values = new Map<string, StateTensor>();
  const unexpected: string[] = [];
  for (const [sourceName, source] of tensors) {
    const name = sourceName.slice(prefix.length);
    if (sourceName.startsWith(prefix) && (own.has(name) || name.endsWith('kernel.B')))
      values.set(name, { shape: [...source.shape], data: toFloat32(source.data) });
    else unexpected.push(sourceName);
  }
  for (const [path, kernel] of kernelsOf(target)) {
    const P = values.get(`${path}P`);
    if (P && P.shape[0] !== 1) throw new Error(`loading S4 weights: ${path}P has rank ${P.shape[0]}; only rank 1 is supported`);
    const invDt = values.get(`${path}inv_dt`);
    if (invDt && invDt.shape[1] !== 1)
      throw new Error(`loading S4 weights: ${path}inv_dt is [${invDt.shape.join(', ')}]; only dt tied over the state (dt_tie) is supported`);
    const ours = kernel instanceof S4Kernel ? kernel.transforms.dtTransform : kernel.settings.dtTransform;
    const theirs = options.sourceDtTransform ?? ours;
    if (invDt && theirs !== ours) invDt.data = invDt.data.map((x) => inverseTransform(positiveValue(x, theirs), ours));
    const B = values.get(`${path}B`);
    if (B && !kernel.B) {
      // B ≡ 1 here: fold the checkpoint's B into C, C[c, h, n] ← C[c, h, n]·B[h mod S, n].
      values.delete(`${path}B`);
      const C = values.get(`${path}C`);
      if (C) {
        const [channels, width, modes] = C.shape;
        const copies = B.shape[1];
        const folded = new Float32Array(C.data.length);
        for (let i = 0; i < channels * width * modes; i++) {
          const n = i % modes;
          const b = (((Math.floor(i / modes) % width) % copies) * modes + n) * 2;
          const [cr, ci, br, bi] = [C.data[2 * i], C.data[2 * i + 1], B.data[b], B.data[b + 1]];
          [folded[2 * i], folded[2 * i + 1]] = [cr * br - ci * bi, cr * bi + ci * br];
        }
        C.data = folded;
      }
    }
  }
  for (const name of values.keys()) {
    if (!own.has(name)) {
      values.delete(name);
      unexpected.push(prefix + name);
    }
  }
  return finish(target, values, unexpected, options.strict ?? true);
}

/**
 * Loads the minimal s4d.py S4D module (`kernel.log_dt` (H), `kernel.log_A_real`, `kernel.A_imag`
 * (H, N2), `kernel.C` (H, N2, 2), `D` (H), `output_linear.0.weight` (2H, H, 1), `.bias` (2H))
 * into an S4Block around an S4D kernel with n_ssm = H and one channel.
 */
export function loadMinimalS4DStateDict(
  block: S4Block,
  tensors: ReadonlyMap<string, SourceTensor>,
  options: Omit<OfficialLoadOptions, 'sourceDtTransform'> = {},
): LoadReport {
  const kernel = block.layer.kernel;
  if (!(kernel instanceof S4DKernel)) throw new Error('loadMinimalS4DStateDict: the block must wrap an S4D kernel');
  const prefix = options.prefix ?? '';
  const [H, N2] = [kernel.width, kernel.A_real.shape[1]];
  const expected: Record<string, number[]> = {
    'kernel.log_dt': [H],
    'kernel.log_A_real': [H, N2],
    'kernel.A_imag': [H, N2],
    'kernel.C': [H, N2, 2],
    D: [H],
    'output_linear.0.weight': [2 * H, H, 1],
    'output_linear.0.bias': [2 * H],
  };
  if (!sameShape(kernel.A_real.shape, [H, N2]) || kernel.channels !== 1)
    throw new Error('loadMinimalS4DStateDict: s4d.py has n_ssm = H and one causal channel');
  const get = (name: string): Float32Array | undefined => {
    const t = tensors.get(prefix + name);
    if (t && !sameShape(t.shape, expected[name]))
      throw new Error(`loadMinimalS4DStateDict: ${prefix + name} has shape [${t.shape.join(', ')}], expected [${expected[name].join(', ')}]`);
    return t ? toFloat32(t.data) : undefined;
  };
  const { dtTransform, realTransform, imagTransform } = kernel.settings;
  const convert = (data: Float32Array, to: PositiveTransform) => data.map((x) => inverseTransform(Math.exp(x), to));
  const values = new Map<string, StateTensor>();
  const put = (name: string, data: Float32Array | undefined, shape: readonly number[]) => data && values.set(name, { shape, data });
  const logDt = get('kernel.log_dt');
  put('layer.kernel.inv_dt', logDt && convert(logDt, dtTransform), [H, 1]);
  const logAReal = get('kernel.log_A_real');
  put('layer.kernel.A_real', logAReal && convert(logAReal, realTransform), [kernel.A_real.shape[0], N2]);
  const aImag = get('kernel.A_imag');
  put(
    'layer.kernel.A_imag',
    aImag?.map((x) => inverseTransform(x, imagTransform)),
    [kernel.A_imag.shape[0], N2],
  );
  const C = get('kernel.C');
  put(
    'layer.kernel.C',
    C?.map((x, i) => (i % 2 === 1 ? -x : x)),
    [1, H, N2, 2],
  );
  if (kernel.B)
    put(
      'layer.kernel.B',
      Float32Array.from({ length: kernel.B.size }, (_, i) => (i % 2 === 0 ? 1 : 0)),
      kernel.B.shape,
    );
  put('layer.D', get('D'), [1, H]);
  put('output_linear.0.weight', get('output_linear.0.weight'), [2 * H, H]);
  put('output_linear.0.bias', get('output_linear.0.bias'), [2 * H]);
  const known = new Set(Object.keys(expected).map((n) => prefix + n));
  const unexpected = [...tensors.keys()].filter((name) => !known.has(name));
  return finish(block, values, unexpected, options.strict ?? true);
}
