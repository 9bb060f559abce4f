/** What the benches read of a process from /proc. */
import { readFileSync } from 'node:fs';

/** CPU time (user + system) a process has used, in ms (clock ticks of 10 ms, Linux's USER_HZ). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
