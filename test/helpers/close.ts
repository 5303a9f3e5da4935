/** Float comparison with a tolerance scaled to the data, and a message that points at the worst element. */
import * as assert from 'uvu/assert';

export interface Tolerance {
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /** Absolute tolerance, multiplied by max(1, max |expected|) (default 1e-5). */
  atol?: number;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance: Tolerance = {}): void {
  const { rtol = 1e-4, atol = 1e-5 } = tolerance;
  assert.is(actual.length, expected.length, `${what}: length ${actual.length}, expected ${expected.length}`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) && a === e) continue;
    const excess = Math.abs(a - e) - (atol * scale + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    assert.unreachable(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (of ${expected.length})`);
  }
}
