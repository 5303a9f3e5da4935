/**
 * The Pathfinder image generator (Linsley et al. 2018; LRA's Pathfinder and Path-X), written
 * from the description in reference/benchmarks.md §1.4, simplified as its last paragraph
 * allows: coverage-based anti-aliasing, a binary occupancy grid dilated by the margin.
 *
 * An image holds two target contours ("snakes") whose origins lie `seedDistance` apart, a few
 * short distractor snakes, and two marker disks: one at the origin tip of a target snake, the
 * other at the terminal tip of the same snake (label 1, connected) or of the other target snake
 * (label 0). Every snake is a chain of short paddles separated by gaps, so a model must follow
 * the dashes to decide: the task is long-range by construction.
 *
 * Paddle geometry: a snake turns at pivots spaced `paddleLength + 2·margin` apart along its
 * direction; paddle k runs from pivot + margin·u(θ) to pivot + (paddleLength + margin)·u(θ), so
 * consecutive paddles leave a gap of about 2·margin. The next direction is drawn among the
 * ≈ 1-pixel-spaced end points on the circle of radius paddleLength + margin around the next
 * pivot, with weight cos²(min(|Δθ|·continuity, π/2)) × (end point free), by inverse CDF.
 */
import type { Random } from '../../../src/engine.ts';
import { blocked, fillDisk, footprint, insideDrawable, occupy, overlaps, release, strokeSegment } from './pathfinder-raster.ts';
import type { Segment } from './pathfinder-raster.ts';

/** Generator parameters (the columns of the LRA table in §1.4). */
export interface PathfinderParams {
  /** Image side in pixels. */
  size: number;
  /** Border (pixels) that strokes stay out of. */
  padding: number;
  /** Gap/clearance around paddles; one value is drawn per image when several are listed. */
  margin: readonly number[];
  paddleLength: number;
  /** Stroke width in pixels. */
  thickness: number;
  /** Distance between the origins of the two target snakes. */
  seedDistance: number;
  markerRadius: number;
  /** Turn sharpness: the largest turn is about 90°/continuity. */
  continuity: number;
  /** Paddles per target snake (14 = LRA's "hard"; 6 baseline, 9 intermediate). */
  contourLength: number;
  distractorCount: number;
  distractorLength: number;
  /** Stroke intensity before rescaling: snake contrast × paddle contrast, times coverage, capped at the markers' 1. */
  contrast: number;
  /** Tries per paddle before the snake fails. */
  maxPaddleRetrial: number;
  /** Tries per target snake before the image restarts. */
  maxContourRetrial: number;
  /**
   * Radius of a paddle's claim on the occupancy grid. Default: half the stroke width plus the
   * margin, less half a pixel; the original's soft masks count an overlap only where both exceed
   * 0.8-0.9 (`max(mask + m) < 1.8`), i.e. in their cores, about half a pixel inside the edge.
   */
  clearance?: number;
}

const common = { padding: 1, contourLength: 14, distractorLength: 4, maxPaddleRetrial: 2, maxContourRetrial: 4 };

/** LRA's Pathfinder-32 ("hard", curv_contour_length_14). */
export const pathfinder32: PathfinderParams = {
  ...common,
  size: 32,
  margin: [1],
  paddleLength: 2,
  thickness: 0.5,
  seedDistance: 7,
  markerRadius: 1.5,
  continuity: 1.0,
  distractorCount: 5,
  contrast: 2 * 0.75,
};

/**
 * Pathfinder-32's scene drawn at 64×64, every length doubled (clearance and stroke brightness
 * relative to the markers too): the same puzzle with 4× the sequence length, our cpu stand-in
 * for Path-X. Not the
 * table's 64 row: with paddles of 5, margin 1 and turns under 50°, a 14-paddle contour is about
 * 100 pixels of nearly straight line, which completes inside 64×64 in about 1 % of tries.
 */
export const pathfinder64: PathfinderParams = {
  ...pathfinder32,
  size: 64,
  margin: [2],
  paddleLength: 4,
  thickness: 1,
  seedDistance: 14,
  markerRadius: 3,
  contrast: 0.75,
  clearance: 1.5,
};

/** LRA's Path-X: Pathfinder-128, hard. */
export const pathx128: PathfinderParams = {
  ...common,
  size: 128,
  margin: [2, 3],
  paddleLength: 5,
  thickness: 1.5,
  seedDistance: 20,
  markerRadius: 3,
  continuity: 1.8,
  distractorCount: 8,
  contrast: 0.9,
};

/** Contour lengths of the three difficulty levels of the Pathfinder data sets. */
export const contourLengths = { baseline: 6, intermediate: 9, hard: 14 } as const;

/** One generated image and how it was made (the extras serve checks and the sample sheets). */
export interface PathfinderImage {
  /** size × size grey levels, row-major; background 0, brightest 255. */
  pixels: Uint8Array;
  /** 1 when both markers lie on the same target snake. */
  label: number;
  /** The two target snakes, then the distractors, as paddles in drawing order. */
  snakes: Segment[][];
  /** Marker centres: the origin tip of target `markedSnake`, then a terminal tip. */
  markers: [x: number, y: number][];
  markedSnake: number;
  /** Whole-image restarts, and distractors that found no room. */
  restarts: number;
  skippedDistractors: number;
}

interface Scene {
  p: PathfinderParams;
  margin: number;
  random: Random;
  occupancy: Uint8Array;
  /** The candidate turns of `nextAngle` and their cos² weights (fixed per image). */
  turns: TurnTable;
  /** Radius of a paddle's claim on the occupancy grid (`PathfinderParams.clearance`). */
  clearance: number;
}

function paddle(px: number, py: number, angle: number, from: number, to: number): Segment {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return { ax: px + from * c, ay: py + from * s, bx: px + to * c, by: py + to * s };
}

/**
 * The paddle's claim on the occupancy grid when it fits: inside the drawable area and clear of
 * everything placed. The claim is the paddle lengthened by the margin at both ends (pivot to
 * pivot) and dilated to the clearance, so a snake's claims join into one band and no other
 * contour can slip through the gaps between its paddles.
 */
function fits(scene: Scene, seg: Segment): number[] | undefined {
  const { size, padding, thickness } = scene.p;
  if (!insideDrawable(seg, size, padding, thickness / 2)) return undefined;
  const dx = seg.bx - seg.ax;
  const dy = seg.by - seg.ay;
  const k = scene.margin / Math.hypot(dx, dy);
  const band = { ax: seg.ax - k * dx, ay: seg.ay - k * dy, bx: seg.bx + k * dx, by: seg.by + k * dy };
  const pixels = footprint(band, size, scene.clearance);
  return overlaps(scene.occupancy, pixels) ? undefined : pixels;
}

/**
 * The end points on the circle of radius paddleLength + margin, about one pixel of arc apart, as
 * turns relative to the current direction, with their continuity weights cos²(min(|Δθ|·c, π/2)).
 * Turns whose weight is 0 are left out: they can never be drawn.
 */
interface TurnTable {
  radius: number;
  turn: Float64Array;
  cos: Float64Array;
  sin: Float64Array;
  weight: Float64Array;
  /** Scratch for the weights of one draw. */
  scratch: Float64Array;
}

function turnTable(p: PathfinderParams, margin: number): TurnTable {
  const radius = p.paddleLength + margin;
  const count = Math.max(8, Math.round(2 * Math.PI * radius));
  const turns: number[] = [];
  for (let j = 0; j < count; j++) {
    const turn = (2 * Math.PI * j) / count;
    turns.push(turn > Math.PI ? turn - 2 * Math.PI : turn);
  }
  const kept = turns.filter((t) => Math.abs(t) * p.continuity < Math.PI / 2 - 1e-9);
  const turn = Float64Array.from(kept);
  return {
    radius,
    turn,
    cos: turn.map(Math.cos),
    sin: turn.map(Math.sin),
    weight: turn.map((t) => Math.cos(Math.min(Math.abs(t) * p.continuity, Math.PI / 2)) ** 2),
    scratch: new Float64Array(turn.length),
  };
}

/** Samples the next paddle's direction (inverse CDF over the weighted circle of end points). */
function nextAngle(scene: Scene, px: number, py: number, previous: number): number | undefined {
  const { size, padding } = scene.p;
  const { radius, turn, cos, sin, weight, scratch } = scene.turns;
  const c0 = Math.cos(previous);
  const s0 = Math.sin(previous);
  let total = 0;
  for (let j = 0; j < turn.length; j++) {
    // Direction previous + turn[j] by the angle-sum identities: no trigonometry per candidate.
    const x = px + radius * (c0 * cos[j] - s0 * sin[j]);
    const y = py + radius * (s0 * cos[j] + c0 * sin[j]);
    total += scratch[j] = blocked(scene.occupancy, size, padding, x, y) ? 0 : weight[j];
  }
  if (total < 1e-12) return undefined;
  let u = scene.random.uniform() * total;
  for (let j = 0; j < turn.length; j++) {
    u -= scratch[j];
    if (u < 0) return previous + turn[j];
  }
  // Rounding left u a hair above 0: the last candidate with weight.
  for (let j = turn.length - 1; j >= 0; j--) if (scratch[j] > 0) return previous + turn[j];
  return undefined;
}

/**
 * Grows a snake of `length` paddles from its origin tip (ox, oy), or returns undefined (and
 * leaves the occupancy as it was) when a paddle finds no room within its retrials.
 */
function growSnake(scene: Scene, ox: number, oy: number, length: number): Segment[] | undefined {
  const { paddleLength } = scene.p;
  const m = scene.margin;
  // Claims this snake has added to the occupancy, to release if it fails.
  const claimed: number[][] = [];
  let angle = ((scene.random.integer(360) - 180) * Math.PI) / 180;
  const first = paddle(ox, oy, angle, 0, paddleLength);
  let pending = fits(scene, first);
  if (!pending) return undefined;
  const snake = [first];
  // The pivot sits `margin` behind the origin tip, so every paddle starts `margin` after its pivot.
  let px = ox - m * Math.cos(angle);
  let py = oy - m * Math.sin(angle);
  while (snake.length < length) {
    px += (paddleLength + 2 * m) * Math.cos(angle);
    py += (paddleLength + 2 * m) * Math.sin(angle);
    let placed = false;
    for (let attempt = 0; attempt < scene.p.maxPaddleRetrial && !placed; attempt++) {
      const next = nextAngle(scene, px, py, angle);
      if (next === undefined) break;
      const seg = paddle(px, py, next, m, paddleLength + m);
      const pixels = fits(scene, seg);
      if (!pixels) continue;
      // Consecutive claims meet at the pivot, so the previous paddle's claim joins the occupancy
      // only now, when the next paddle no longer has to clear it (the original's `last_segment_mask`).
      occupy(scene.occupancy, pending);
      claimed.push(pending);
      pending = pixels;
      snake.push(seg);
      angle = next;
      placed = true;
    }
    if (!placed) {
      for (const pixels of claimed) release(scene.occupancy, pixels);
      return undefined;
    }
  }
  occupy(scene.occupancy, pending);
  return snake;
}

/** Draws one Pathfinder image with the generator `random`. */
export function generatePathfinder(p: PathfinderParams, random: Random): PathfinderImage {
  const { size, padding, seedDistance } = p;
  const margin = p.margin[random.integer(p.margin.length)];
  const turns = turnTable(p, margin);
  for (let restarts = 0; restarts < 10_000; restarts++) {
    const scene: Scene = {
      p,
      margin,
      random,
      turns,
      occupancy: new Uint8Array(size * size),
      clearance: p.clearance ?? Math.max(0.5, p.thickness / 2 + margin - 0.5),
    };
    // First target: an origin at least 2·seedDistance from the border; the second exactly seedDistance away.
    const lo = 2 * seedDistance;
    const hi = size - 1 - 2 * seedDistance;
    const ox = lo + random.integer(hi - lo + 1);
    const oy = lo + random.integer(hi - lo + 1);
    const first = retry(p.maxContourRetrial, () => growSnake(scene, ox, oy, p.contourLength));
    if (!first) continue;
    const second = retry(p.maxContourRetrial, () => {
      const direction = random.uniform() * 2 * Math.PI;
      return growSnake(scene, ox + seedDistance * Math.cos(direction), oy + seedDistance * Math.sin(direction), p.contourLength);
    });
    if (!second) continue;
    const snakes = [first, second];
    let skippedDistractors = 0;
    for (let d = 0; d < p.distractorCount; d++) {
      const distractor = retry(distractorSeeds, () => {
        const x = padding + random.integer(size - 2 * padding);
        const y = padding + random.integer(size - 2 * padding);
        return blocked(scene.occupancy, size, padding, x, y) ? undefined : growSnake(scene, x, y, p.distractorLength);
      });
      if (distractor) snakes.push(distractor);
      else skippedDistractors++;
    }
    const markedSnake = random.integer(2);
    const label = random.integer(2);
    const endSnake = snakes[label === 1 ? markedSnake : 1 - markedSnake];
    const origin = snakes[markedSnake][0];
    const end = endSnake[endSnake.length - 1];
    const markers: [number, number][] = [
      [origin.ax, origin.ay],
      [end.bx, end.by],
    ];
    return { pixels: render(p, snakes, markers), label, snakes, markers, markedSnake, restarts, skippedDistractors };
  }
  throw new Error(`pathfinder: no room for two target snakes of ${p.contourLength} paddles in ${size}×${size}`);
}

/**
 * Random seed pixels a distractor gets before it is skipped. The original draws seeds only
 * where a first paddle fits and skips distractors that find no room (`allow_incomplete`); 40
 * blind draws leave about 0.6 of 5 distractors unplaced in a crowded 32×32 hard image, 10
 * left 2.
 */
const distractorSeeds = 40;

function retry<T>(tries: number, attempt: () => T | undefined): T | undefined {
  for (let i = 0; i < tries; i++) {
    const result = attempt();
    if (result !== undefined) return result;
  }
  return undefined;
}

/** Strokes and markers max-combined, then rescaled so that the brightest pixel is 255. */
function render(p: PathfinderParams, snakes: Segment[][], markers: [number, number][]): Uint8Array {
  const image = new Float32Array(p.size * p.size);
  for (const snake of snakes) for (const seg of snake) strokeSegment(image, p.size, seg, p.thickness, p.contrast);
  for (const [x, y] of markers) fillDisk(image, p.size, x, y, p.markerRadius, 1);
  let max = 0;
  for (const v of image) if (v > max) max = v;
  const pixels = new Uint8Array(image.length);
  for (let i = 0; i < image.length; i++) pixels[i] = Math.round((255 * image[i]) / max);
  return pixels;
}
