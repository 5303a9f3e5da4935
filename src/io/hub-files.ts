/**
 * Which files of a Hub repository make a Hugging Face safetensors checkpoint, as
 * `transformers` saves one: `config.json` and either `model.safetensors` or, when sharded,
 * `model.safetensors.index.json` with the shards beside it. For `downloadHubSnapshot`'s
 * `files` option; the rest of a repository (README, Python code, PyTorch `.bin` copies) is left.
 */

/** How the offline error names these files before the repository's listing is known. */
export const SAFETENSORS_CHECKPOINT_HINT = 'config.json and model.safetensors (or model.safetensors.index.json and every shard it names)';

const INDEX = 'model.safetensors.index.json';

/**
 * The checkpoint files among `paths` (top-level only: a checkpoint in a subfolder is another
 * model). Sharded: the index and every top-level `.safetensors` file, since the index may name
 * shards however it likes. Throws when there is no config or no weights, listing what there is.
 */
export function selectSafetensorsCheckpoint(paths: readonly string[]): string[] {
  const top = paths.filter((path) => !path.includes('/'));
  const has = new Set(top);
  const lacking = (what: string) => new Error(`no ${what} among the repository's files (${top.join(', ') || 'none'}): it is not a safetensors checkpoint`);
  if (!has.has('config.json')) throw lacking('config.json');
  if (has.has(INDEX)) return ['config.json', INDEX, ...top.filter((path) => path.endsWith('.safetensors'))];
  if (has.has('model.safetensors')) return ['config.json', 'model.safetensors'];
  throw lacking('model.safetensors or model.safetensors.index.json');
}
