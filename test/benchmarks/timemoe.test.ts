/**
 * `npm run bench:timemoe` end to end on the small config (`--small --runs 1 --json`, the
 * forward at B = 1 and generate 96: one case of each path, half the run's time): both sides
 * load the same saved folder, every case is validated against torch and timed, and the JSON
 * carries the figures the README documents. Needs torch under /usr/bin/python3 (Debian's
 * python3-torch); without it the test prints a `note:` and checks only the option errors.
 * 29 s on the shared two cores at a load of 8 (the four cases took 53 s at a load of 6).
 */
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'benchmarks/timemoe.ts', ...args], { encoding: 'utf8', timeout: 5 * 60 * 1000 });

test('a bad option ends with one line naming it and the usage', () => {
  const r = run(['--cases', 'forward3']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--cases: unknown case forward3\nusage: npm run bench:timemoe/);
});

const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
if (torch.status !== 0) {
  console.log('note: torch is not importable by /usr/bin/python3 (apt-get install -y python3-torch); the bench:timemoe run is skipped');
} else {
  test('--small --runs 1 --json: each case validated against torch, timed, with peak RSS per side', () => {
    const r = run(['--small', '--runs', '1', '--json', '--cases', 'forward1,generate96']);
    assert.is(r.status, 0, r.stderr.split('\n').slice(-5).join('\n'));
    const out = JSON.parse(r.stdout);
    assert.is(out.benchmark, 'timemoe');
    assert.is(out.mismatches, 0);
    assert.equal(
      out.cases.map((c: { case: string }) => c.case),
      ['forward1', 'generate96'],
    );
    for (const c of out.cases) {
      assert.equal(
        c.sides.map((s: { name: string }) => s.name),
        ['ours routed', 'torch'],
      );
      for (const s of c.sides) {
        assert.ok(s.ms > 0 && s.times.length === 1, `${c.case} ${s.name} timed`);
        assert.ok(s.peakRssMiB >= s.loadedRssMiB && s.loadedRssMiB > 50, `${c.case} ${s.name} RSS ${s.loadedRssMiB} → ${s.peakRssMiB}`);
        assert.is(s.check, 'ok');
        if (c.case.startsWith('generate')) assert.ok(s.pointsPerS > 0);
      }
      const ours = c.sides[0];
      assert.ok(ours.maxRel <= out.tolerance.forward, `${c.case}: relative difference ${ours.maxRel}`);
    }
    assert.is(out.targets.length, 2);
    for (const t of out.targets) assert.ok(t.timeRatio > 0 && t.rssRatio > 0 && typeof t.met === 'boolean');
    assert.match(r.stderr, /OpenBLAS|NOT OpenBLAS/);
  });
}

test.run();
