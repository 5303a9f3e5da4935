// Builds the CPU fast-path kernels from kernels/wasm/assembly (AssemblyScript):
//   build/wasm/kernels.wasm          wasm SIMD + threads (Node 20)
//   build/wasm/kernels-relaxed.wasm  the same plus relaxed SIMD (fused multiply-add), which
//                                    the runtime prefers where it validates (Node >= 22)
// Usage: node scripts/build-wasm.mjs [--wat]   (--wat also writes the .wat text next to each)

import asc from 'assemblyscript/asc';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}build/wasm`;
await mkdir(outDir, { recursive: true });

const common = [
  `${root}kernels/wasm/assembly/index.ts`,
  // Level 3 for speed; shrink level 1 stops Binaryen from inlining functions that contain
  // loops, so each packing / pass loop stays its own function and V8 tiers it up after a few
  // calls instead of running it in the baseline compiler for a whole long call.
  '--optimizeLevel', '3',
  '--shrinkLevel', '1',
  '--noAssert',
  // No managed objects at all: the runtime stub keeps the module free of a heap and GC.
  '--runtime', 'stub',
  '--enable', 'simd',
  '--enable', 'threads',
  // One shared memory, created by the JavaScript runtime and imported by every instance.
  '--importMemory',
  '--sharedMemory',
  '--initialMemory', '1',
  '--maximumMemory', '65536',
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
