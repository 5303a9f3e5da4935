/**
 * Time-MoE's pretraining data as upstream's TimeMoEWindowDataset and zero_scaler: window
 * offsets (the tail dropped, a short series padded), labels shifted by one, loss masks, and the
 * population-std scaling.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packWindows, windowOffsets, zeroScale } from '../../models/time-moe/pretrain-data.ts';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 1);

test('offsets: 0, then every stride while maxLength + 1 points fit; the tail is dropped', () => {
  // range(stride, n − (W + 1) + 1, stride) after 0, as upstream.
  assert.equal(windowOffsets(10, 4), [0, 4]); // window at 4 needs points 4..8 (< 10); at 8 it would need 8..12
  assert.equal(windowOffsets(9, 4), [0, 4]);
  assert.equal(windowOffsets(8, 4), [0]); // 4 + 5 = 9 > 8
  assert.equal(windowOffsets(13, 4), [0, 4, 8]);
  assert.equal(windowOffsets(3, 4), [0]); // shorter than a window: one padded window
  assert.equal(windowOffsets(1, 4), []); // fewer than 2 points: skipped
  assert.equal(windowOffsets(20, 4, 2), [0, 2, 4, 6, 8, 10, 12, 14]);
  assert.throws(() => windowOffsets(10, 0), /maxLength/);
});

test('packWindows: input = points [o, o + W), labels shifted by one, mask 1 on real labels', () => {
  const windows = packWindows([ramp(10), ramp(3)], 4);
  assert.equal(
    windows.map((w) => [w.series, w.offset]),
    [
      [0, 0],
      [0, 4],
      [1, 0],
    ],
  );
  assert.equal([...windows[1].input], [5, 6, 7, 8]);
  assert.equal([...windows[1].labels], [6, 7, 8, 9]);
  assert.equal([...windows[1].lossMask], [1, 1, 1, 1]);
  // 3 points padded to 5: input keeps all three (upstream pads before cutting seq[:-1]).
  assert.equal([...windows[2].input], [1, 2, 3, 0]);
  assert.equal([...windows[2].labels], [2, 3, 0, 0]);
  assert.equal([...windows[2].lossMask], [1, 1, 0, 0]);
});

test('zeroScale: mean 0 and population std 1; a constant series is only centred', () => {
  const scaled = zeroScale([1, 2, 3, 4]);
  // population std of 1..4 is √1.25
  assert.ok(Math.abs(scaled[0] - -1.5 / Math.sqrt(1.25)) < 1e-6);
  assert.ok(Math.abs(scaled.reduce((a, b) => a + b, 0)) < 1e-6);
  assert.equal([...zeroScale([5, 5, 5])], [0, 0, 0]);
});

test.run();
