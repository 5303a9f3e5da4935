// PyTorch as the S4 benchmark's peer: benchmarks/s4/s4d_torch.py in one long-lived python
// process (so that it can take part in interleaved rounds without paying `import torch` each
// time), in its best CPU configuration:
//
// - OpenBLAS instead of Debian's reference BLAS (python3-torch links libblas.so.3, which is
//   the slow reference implementation unless the OpenBLAS alternative is installed): the
//   pthread build unpacked under build/openblas (see setup-torch.sh; the system BLAS stays as it
//   is) and put first on LD_LIBRARY_PATH, with OPENBLAS_NUM_THREADS=1;
// - torch.set_num_threads(2) (intra-op threads; --torch-threads);
// - freed memory kept in the process (glibc malloc's mmap and trim thresholds at their maximum),
//   since otherwise every big temporary is a fresh mmap and page faults dominate.
//
// When python3 or torch is missing, torchPeer says why instead of failing.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ParamName } from './reference.ts';

const SCRIPT = fileURLToPath(new URL('./s4d_torch.py', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SETUP = 'benchmarks/s4/setup-torch.sh';

/** Where OpenBLAS's pthread build may be: ours (setup-torch.sh), then a system-wide install. */
export const OPENBLAS_DIRS = [path.join(ROOT, 'build/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread'), '/usr/lib/x86_64-linux-gnu/openblas-pthread'];

export const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=4294967295:glibc.malloc.trim_threshold=4294967295';

export interface TorchInfo {
  torch: string;
  python: string;
  executable: string;
  threads: number;
  mkldnn: boolean;
  /** BLAS libraries mapped in the process. */
  blas: string[];
}

export interface TorchConfig {
  info: TorchInfo;
  /** The OpenBLAS directory put on LD_LIBRARY_PATH, or null (then torch runs with the reference BLAS). */
  openblas: string | null;
  /** One line for the header. */
  describe: string;
}

export interface TorchCase {
  batch: number;
  width: number;
  state: number;
  length: number;
  params: Record<ParamName, { data: Float32Array; shape: readonly number[] }>;
  input: Float32Array;
}

/** What torch computed on a case: the forward output and the gradients of Σ y, in our layout. */
export interface TorchOutputs {
  y: Float32Array;
  grads: Record<ParamName, Float32Array>;
}

type Reply = Record<string, unknown> & { error?: string };

export class TorchPeer {
  private dir: string | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterableIterator<string>,
    readonly config: TorchConfig,
  ) {}

  /** Starts the python process, or says why torch cannot take part. */
  static async start(options: { python?: string; threads?: number } = {}): Promise<TorchPeer | { unavailable: string }> {
    const python = options.python ?? '/usr/bin/python3';
    const threads = options.threads ?? 2;
    if (!existsSync(python))
      return { unavailable: `${python} not found (Debian's python3-torch runs under /usr/bin/python3; install it with: apt-get install -y python3-torch)` };
    const openblas = OPENBLAS_DIRS.find((dir) => existsSync(path.join(dir, 'libblas.so.3'))) ?? null;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPENBLAS_NUM_THREADS: '1',
      OMP_NUM_THREADS: String(threads),
      GLIBC_TUNABLES: MALLOC_TUNABLES,
      ...(openblas ? { LD_LIBRARY_PATH: [openblas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
    };
    const child = spawn(python, [SCRIPT, '--serve', '--threads', String(threads)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const failed = new Promise<{ unavailable: string }>((resolve) => {
      child.on('error', (e) => resolve({ unavailable: `${python} did not start: ${e.message}` }));
      child.on('exit', (code) => {
        const last = stderr.trim().split('\n').pop() ?? '';
        const reason = /No module named .?torch/.test(stderr)
          ? `torch is not installed for ${python} (apt-get install -y python3-torch)`
          : `${python} ${path.basename(SCRIPT)} exited (code ${code}): ${last}`;
        resolve({ unavailable: reason });
      });
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next().then((r) => (r.done ? null : r.value)), failed]);
    if (typeof first !== 'string') {
      child.kill();
      return first ?? { unavailable: `${python} ${path.basename(SCRIPT)} closed its output: ${stderr.trim().split('\n').pop() ?? ''}` };
    }
    const info = JSON.parse(first) as TorchInfo;
    const blas = info.blas.some((p) => /openblas/i.test(p)) ? 'OpenBLAS (1 thread)' : `NOT OpenBLAS: ${info.blas.join(', ') || 'no BLAS mapped'}`;
    const missing = openblas ? '' : `; OpenBLAS not found, so torch is NOT in its best configuration: run ${SETUP}`;
    const describe =
      `torch ${info.torch} (python ${info.python}, ${info.executable}), ${info.threads} threads, ${blas}` +
      `${info.mkldnn ? ', oneDNN' : ''}, malloc keeps freed memory${missing}`;
    return new TorchPeer(child, lines, { info, openblas, describe });
  }

  /** Builds the layer on our parameters and input; returns torch's output and gradients. */
  async setup(c: TorchCase): Promise<TorchOutputs> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-s4-torch-'));
    const dir = this.dir;
    const params: Record<string, { path: string; shape: readonly number[] }> = {};
    for (const [name, { data, shape }] of Object.entries(c.params)) {
      const file = path.join(dir, `param.${name}.f32`);
      await writeFile(file, bytes(data));
      params[name] = { path: file, shape };
    }
    const input = path.join(dir, 'input.f32');
    await writeFile(input, bytes(c.input));
    await this.request({ op: 'setup', batch: c.batch, width: c.width, state: c.state, length: c.length, input, params, out_dir: dir });
    const read = async (file: string) => {
      const b = await readFile(path.join(dir, file));
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    const grads = {} as Record<ParamName, Float32Array>;
    for (const name of Object.keys(c.params) as ParamName[]) grads[name] = await read(`grad.${name}.f32`);
    return { y: await read('y.f32'), grads };
  }

  /** Times `runs` runs of the current case after `warmup` untimed ones (ms each). */
  async time(mode: 'forward' | 'forward+backward', runs: number, warmup: number): Promise<number[]> {
    const reply = await this.request({ op: 'time', mode, runs, warmup });
    return reply.times_ms as number[];
  }

  /** The python process's id (for the load meter). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await new Promise((resolve) => this.child.once('exit', resolve).once('error', resolve));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private async request(body: object): Promise<Reply> {
    this.child.stdin.write(`${JSON.stringify(body)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error('torch peer: the python process ended');
    const reply = JSON.parse(next.value) as Reply;
    if (reply.error) throw new Error(`torch peer: ${reply.error}`);
    return reply;
  }
}

const bytes = (data: Float32Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
