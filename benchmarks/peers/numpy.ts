// numpy as a benchmark peer, through benchmarks/peers/numpy_peer.py in a python3 process:
// matmul (OpenBLAS sgemm) and FFT causal convolution (pocketfft), on float32 inputs passed as
// raw files. When python3 or numpy is missing, numpyPeer says so instead of failing.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerResult, TimingOptions } from './timing.ts';

const SCRIPT = fileURLToPath(new URL('./numpy_peer.py', import.meta.url));

export interface NumpyPeer {
  readonly name: 'numpy';
  /** numpy and python versions, e.g. "numpy 2.4.0 (python 3.11.2)". */
  readonly version: string;
  /** np.matmul(a [batch, m, k], b [batch, k, n]). */
  matmul(a: Float32Array, b: Float32Array, d: { batch?: number; m: number; k: number; n: number }, opts?: TimingOptions): Promise<PeerResult>;
  /** irfft(rfft(u, 2L) * rfft(k, 2L), 2L)[..., :L], u [rows, L] over k [kernelRows, >= L]. */
  causalConv(u: Float32Array, k: Float32Array, d: { rows: number; length: number; kernelRows: number }, opts?: TimingOptions): Promise<PeerResult>;
}

/** Finds python3 with numpy, or says what is missing. */
export async function numpyPeer(options: { python?: string } = {}): Promise<NumpyPeer | { unavailable: string }> {
  const python = options.python ?? 'python3';
  try {
    const { numpy, python: pyVersion } = JSON.parse(await run(python, [SCRIPT, '--version'])) as { numpy: string; python: string };
    return new Peer(python, `numpy ${numpy} (python ${pyVersion})`);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return { unavailable: `${python} not found on PATH` };
    if (/No module named .?numpy/.test(e.stderr ?? e.message)) return { unavailable: `numpy is not installed for ${python}` };
    return { unavailable: `${python} with numpy did not run: ${(e.stderr || e.message).trim().split('\n').pop()}` };
  }
}

class Peer implements NumpyPeer {
  readonly name = 'numpy' as const;

  constructor(
    private readonly python: string,
    readonly version: string,
  ) {}

  matmul(a: Float32Array, b: Float32Array, d: { batch?: number; m: number; k: number; n: number }, opts?: TimingOptions) {
    const batch = d.batch ?? 1;
    return this.request('matmul', { batch, m: d.m, k: d.k, n: d.n }, { a, b }, batch * d.m * d.n, opts);
  }

  causalConv(u: Float32Array, k: Float32Array, d: { rows: number; length: number; kernelRows: number }, opts?: TimingOptions) {
    return this.request('causal_conv', d, { u, k }, d.rows * d.length, opts);
  }

  private async request(op: string, shape: object, inputs: Record<string, Float32Array>, outputLength: number, opts: TimingOptions = {}): Promise<PeerResult> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronoscale-numpy-'));
    try {
      const files: Record<string, string> = {};
      for (const [name, data] of Object.entries(inputs)) {
        files[name] = path.join(dir, `${name}.f32`);
        await writeFile(files[name], new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      }
      const output = path.join(dir, 'out.f32');
      const requestFile = path.join(dir, 'request.json');
      const runs = Math.max(1, opts.runs ?? 5);
      // Every request is a fresh python process (cold BLAS threads and FFT plan caches), so it
      // always warms up, whatever opts.warmup says.
      await writeFile(requestFile, JSON.stringify({ op, shape, inputs: files, output, runs, warmup: true }));
      const reply = JSON.parse(await run(this.python, [SCRIPT, requestFile])) as { median_ms: number };
      const bytes = await readFile(output);
      const result = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      if (result.length !== outputLength) return { unsupported: `numpy returned ${result.length} floats, expected ${outputLength}` };
      return { medianMs: reply.median_ms, runs, output: Float32Array.from(result) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(stdout);
    });
  });
}
