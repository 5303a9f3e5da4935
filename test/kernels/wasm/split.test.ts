import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ranges, splitMatmul, splitUnits, threadsFor, PARALLEL_MIN_FLOPS } from '../../../kernels/wasm/split.ts';

test('ranges cover [0, total) in order with aligned inner bounds', () => {
  for (const [total, parts, align] of [
    [10, 3, 1],
    [100, 2, 4],
    [3, 4, 1],
    [0, 2, 1],
    [1030, 2, 8],
  ]) {
    const rs = ranges(total, parts, align);
    assert.is(rs.length, parts);
    assert.is(rs[0][0], 0);
    assert.is(rs[parts - 1][1], total);
    rs.forEach(([a, b], i) => {
      assert.ok(a <= b);
      if (i > 0) assert.is(a, rs[i - 1][1]);
      if (i < parts - 1 && b < total) assert.is(b % align, 0);
    });
  }
});

test('splitMatmul hands every output element to exactly one thread', () => {
  const cases = [
    [1, 1024, 512, 2],
    [3, 5, 9, 2],
    [7, 33, 100, 3],
    [1, 1, 1500, 2],
    [300, 6, 10, 2],
    [2, 3, 4, 1],
  ];
  for (const [batch, m, n, threads] of cases) {
    const seen = new Uint8Array(batch * m * n);
    const calls = splitMatmul(batch, m, n, threads, (b0, b1, i0, i1, j0, j1, t) => ({ fn: 'matmul', args: [b0, b1, i0, i1, j0, j1, t] }));
    assert.is(calls.length, threads);
    calls.forEach((list, t) => {
      for (const { args } of list) {
        const [b0, b1, i0, i1, j0, j1, thread] = args;
        assert.is(thread, t);
        for (let b = b0; b < b1; b++) for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) seen[(b * m + i) * n + j]++;
      }
    });
    assert.ok(
      seen.every((c) => c === 1),
      `batch=${batch} m=${m} n=${n}`,
    );
  }
});

test('splitUnits gives a lone unit to the calling thread and no calls to idle ones', () => {
  const calls = splitUnits(1, 3, (u0, u1) => ({ fn: 'f', args: [u0, u1] }));
  assert.equal(
    calls.map((c) => c.length),
    [1, 0, 0],
  );
});

test('threadsFor keeps small calls on one thread', () => {
  assert.is(threadsFor(PARALLEL_MIN_FLOPS - 1, 4), 1);
  assert.is(threadsFor(PARALLEL_MIN_FLOPS, 4), 4);
});

test.run();
