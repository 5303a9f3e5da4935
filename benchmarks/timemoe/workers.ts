// The processes that serve one case each (./worker.ts for ours, ./torch_worker.py for PyTorch)
// and the client that talks to them: one JSON request per line, one reply per line.
//
// One process per side and case, because peak RSS is a property of a process: a process that
// ran the B=8 forward keeps its high-water mark through every later case. Each worker loads the
// model, resets its peak (clear_refs), and the peak it reports after the case is the loaded
// model plus everything the case needed (our wasm memory and worker threads included).
//
// PyTorch's best CPU configuration is bench:s4's (benchmarks/s4/torch-peer.ts): OpenBLAS's
// pthread build on LD_LIBRARY_PATH with OPENBLAS_NUM_THREADS=1, torch.set_num_threads(N) with
// OMP_NUM_THREADS=N, and glibc's malloc keeping freed memory.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MALLOC_TUNABLES, OPENBLAS_DIRS } from '../s4/torch-peer.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a worker says once its model is loaded. */
export interface Ready {
  /** One line on the implementation (ours: the backend and expert path; torch: from `info`). */
  describe: string;
  info?: { torch: string; python: string; executable: string; threads: number; blas: string[]; mkldnn: boolean };
  loadMs: number;
  /** RSS with the model loaded, before the case (MiB). */
  rssMiB: number;
}

/** A case as both workers run it; `input` is a float32 file of `batch × context` values. */
export interface CaseSpec {
  kind: 'forward' | 'generate';
  batch: number;
  context: number;
  horizon: number;
  input: string;
}

type Reply = Record<string, unknown> & { error?: string };

export class CaseWorker {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterableIterator<string>,
    private readonly stderr: () => string,
    readonly ready: Ready,
    readonly pid: number | undefined,
  ) {}

  /** Our side: worker.ts under Node with the same engine options. */
  static ours(name: string, dir: string, o: { threads: number; experts: 'routed' | 'dense'; backend?: string }): Promise<CaseWorker> {
    const argv = ['--expose-gc', '--import', 'tsx', path.join(HERE, 'worker.ts'), '--dir', dir, '--threads', String(o.threads), '--experts', o.experts];
    if (o.backend) argv.push('--backend', o.backend);
    return CaseWorker.start(name, process.execPath, argv, { ...process.env }, (r) => String(r.describe));
  }

  /** PyTorch's side: torch_worker.py in its best CPU configuration. */
  static torch(dir: string, o: { threads: number; python: string }): Promise<CaseWorker> {
    const openblas = OPENBLAS_DIRS.find((d) => existsSync(path.join(d, 'libblas.so.3'))) ?? null;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPENBLAS_NUM_THREADS: '1',
      OMP_NUM_THREADS: String(o.threads),
      GLIBC_TUNABLES: MALLOC_TUNABLES,
      ...(openblas ? { LD_LIBRARY_PATH: [openblas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
    };
    const argv = [path.join(HERE, 'torch_worker.py'), '--dir', dir, '--threads', String(o.threads)];
    return CaseWorker.start('torch', o.python, argv, env, (r) => {
      const info = r.info as NonNullable<Ready['info']>;
      const blas = info.blas.some((p) => /openblas/i.test(p)) ? 'OpenBLAS (1 thread)' : `NOT OpenBLAS: ${info.blas.join(', ') || 'no BLAS mapped'}`;
      const missing = openblas ? '' : '; OpenBLAS not found, so torch is NOT in its best configuration: run sh benchmarks/s4/setup-torch.sh';
      return `torch ${info.torch} (python ${info.python}), ${info.threads} threads, ${blas}${info.mkldnn ? ', oneDNN' : ''}, malloc keeps freed memory${missing}`;
    });
  }

  private static async start(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv, describe: (r: Reply) => string): Promise<CaseWorker> {
    const child = spawn(command, argv, { env, cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ended = new Promise<never>((_, reject) => {
      child.on('error', (e) => reject(new Error(`${name} worker (${command}) did not start: ${e.message}`)));
      child.on('exit', (code) => reject(new Error(`${name} worker exited (code ${code}) before it was ready: ${lastLine(stderr)}`)));
    });
    const first = await Promise.race([lines.next(), ended]);
    if (first.done) throw new Error(`${name} worker closed its output: ${lastLine(stderr)}`);
    const r = JSON.parse(first.value) as Reply;
    const ready: Ready = { describe: describe(r), info: r.info as Ready['info'], loadMs: Number(r.load_ms), rssMiB: Number(r.rss_mib) };
    return new CaseWorker(name, child, lines, () => stderr, ready, child.pid);
  }

  prepare(c: CaseSpec): Promise<Reply> {
    return this.request({ op: 'prepare', ...c });
  }

  /** Runs the case once and writes its output to `file` (float32); returns the output's shape. */
  async output(file: string): Promise<number[]> {
    return (await this.request({ op: 'output', path: file })).shape as number[];
  }

  /** Runs the case once; the time measured inside the worker (no messaging), ms. */
  async time(): Promise<number> {
    return (await this.request({ op: 'time' })).ms as number;
  }

  /** Peak RSS since the model was loaded, and RSS now (MiB). */
  async memory(): Promise<{ peakMiB: number; rssMiB: number }> {
    const r = await this.request({ op: 'memory' });
    return { peakMiB: r.peak_rss_mib as number, rssMiB: r.rss_mib as number };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }

  private async request(body: object): Promise<Reply> {
    this.child.stdin.write(`${JSON.stringify(body)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`${this.name} worker ended: ${lastLine(this.stderr())}`);
    const reply = JSON.parse(next.value) as Reply;
    if (reply.error) throw new Error(`${this.name} worker: ${reply.error}`);
    return reply;
  }
}

const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';
