/**
 * Every generator that affects training, so checkpoints can save it and evaluations can leave it
 * untouched: the trainer's own streams, the global generator, and generators held by the model.
 *
 * Model generators (Dropout's private stream, for one) are found by reflection over the module
 * tree, the way Module finds parameters: any field holding a Random, named by its dotted path.
 * ES `#private` fields are invisible to reflection; such state goes through `extraState`.
 */
import type { Module } from '../nn/module.ts';
import { Random, globalRandom } from '../random.ts';

/** A Random's state in JSON: four words and the spare normal (null when there is none). */
export type RandomJson = (number | null)[];

/** Generators held by the model's modules, by dotted field path; a shared one appears once. */
export function namedRandoms(model: Module): Map<string, Random> {
  const found = new Map<string, Random>();
  const seen = new Set<Random>();
  const add = (name: string, value: unknown) => {
    if (value instanceof Random && !seen.has(value)) {
      seen.add(value);
      found.set(name, value);
    }
  };
  const walk = (module: Module, prefix: string) => {
    for (const [name, value] of Object.entries(module)) {
      if (Array.isArray(value)) value.forEach((item, i) => add(`${prefix}${name}.${i}`, item));
      else add(prefix + name, value);
    }
    for (const [name, child] of module.namedChildren()) walk(child, `${prefix}${name}.`);
  };
  walk(model, '');
  return found;
}

export function encodeRandom(rng: Random): RandomJson {
  return rng.getState().map((v) => (Number.isNaN(v) ? null : v));
}

export function decodeRandom(rng: Random, state: unknown, what: string): void {
  if (!Array.isArray(state)) throw new Error(`resume: the checkpoint's ${what} generator state is missing`);
  rng.setState(state.map((v) => (v === null ? NaN : Number(v))));
}

/** Stream labels for deriveSeed: epoch k's generator depends on (seed, STREAM.epoch, k) alone. */
export const STREAM = { epoch: 1, loss: 2, validation: 3 } as const;

/** Saves the states of every generator outside the trainer that training may draw from. */
export function snapshotRandoms(model: Module): () => void {
  const randoms = [globalRandom, ...namedRandoms(model).values()];
  const states = randoms.map((r) => r.getState());
  return () => randoms.forEach((r, i) => r.setState(states[i]));
}
