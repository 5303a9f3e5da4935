/**
 * The long-range benchmark data behind one call: `loadTask(name, preset, options)` returns a
 * `Task` (task.ts) whose splits build examples on demand. See README.md in this folder for
 * every task's source, sizes and the choices made.
 *
 *   const task = loadTask('listops', 'cpu');
 *   for (const { tokens, label } of task.splits.train) ...
 */
import { textTask } from './imdb.ts';
import type { TextOptions } from './imdb.ts';
import { imageTask } from './cifar.ts';
import type { ImageOptions } from './cifar.ts';
import { listOpsTask } from './listops.ts';
import type { ListOpsOptions } from './listops.ts';
import { mnistTask } from './mnist.ts';
import type { MnistOptions } from './mnist.ts';
import { pathfinderTask } from './pathfinder.ts';
import type { PathfinderOptions } from './pathfinder.ts';
import { retrievalTask } from './retrieval.ts';
import type { RetrievalOptions } from './retrieval.ts';
import { taskNames } from './task.ts';
import type { Example, PairExample, Preset, Task, TaskName } from './task.ts';

export { taskNames } from './task.ts';
export type { CommonOptions, Example, PairExample, Preset, Split, SplitSizes, Task, TaskName, Vocabulary } from './task.ts';

/** The options each task accepts. */
export interface TaskOptions {
  listops: ListOpsOptions;
  text: TextOptions;
  retrieval: RetrievalOptions;
  image: ImageOptions;
  pathfinder: PathfinderOptions;
  pathx: PathfinderOptions;
  smnist: MnistOptions;
  psmnist: MnistOptions;
}

/** Retrieval's examples are pairs; every other task's are single sequences. */
export type TaskExample<N extends TaskName> = N extends 'retrieval' ? PairExample : Example;

/**
 * The task `name` at `preset` size. Nothing is read or generated until a split is accessed;
 * generated sets (ListOps, Pathfinder, Path-X) are cached under `build/lra-cache`.
 */
export function loadTask<N extends TaskName>(name: N, preset: Preset, options: TaskOptions[N] = {}): Task<TaskExample<N>> {
  if (preset !== 'cpu' && preset !== 'paper') throw new Error(`loadTask: preset must be 'cpu' or 'paper', got ${JSON.stringify(preset)}`);
  const task = build(name, preset, options);
  return task as Task<TaskExample<N>>;
}

function build(name: TaskName, preset: Preset, options: object): Task<Example> | Task<PairExample> {
  switch (name) {
    case 'listops':
      return listOpsTask(preset, options);
    case 'text':
      return textTask(preset, options);
    case 'retrieval':
      return retrievalTask(preset, options);
    case 'image':
      return imageTask(preset, options);
    case 'pathfinder':
    case 'pathx':
      return pathfinderTask(name, preset, options);
    case 'smnist':
    case 'psmnist':
      return mnistTask(preset, name === 'psmnist', options);
    default:
      throw new Error(`loadTask: unknown task ${JSON.stringify(name)}; one of ${taskNames.join(', ')}`);
  }
}
