/**
 * Realisation: computes the values of some tensors by running their unrealised ancestors in
 * topological order. Intermediates are released as soon as their last consumer in the plan has
 * run (their buffers go back to the pool); they are recomputed if read again later. Targets,
 * leaves and kept tensors hold on to their values.
 */
import { runKernel, type Backend, type KernelName } from '../../kernels/index.ts';
import type { Tensor } from '../tensor.ts';
import { engine } from './context.ts';
import { newStorage, releaseStorage } from './storage.ts';

/** Realisations run one at a time: two overlapping graphs must not race on shared intermediates. */
let queue: Promise<unknown> = Promise.resolve();

/** Computes the values of `targets` (and whatever they need that is not yet computed). */
export function realise(targets: readonly Tensor[]): Promise<void> {
  const run = queue.then(async () => {
    const backend = await engine.getBackend();
    await execute(targets, backend, false);
  });
  queue = run.catch(() => undefined);
  return run;
}

/** The eager debug mode: realises one tensor at once, synchronously. */
export function realiseSync(target: Tensor): void {
  const backend = engine.backend;
  if (!backend) throw new Error('eager mode needs an initialised backend: call `await init({ eager: true })` first');
  const done = execute([target], backend, true);
  if (done instanceof Promise) throw new Error('internal: a synchronous realisation went asynchronous');
}

/** Unrealised ancestors of the targets, inputs before consumers. */
function plan(targets: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: graphs of long recurrences are deeper than the call stack.
  const stack: { tensor: Tensor; expanded: boolean }[] = targets.map((tensor) => ({ tensor, expanded: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    const { tensor } = top;
    if (tensor.storage || (visited.has(tensor) && !top.expanded)) continue;
    if (top.expanded) {
      order.push(tensor);
      continue;
    }
    if (tensor.op === 'leaf') throw new Error(`${tensor}: a leaf without data (was it disposed?)`);
    visited.add(tensor);
    checkFresh(tensor);
    stack.push({ tensor, expanded: true });
    for (let i = tensor.inputs.length - 1; i >= 0; i--) stack.push({ tensor: tensor.inputs[i], expanded: false });
  }
  return order;
}

/** Refuses to compute a tensor from parameters that changed after it was built. */
function checkFresh(tensor: Tensor): void {
  for (const input of tensor.inputs) {
    if (input.op === 'leaf' && input.mutatedAt > tensor.createdAt) {
      throw new Error(
        `${tensor} was built before ${input} changed in place (an optimizer step); read values before the step, or rebuild the computation after it`,
      );
    }
  }
}

function execute(targets: readonly Tensor[], backend: Backend, sync: boolean): void | Promise<void> {
  const order = plan(targets);
  const keep = new Set(targets);
  // How many planned consumers each releasable intermediate still has.
  const pending = new Map<Tensor, number>();
  const planned = new Set(order);
  for (const tensor of order) {
    for (const input of tensor.inputs) {
      if (planned.has(input) && !keep.has(input) && !input.kept) pending.set(input, (pending.get(input) ?? 0) + 1);
    }
  }
  const finish = (tensor: Tensor) => {
    for (const input of tensor.inputs) {
      const left = pending.get(input);
      if (left === undefined) continue;
      if (left > 1) pending.set(input, left - 1);
      else {
        pending.delete(input);
        releaseStorage(input.storage!);
        input.storage = null;
      }
    }
  };
  const settle = () => {
    for (const tensor of order) {
      // A realised value that needs no gradient no longer needs its graph: let it be collected.
      if (tensor.storage && !tensor.requiresGrad) {
        tensor.op = 'leaf';
        tensor.inputs = [];
      }
    }
  };
  if (sync) {
    for (const tensor of order) {
      const result = compute(tensor, backend, true);
      if (result instanceof Promise) throw new Error(`${tensor}: its kernel answered asynchronously in eager mode`);
      store(tensor, result);
      finish(tensor);
    }
    return settle();
  }
  return (async () => {
    for (const tensor of order) {
      store(tensor, await compute(tensor, backend, false));
      finish(tensor);
    }
    settle();
  })();
}

function compute(tensor: Tensor, backend: Backend, sync: boolean): Float32Array | Promise<Float32Array> | null {
  if (tensor.op === 'reshape') return null;
  const inputs = tensor.inputs.map((t) => t.storage!.data);
  const shapes = tensor.inputs.map((t) => t.shape);
  return runKernel(backend, tensor.op as KernelName, inputs, shapes, tensor.attrs as never, tensor.shape, {
    sync,
    allocate: (length) => engine.pool.acquire(length),
  });
}

function store(tensor: Tensor, data: Float32Array | null): void {
  if (data) {
    tensor.storage = newStorage(data);
    return;
  }
  const shared = tensor.inputs[0].storage!; // a reshape shares its input's buffer
  shared.refs++;
  tensor.storage = shared;
}
