// The kernel benchmark's readable output: one table per operation (contenders down, cases
// across), what buffer reuse saves, and the issue's targets checked against this run.

import type { Cell, Row } from '../harness.ts';
import type { OpName, OpSpec } from './cases.ts';

/** One case's cells, with the share of the machine's CPU that other processes took meanwhile. */
export interface KernelRow extends Row {
  otherLoad: number | null;
}

/** One operation's measured rows. */
export interface OpResult {
  name: OpName;
  title: string;
  note?: string;
  unit: OpSpec['unit'];
  rows: KernelRow[];
}

/** One comparison behind a target: ours (a backend's served path) against a peer on one case. */
export interface TargetCheck {
  target: string;
  backend: string;
  case: string;
  ours?: number;
  peer?: number;
  /** ours / peer: GFLOP/s ratio for matmul (≥ 1 meets), time ratio for the convolution (≤ 1.5 meets). */
  ratio?: number;
  met: boolean | null;
  note?: string;
}

const UNITS: Record<OpResult['unit'], string> = {
  gflops: 'GFLOP/s, higher is better',
  ms: 'ms per call, lower is better',
  gbps: 'GB/s of bytes read + written, higher is better',
};

function figure(cell: Cell, unit: OpResult['unit']): number | undefined {
  return unit === 'gflops' ? cell.gflops : unit === 'gbps' ? cell.gbps : cell.ms;
}

function formatNumber(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

function cellText(cell: Cell | undefined, unit: OpResult['unit']): string {
  const value = cell && figure(cell, unit);
  if (!cell || value === undefined) return '-';
  const slow = cell.runs === 1 ? '*' : '';
  const bad = cell.check && cell.check !== 'ok' ? '!' : '';
  return `${cell.estimated ? '~' : ''}${formatNumber(value)}${slow}${bad}`;
}

/** The table of one operation, as lines. `rounds`: the interleaved rounds behind each median. */
export function formatTable(op: OpResult, rounds: number): string[] {
  // contenders in the order of the case that had the most (later cases add the fresh-output rows)
  const fullest = [...op.rows].sort((a, b) => Object.keys(b.cells).length - Object.keys(a.cells).length);
  const names = [...new Set(fullest.flatMap((r) => Object.keys(r.cells)))];
  const label = (name: string) => {
    const servedBy = op.rows.map((r) => r.cells[name]?.servedBy).find(Boolean);
    return name.endsWith(': served') && servedBy ? `${name} (${servedBy})` : name;
  };
  const width = Math.max(10, ...names.map((n) => label(n).length));
  const columns = op.rows.map((r) => Math.max(9, r.case.length));
  const line = (first: string, cells: string[]) => `  ${first.padEnd(width)}  ${cells.map((c, i) => c.padStart(columns[i])).join('  ')}`;
  const lines = [`${op.title} (${UNITS[op.unit]}; medians of ${rounds} interleaved rounds)`];
  if (op.note) lines.push(`  ${op.note}`);
  lines.push(
    line(
      'contender',
      op.rows.map((r) => r.case),
    ),
  );
  for (const name of names)
    lines.push(
      line(
        label(name),
        op.rows.map((r) => cellText(r.cells[name], op.unit)),
      ),
    );
  const marks: string[] = [];
  const text = lines.join('\n');
  if (text.includes('~')) marks.push('~ estimated: median over the rounds of a 1/slice part of the case, scaled up');
  if (/\d\*/.test(text)) marks.push('* from one run only (over the time budget)');
  if (marks.length) lines.push(`  ${marks.join('; ')}`);
  const loads = op.rows.filter((r) => r.otherLoad !== null).map((r) => `${r.case} ${Math.round(100 * r.otherLoad!)}%`);
  if (loads.length) lines.push(`  CPU taken by other processes on this machine meanwhile: ${loads.join(', ')}`);
  // Notes (skipped, unsupported) and mismatches, one line per contender and note.
  const notes = new Map<string, string[]>();
  for (const row of op.rows) {
    for (const [name, cell] of Object.entries(row.cells)) {
      const messages = [cell.ms === undefined ? cell.note : undefined, cell.check && cell.check !== 'ok' ? `! ${cell.check}` : undefined];
      for (const message of messages.filter((m): m is string => Boolean(m))) {
        const key = `${name}\u0000${message}`;
        notes.set(key, [...(notes.get(key) ?? []), row.case]);
      }
    }
  }
  for (const [key, cases] of notes) {
    const [name, message] = key.split('\u0000');
    lines.push(`  ${name} at ${cases.join(', ')}: ${message}`);
  }
  return lines;
}

/** Pooled against fresh outputs per backend, for the cases timed both ways. */
export function reuseLines(op: OpResult, backends: readonly string[]): string[] {
  const lines: string[] = [];
  for (const backend of backends) {
    const parts = op.rows.flatMap((row) => {
      const pooled = row.cells[`${backend}: served`]?.ms;
      const fresh = row.cells[`${backend}: served, fresh outputs`]?.ms;
      if (pooled === undefined || fresh === undefined) return [];
      return [`${row.case} ${formatNumber(pooled)} vs ${formatNumber(fresh)} ms (${(fresh / pooled).toFixed(2)}x)`];
    });
    if (parts.length) lines.push(`  buffer reuse, ${backend}: pooled vs fresh outputs (fresh/pooled time): ${parts.join('; ')}`);
  }
  return lines;
}

const MATMUL_TARGET = 'matmul at least as fast as tfjs-wasm at 512^3, 1024^3 and the transformer shapes';
const CONV_TARGET = 'FFT causal convolution within 1.5x of numpy at L = 1024, 4096, 16384';
/** The row kernels' target (issue 15): at least tfjs-wasm's GB/s at every size. */
const ROW_TARGETS: Partial<Record<OpName, string>> = {
  softmax: 'softmax at least as fast as tfjs-wasm',
  layerNorm: 'layerNorm at least as fast as tfjs-wasm',
};
const MATMUL_CASES = ['512x512x512', '1024x1024x1024', '4096x384x1536', '4096x1536x384'];

/** The issue's targets, per backend, on the cases this run measured. */
export function evaluateTargets(results: readonly OpResult[], backends: readonly string[]): { checks: TargetCheck[]; lines: string[] } {
  const checks: TargetCheck[] = [];
  const rowsOf = (name: OpName) => results.find((r) => r.name === name)?.rows ?? [];
  for (const backend of backends) {
    for (const row of rowsOf('matmul').filter((r) => MATMUL_CASES.includes(r.case))) {
      checks.push(
        compare(
          MATMUL_TARGET,
          backend,
          row,
          'tfjs-wasm',
          (c) => c.gflops,
          (ours, peer) => ours / peer,
          (ratio) => ratio >= 1,
        ),
      );
    }
    for (const row of rowsOf('causalConv')) {
      checks.push(
        compare(
          CONV_TARGET,
          backend,
          row,
          'numpy',
          (c) => c.ms,
          (ours, peer) => ours / peer,
          (ratio) => ratio <= 1.5,
        ),
      );
    }
  }
  for (const [name, target] of Object.entries(ROW_TARGETS) as [OpName, string][]) {
    for (const backend of backends) {
      for (const row of rowsOf(name)) {
        checks.push(
          compare(
            target,
            backend,
            row,
            'tfjs-wasm',
            (c) => c.gbps,
            (ours, peer) => ours / peer,
            (ratio) => ratio >= 1,
          ),
        );
      }
    }
  }
  const lines: string[] = [];
  for (const target of [MATMUL_TARGET, CONV_TARGET, ...Object.values(ROW_TARGETS)]) {
    const mine = checks.filter((c) => c.target === target);
    if (!mine.length) continue;
    lines.push(`${target}:`);
    for (const backend of backends) {
      const own = mine.filter((c) => c.backend === backend);
      const decided = own.filter((c) => c.met !== null);
      const status = !decided.length ? 'NOT CHECKED' : decided.every((c) => c.met) ? (decided.length === own.length ? 'MET' : 'MET where checked') : 'MISSED';
      const detail = own.map((c) => (c.ratio === undefined ? `${c.case} ${c.note}` : `${c.case} ${c.ratio.toFixed(2)}x${c.met ? '' : ' (missed)'}`));
      const what = target === MATMUL_TARGET ? 'ours/tfjs-wasm GFLOP/s' : target === CONV_TARGET ? 'ours/numpy time' : 'ours/tfjs-wasm GB/s';
      lines.push(`  ${backend}: ${status} (${what}: ${detail.join(', ')})`);
    }
  }
  return { checks, lines };
}

function compare(
  target: string,
  backend: string,
  row: Row,
  peerName: string,
  value: (c: Cell) => number | undefined,
  ratioOf: (ours: number, peer: number) => number,
  meets: (ratio: number) => boolean,
): TargetCheck {
  const base = { target, backend, case: row.case };
  const ours = row.cells[`${backend}: served`];
  const peer = row.cells[peerName];
  const o = ours && value(ours);
  const p = peer && value(peer);
  if (o === undefined) return { ...base, met: null, note: 'ours not measured' };
  if (p === undefined) return { ...base, ours: o, met: null, note: `${peerName} not measured${peer?.note ? ` (${peer.note})` : ''}` };
  const ratio = ratioOf(o, p);
  const note = peer.estimated ? `${peerName} figure estimated from slices` : undefined;
  return { ...base, ours: o, peer: p, ratio, met: meets(ratio), ...(note ? { note } : {}) };
}
