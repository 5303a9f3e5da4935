// The machine a benchmark ran on, and how much of it other processes took meanwhile. The
// benchmark VMs are shared (other sessions' processes run on the same two vCPUs, invisible to
// `ps` in this namespace), so a figure is only as good as the CPU it got; the meter puts a
// number on that. Linux only (null elsewhere).

import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What a benchmark prints and saves about its machine; `loadAverage.end` and `otherLoad` are filled by `finish`. */
export interface MachineRecord {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGiB: number;
  loadAverage: { start: number; end: number };
  /** Share (0-1) of all CPUs that other processes took during the whole run. */
  otherLoad: number | null;
}

export function machineRecord(): MachineRecord {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: { start: os.loadavg()[0], end: 0 },
    otherLoad: null,
  };
}

/** The machine line a benchmark prints first. */
export function describeMachine(machine: MachineRecord): string {
  return `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load average ${machine.loadAverage.start.toFixed(2)}`;
}

/** Records the end of the run on `machine` and returns the closing line: time taken, load, others' share. */
export function finishRun(machine: MachineRecord, runLoad: () => number | null, startedMs: number): string {
  machine.loadAverage.end = os.loadavg()[0];
  machine.otherLoad = runLoad();
  const elapsedS = Math.round((performance.now() - startedMs) / 1000);
  const others = machine.otherLoad === null ? '' : `; other processes took ${Math.round(100 * machine.otherLoad)}% of the CPUs meanwhile`;
  return `took ${elapsedS} s; load average ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end${others}`;
}

/** utime + stime in clock ticks, plus cutime + cstime (waited-for children, e.g. a numpy run) for this process; or null. */
function processTicks(pid: number | 'self'): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // after the command name: state is field 3; utime 14, stime 15, cutime 16, cstime 17
    return fields
      .slice(11, pid === 'self' ? 15 : 13)
      .map(Number)
      .reduce((a, b) => a + b, 0);
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } | null {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return null;
  }
}

/**
 * Starts a meter; the result gives the share (0-1) of all CPUs that processes other than ours
 * took since. A long-lived peer process (`peerPid`, e.g. the torch peer, which is never waited
 * for) counts as ours.
 */
export function otherLoadMeter(peerPid?: number): () => number | null {
  const read = () => ({ machine: machineTicks(), own: processTicks('self'), peer: peerPid === undefined ? 0 : processTicks(peerPid) });
  const start = read();
  return () => {
    const end = read();
    if (!start.machine || !end.machine || start.own === null || end.own === null || end.machine.total === start.machine.total) return null;
    const peer = start.peer !== null && end.peer !== null ? end.peer - start.peer : 0;
    const others = end.machine.busy - start.machine.busy - (end.own - start.own) - peer;
    return Math.min(1, Math.max(0, others / (end.machine.total - start.machine.total)));
  };
}
