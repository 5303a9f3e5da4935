/**
 * Sample sheets of the Pathfinder generator, for looking at: a grid of images framed green
 * (label 1, markers connected) or red (label 0), and a `-debug` twin that tints the target
 * snakes (the marked one orange, the other blue; distractors stay grey). Also prints the
 * generation rate of each resolution.
 *
 *   node --import tsx benchmarks/lra/data/samples.ts [output folder, default build/lra-samples]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../../../src/engine.ts';
import { generatePathfinder, pathfinder32, pathfinder64, pathx128 } from './pathfinder-generator.ts';
import type { PathfinderImage, PathfinderParams } from './pathfinder-generator.ts';
import { strokeSegment } from './pathfinder-raster.ts';
import { repoRoot } from './paths.ts';
import { encodeRgbPng } from './png.ts';

const frameColours = [
  [220, 40, 40],
  [40, 200, 60],
] as const;

/** RGB of one image: grey levels, or with the target snakes tinted when `debug`. */
function colourImage(p: PathfinderParams, sample: PathfinderImage, debug: boolean): Uint8Array {
  const n = p.size * p.size;
  const rgb = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) rgb.fill(sample.pixels[i], 3 * i, 3 * i + 3);
  if (!debug) return rgb;
  const tints = [
    [255, 150, 0],
    [60, 140, 255],
  ];
  sample.snakes.slice(0, 2).forEach((snake, s) => {
    const layer = new Float32Array(n);
    for (const seg of snake) strokeSegment(layer, p.size, seg, Math.max(1, p.thickness), 1);
    const tint = tints[s === sample.markedSnake ? 0 : 1];
    for (let i = 0; i < n; i++) if (layer[i] > 0.3) for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round((tint[c] * Math.max(sample.pixels[i], 120)) / 255);
  });
  return rgb;
}

/** A cols × rows sheet, each image magnified `zoom` times inside a 3-pixel label frame. */
function sheet(p: PathfinderParams, samples: PathfinderImage[], cols: number, zoom: number, debug: boolean): Buffer {
  const frame = 3;
  const gap = 4;
  const cell = p.size * zoom + 2 * frame;
  const rows = Math.ceil(samples.length / cols);
  const width = cols * cell + (cols + 1) * gap;
  const height = rows * cell + (rows + 1) * gap;
  const out = new Uint8Array(3 * width * height).fill(255);
  samples.forEach((sample, k) => {
    const x0 = gap + (k % cols) * (cell + gap);
    const y0 = gap + Math.floor(k / cols) * (cell + gap);
    const image = colourImage(p, sample, debug);
    for (let y = 0; y < cell; y++) {
      for (let x = 0; x < cell; x++) {
        const inside = x >= frame && y >= frame && x < cell - frame && y < cell - frame;
        const source = inside ? 3 * (Math.floor((y - frame) / zoom) * p.size + Math.floor((x - frame) / zoom)) : -1;
        const colour = inside ? image.subarray(source, source + 3) : frameColours[sample.label];
        out.set(colour, 3 * ((y0 + y) * width + x0 + x));
      }
    }
  });
  return encodeRgbPng(width, height, out);
}

/** Generates `count` images and returns them with the rate in images per second. */
function generate(p: PathfinderParams, count: number, seed: number): { samples: PathfinderImage[]; rate: number } {
  const random = new Random(seed);
  const started = performance.now();
  const samples = Array.from({ length: count }, () => generatePathfinder(p, random));
  return { samples, rate: count / ((performance.now() - started) / 1000) };
}

const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'build/lra-samples'));
mkdirSync(outDir, { recursive: true });
const sheets: [string, PathfinderParams, number, number][] = [
  ['pathfinder32', pathfinder32, 8, 6],
  ['pathfinder64', pathfinder64, 6, 3],
  ['pathx128', pathx128, 4, 2],
];
for (const [name, p, cols, zoom] of sheets) {
  const { rate } = generate(p, Math.round(20_000 / (p.size / 32) ** 2 / 4), 1);
  const { samples } = generate(p, cols * cols, 0);
  writeFileSync(path.join(outDir, `${name}.png`), sheet(p, samples, cols, zoom, false));
  writeFileSync(path.join(outDir, `${name}-debug.png`), sheet(p, samples, cols, zoom, true));
  const restarts = samples.reduce((n, s) => n + s.restarts, 0);
  const skipped = samples.reduce((n, s) => n + s.skippedDistractors, 0);
  console.log(
    `${name}: ${rate.toFixed(0)} images/s; sheet of ${samples.length}: labels ${samples.map((s) => s.label).join('')}, ${restarts} restarts, ${skipped} distractors skipped`,
  );
}
console.log(
  `sheets in ${path.relative(process.cwd(), outDir) || '.'}: green frame = label 1 (connected), red = label 0; -debug: marked target orange, other target blue`,
);
