/**
 * The backends the kernel tests run on: every GPU.js mode available on this machine, with
 * webasm both synchronous (one thread) and under the async contract with worker threads.
 */
import { createBackend, type Backend } from '../../kernels/index.ts';

export interface TestBackend {
  label: string;
  backend: Backend;
  sync: boolean;
}

let cached: Promise<TestBackend[]> | null = null;

export function testBackends(): Promise<TestBackend[]> {
  cached ??= (async () => {
    const list: TestBackend[] = [
      { label: 'cpu', backend: await createBackend({ name: 'cpu', threads: 1 }), sync: true },
      { label: 'webasm', backend: await createBackend({ name: 'webasm', threads: 1 }), sync: true },
      { label: 'webasm with threads', backend: await createBackend({ name: 'webasm', threads: 2 }), sync: false },
    ];
    for (const name of ['headlessgl', 'webgpu'] as const) {
      try {
        list.push({ label: name, backend: await createBackend({ name }), sync: false });
      } catch {
        // not available on this machine: the CPU backends still cover the kernel logic
      }
    }
    return list;
  })();
  return cached;
}

export async function disposeTestBackends(): Promise<void> {
  if (!cached) return;
  for (const { backend } of await cached) backend.dispose();
}
