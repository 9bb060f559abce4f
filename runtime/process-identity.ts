/**
 * Telling a process from another that reuses its pid. A pid alone names whatever runs under it
 * now: after a kill -9 and enough process churn it may be an editor or a shell. A pid together
 * with the process's start time names one process for good.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Whether a process runs under `pid` (a zombie does not count). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A detached runtime that exited waits as a zombie until init reaps it: that is not alive.
  const stat = procStat(pid);
  return stat === undefined || stat[0] !== 'Z';
}

/**
 * When the process `pid` started, as an opaque token equal for one process and different for the
 * next one to get its pid; undefined when it is not running or this system cannot tell.
 * Linux: the boot id and the start time in clock ticks since boot (/proc/PID/stat field 22), so
 * it also differs across reboots. Elsewhere: `ps -o lstart=` (to the second; macOS, BSDs).
 */
export function processStartOf(pid: number): string | undefined {
  const stat = procStat(pid);
  if (stat !== undefined) {
    // Fields after the command's closing parenthesis: state is field 3, starttime field 22.
    const ticks = stat.split(' ')[19];
    return ticks ? `${bootId()}:${ticks}` : undefined;
  }
  if (process.platform === 'linux' || process.platform === 'win32') return undefined;
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    return started || undefined;
  } catch {
    return undefined;
  }
}

/** `pid` still names the process that started at `start` (when either start time is unknown: it runs). */
export function sameProcess(pid: number, start: string | undefined): boolean {
  if (!processAlive(pid)) return false;
  const now = start === undefined ? undefined : processStartOf(pid);
  return now === undefined || now === start;
}

/** /proc/PID/stat from the field after the command name (`S 1 123 …`); undefined without procfs. */
function procStat(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}

let cachedBootId: string | undefined;

function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}
