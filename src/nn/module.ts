/**
 * Module: a model's parameters and sub-modules, found by reflection over its fields, with
 * dotted names (`blocks.0.attn.qkv.weight`) that match PyTorch state dicts when fields are named
 * as upstream. Tensor fields that require gradients are parameters; other tensor fields are
 * buffers (saved, not trained). Arrays of modules or tensors are walked with their index.
 */
import { formatShape, sameShape } from '../../kernels/index.ts';
import { leaf } from '../engine/apply.ts';
import { engine } from '../engine/context.ts';
import { Tensor } from '../tensor.ts';

/** A trainable tensor: a leaf that requires gradients. */
export function parameter(data: Float32Array, shape: readonly number[]): Tensor {
  return leaf(data, shape, { requiresGrad: true });
}

/** A saved, untrained tensor (e.g. fixed filters, running statistics). */
export function buffer(data: Float32Array, shape: readonly number[]): Tensor {
  return leaf(data, shape);
}

export interface StateTensor {
  shape: readonly number[];
  data: Float32Array;
}

export class Module {
  /** Training mode (dropout active); switch with train() / eval(). */
  training = true;

  /** Child modules with their field names. */
  *namedChildren(): Generator<[string, Module]> {
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Module) yield [name, value];
      else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) if (item instanceof Module) yield [`${name}.${i}`, item];
      }
    }
  }

  /** Every tensor of this module and its descendants, parameters and buffers, by dotted name. */
  *namedTensors(prefix = ''): Generator<[string, Tensor]> {
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Tensor) yield [prefix + name, value];
      else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) if (item instanceof Tensor) yield [`${prefix}${name}.${i}`, item];
      }
    }
    for (const [name, child] of this.namedChildren()) yield* child.namedTensors(`${prefix}${name}.`);
  }

  /** Trainable tensors by dotted name; names are also written onto the tensors for messages. */
  namedParameters(): [string, Tensor][] {
    const list = [...this.namedTensors()].filter(([, t]) => t.requiresGrad);
    for (const [name, t] of list) t.name ??= name;
    return list;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  /** Sets training mode here and below. */
  train(mode = true): this {
    this.training = mode;
    for (const [, child] of this.namedChildren()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by dotted name (their current values, not copies). */
  stateDict(): Map<string, StateTensor> {
    const state = new Map<string, StateTensor>();
    for (const [name, t] of this.namedTensors()) {
      if (!t.storage) throw new Error(`stateDict: ${name} is not a leaf with data`);
      state.set(name, { shape: t.shape, data: t.storage.data });
    }
    return state;
  }

  /**
   * Copies values into this module's tensors. With `strict` (default) every name must match
   * both ways; shapes must always match. Returns the names it could not use and did not find.
   */
  loadStateDict(state: ReadonlyMap<string, StateTensor>, options: { strict?: boolean } = {}): { missing: string[]; unexpected: string[] } {
    const own = new Map(this.namedTensors());
    const missing = [...own.keys()].filter((name) => !state.has(name));
    const unexpected = [...state.keys()].filter((name) => !own.has(name));
    if ((options.strict ?? true) && (missing.length > 0 || unexpected.length > 0)) {
      throw new Error(`loadStateDict: missing ${missing.join(', ') || 'none'}; unexpected ${unexpected.join(', ') || 'none'}`);
    }
    for (const [name, source] of state) {
      const target = own.get(name);
      if (!target) continue;
      if (!sameShape(target.shape, source.shape)) {
        throw new Error(`loadStateDict: ${name} has shape ${formatShape(source.shape)} in the state, ${formatShape(target.shape)} in the model`);
      }
      target.storage!.data.set(source.data);
      target.mutatedAt = engine.tick();
    }
    return { missing, unexpected };
  }
}
