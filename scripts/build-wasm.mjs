// Builds the CPU fast-path kernels from kernels/wasm/assembly (AssemblyScript):
//   build/wasm/kernels.wasm          wasm SIMD + threads (Node 20)
//   build/wasm/kernels-relaxed.wasm  the same plus relaxed SIMD (fused multiply-add), which
//                                    the runtime prefers where it validates (Node >= 22)
// Usage: node scripts/build-wasm.mjs [--wat] [--if-stale]
//   --wat       also writes the .wat text next to each module
//   --if-stale  does nothing when both modules are newer than every source and this script

import asc from 'assemblyscript/asc';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = `${root}kernels/wasm/assembly`;
const outDir = `${root}build/wasm`;
const outputs = ['kernels', 'kernels-relaxed'].map((name) => `${outDir}/${name}.wasm`);

if (process.argv.includes('--if-stale') && !(await stale())) {
  console.log('build-wasm: build/wasm is up to date');
  process.exit(0);
}
await mkdir(outDir, { recursive: true });

const common = [
  `${root}kernels/wasm/assembly/index.ts`,
  // Level 3 for speed; shrink level 1 stops Binaryen from inlining functions that contain
  // loops, so each packing / pass loop stays its own function and V8 tiers it up after a few
  // calls instead of running it in the baseline compiler for a whole long call.
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '1',
  '--noAssert',
  // No managed objects at all: the runtime stub keeps the module free of a heap and GC.
  '--runtime',
  'stub',
  '--enable',
  'simd',
  '--enable',
  'threads',
  // One shared memory, created by the JavaScript runtime and imported by every instance.
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  '65536',
];

const variants = [
  { name: 'kernels', flags: [] },
  { name: 'kernels-relaxed', flags: ['--enable', 'relaxed-simd'] },
];

for (const { name, flags } of variants) {
  const out = `${outDir}/${name}`;
  const wat = process.argv.includes('--wat') ? ['--textFile', `${out}.wat`] : [];
  const { error, stderr } = await asc.main([...common, ...flags, '--outFile', `${out}.wasm`, ...wat]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${name}: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote ${out}.wasm`);
}

/** Whether an output is missing or older than a source file (or this script). */
async function stale() {
  const mtime = async (path) => (await stat(path).catch(() => null))?.mtimeMs ?? -Infinity;
  const sources = (await readdir(sourceDir)).map((f) => `${sourceDir}/${f}`);
  const newestSource = Math.max(...(await Promise.all([...sources, fileURLToPath(import.meta.url)].map(mtime))));
  const oldestOutput = Math.min(...(await Promise.all(outputs.map(mtime))));
  return oldestOutput < newestSource;
}
