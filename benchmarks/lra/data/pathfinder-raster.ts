/**
 * Drawing for the Pathfinder generator on a square grid (pixel (x, y) has its centre at (x, y),
 * index y·size + x): anti-aliased strokes and disks by pixel coverage, and the occupancy grid
 * that keeps contours apart.
 *
 * Coverage instead of the original's 2× (or 4×) supersampling with Lanczos downsampling
 * (reference §1.4, "simplified reimplementation"): a pixel's value is the length of
 * [d − ½, d + ½] inside the stroke's half-width band around the segment, d being the pixel
 * centre's distance to the segment. Exact for axis-aligned strokes, close otherwise, and a
 * stroke thinner than a pixel comes out proportionally faint, as a downsampled one does.
 */

/** A straight paddle from (ax, ay) to (bx, by). */
export interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/** Distance from (px, py) to the closed segment. */
export function segmentDistance(s: Segment, px: number, py: number): number {
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared > 0 ? ((px - s.ax) * dx + (py - s.ay) * dy) / lengthSquared : 0;
  t = t < 0 ? 0 : Math.min(t, 1);
  const ex = s.ax + t * dx - px;
  const ey = s.ay + t * dy - py;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Share of a unit pixel at distance d from the centre line inside a band of half-width h. */
function bandCoverage(d: number, h: number): number {
  const c = Math.min(d + 0.5, h) - Math.max(d - 0.5, -h);
  return c <= 0 ? 0 : Math.min(c, 1);
}

/** Draws the segment as a stroke of `width` into `image`: coverage × `value`, capped at 1, max-combined. */
export function strokeSegment(image: Float32Array, size: number, s: Segment, width: number, value: number): void {
  const h = width / 2;
  const reach = h + 1;
  const x0 = Math.max(0, Math.floor(Math.min(s.ax, s.bx) - reach));
  const x1 = Math.min(size - 1, Math.ceil(Math.max(s.ax, s.bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(s.ay, s.by) - reach));
  const y1 = Math.min(size - 1, Math.ceil(Math.max(s.ay, s.by) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = Math.min(1, value * bandCoverage(segmentDistance(s, x, y), h));
      const p = y * size + x;
      if (v > image[p]) image[p] = v;
    }
  }
}

/** Draws a filled disk of `radius` (coverage clamp(r + ½ − d, 0, 1)), max-combined. */
export function fillDisk(image: Float32Array, size: number, cx: number, cy: number, radius: number, value: number): void {
  const x0 = Math.max(0, Math.floor(cx - radius - 1));
  const x1 = Math.min(size - 1, Math.ceil(cx + radius + 1));
  const y0 = Math.max(0, Math.floor(cy - radius - 1));
  const y1 = Math.min(size - 1, Math.ceil(cy + radius + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const c = radius + 0.5 - Math.hypot(x - cx, y - cy);
      const v = value * (c <= 0 ? 0 : Math.min(c, 1));
      const p = y * size + x;
      if (v > image[p]) image[p] = v;
    }
  }
}

/** Whether a stroke of half-width `inkRadius` along the segment stays inside the image minus a `padding` border. */
export function insideDrawable(s: Segment, size: number, padding: number, inkRadius: number): boolean {
  const lo = padding - 0.5 + inkRadius;
  const hi = size - 0.5 - padding - inkRadius;
  return s.ax >= lo && s.ax <= hi && s.ay >= lo && s.ay <= hi && s.bx >= lo && s.bx <= hi && s.by >= lo && s.by <= hi;
}

/** The pixels whose centres lie within `radius` of the segment: its footprint dilated to `radius`. */
export function footprint(s: Segment, size: number, radius: number): number[] {
  const out: number[] = [];
  const x0 = Math.max(0, Math.floor(Math.min(s.ax, s.bx) - radius));
  const x1 = Math.min(size - 1, Math.ceil(Math.max(s.ax, s.bx) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(s.ay, s.by) - radius));
  const y1 = Math.min(size - 1, Math.ceil(Math.max(s.ay, s.by) + radius));
  // segmentDistance inlined with squared distances: this loop is most of the generator's time.
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const inverse = dx * dx + dy * dy > 0 ? 1 / (dx * dx + dy * dy) : 0;
  const r2 = radius * radius;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let t = ((x - s.ax) * dx + (y - s.ay) * dy) * inverse;
      t = t < 0 ? 0 : Math.min(t, 1);
      const ex = s.ax + t * dx - x;
      const ey = s.ay + t * dy - y;
      if (ex * ex + ey * ey <= r2) out.push(y * size + x);
    }
  }
  return out;
}

/**
 * The occupancy grid counts the footprints covering each pixel (a count, not a flag, so that a
 * failed snake can release exactly its own claims even where they touch another's).
 */
export function overlaps(occupancy: Uint8Array, pixels: readonly number[]): boolean {
  for (const p of pixels) if (occupancy[p] > 0) return true;
  return false;
}

/** Adds a footprint to the occupancy counts. */
export function occupy(occupancy: Uint8Array, pixels: readonly number[]): void {
  for (const p of pixels) occupancy[p]++;
}

/** Removes a footprint from the occupancy counts. */
export function release(occupancy: Uint8Array, pixels: readonly number[]): void {
  for (const p of pixels) occupancy[p]--;
}

/** Whether (x, y) rounds to an occupied pixel or one outside the drawable area. */
export function blocked(occupancy: Uint8Array, size: number, padding: number, x: number, y: number): boolean {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < padding || py < padding || px > size - 1 - padding || py > size - 1 - padding) return true;
  return occupancy[py * size + px] > 0;
}
