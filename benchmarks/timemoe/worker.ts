// One case of `npm run bench:timemoe` on our side: a long-lived process that serves one case,
// so that its peak RSS is that case's alone. Started by ./workers.ts as
//
//   node --expose-gc --import tsx benchmarks/timemoe/worker.ts --dir DIR --threads N
//        [--backend webasm|cpu] [--experts routed|dense]
//
// The model comes from the Hugging Face folder the PyTorch peer loads too. The protocol is
// torch_worker.py's (JSON lines; see its header): after loading it prints {ready, describe,
// load_ms, rss_mib} and resets its peak RSS, then answers prepare / output / time / memory.
// Forward: routedDecode (routed experts) or the one-graph forward (dense), head 1, [B, T, 1],
// realised. Generate: `generate(model, context, P, { experts })`, [B, P].

import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { init } from '../../index.ts';
import { noGrad, realise, tensor, type Tensor } from '../../src/engine.ts';
import { TimeMoE, generate, routedDecode } from '../../models/time-moe/index.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const experts = (option('--experts') ?? 'routed') as 'routed' | 'dense';
const backendName = option('--backend') as 'webasm' | 'cpu' | undefined;
const backend = await init({ threads: Number(option('--threads') ?? 2), ...(backendName ? { name: backendName } : {}) });
const started = performance.now();
const model = await TimeMoE.fromPretrained(option('--dir')!);
model.eval();
const loadMs = performance.now() - started;

/** VmHWM (peak) and VmRSS of this process, MiB: worker threads and the wasm memory included. */
function memory(): { peak: number; rss: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)![1]) / 1024;
  return { peak: field('VmHWM'), rss: field('VmRSS') };
}

// The load's temporaries (file bytes, decoded arrays) are garbage now: collect them, then reset
// the peak so that it measures the loaded model plus what the case adds.
(globalThis as { gc?: () => void }).gc?.();
writeFileSync('/proc/self/clear_refs', '5');
const send = (reply: object) => process.stdout.write(`${JSON.stringify(reply)}\n`);
send({ ready: true, describe: `${backend.describe()}, ${experts} experts`, load_ms: loadMs, rss_mib: memory().rss });

let run: (() => Promise<Tensor>) | null = null;
for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line) as { op: string; kind?: string; input?: string; batch?: number; context?: number; horizon?: number; path?: string };
  try {
    if (request.op === 'prepare') {
      const bytes = readFileSync(request.input!);
      const x = tensor(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice(), [request.batch!, request.context!]);
      const horizon = request.horizon!;
      run =
        request.kind === 'forward'
          ? experts === 'routed'
            ? async () => (await routedDecode(model, x, { maxHorizon: 1 })).prediction
            : async () => {
                const y = noGrad(() => model.forward(x, { maxHorizon: 1 }));
                await realise([y]);
                return y;
              }
          : () => generate(model, x, horizon, { experts });
      send({});
    } else if (request.op === 'output') {
      const y = await run!();
      const data = await y.data();
      writeFileSync(request.path!, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      send({ shape: y.shape });
    } else if (request.op === 'time') {
      const t0 = performance.now();
      await run!();
      send({ ms: performance.now() - t0 });
    } else if (request.op === 'memory') {
      const m = memory();
      send({ peak_rss_mib: m.peak, rss_mib: m.rss });
    } else send({ error: `unknown op ${request.op}` });
  } catch (e) {
    send({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}
// stdin closed: leave without waiting for the worker threads to wind down.
process.exit(0);
