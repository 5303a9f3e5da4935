// How much of the machine other processes took while a case ran. The benchmark VMs are shared
// (other sessions' processes run on the same two vCPUs, invisible to `ps` in this namespace),
// so a figure is only as good as the CPU it got; this puts a number on that. Linux only.

import { readFileSync } from 'node:fs';

interface Ticks {
  /** Busy clock ticks of the whole machine (steal included). */
  busy: number;
  total: number;
  /** Ticks of this process, its threads and its waited-for children (the numpy peer). */
  own: number;
}

function read(): Ticks | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = cpu;
    const busy = user + nice + system + irq + softirq + steal;
    // fields after the command name: state is 3rd, utime 14th, stime 15th, cutime 16th, cstime 17th
    const own = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 15).map(Number);
    return { busy, total: busy + idle + iowait, own: own.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Starts a meter; calling the result gives the share (0-1) of all CPUs others used since, or null off Linux. */
export function otherLoadMeter(): () => number | null {
  const start = read();
  return () => {
    const end = read();
    if (!start || !end || end.total === start.total) return null;
    const others = end.busy - start.busy - (end.own - start.own);
    return Math.min(1, Math.max(0, others / (end.total - start.total)));
  };
}
