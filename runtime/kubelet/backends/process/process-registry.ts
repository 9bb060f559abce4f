/**
 * Crash safety (issue 11 §10): every container process is recorded in the node's state dir
 * (pod uid, container, pid and the pid's start time) while it runs. A runtime killed with -9
 * leaves these records behind; the next start ends each recorded process group that still
 * runs — the same pid with the same start time, so a recycled pid is never touched — before
 * any pod is synced again: never two copies of a pod, never an orphan.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive, processStartOf } from '../../../process-identity.ts';
import { signalGroup } from './container-process.ts';

export interface ProcessRecord {
  podUID: string;
  pod: string;
  container: string;
  pid: number;
  start: string;
}

export class ProcessRegistry {
  constructor(private readonly dir: string) {}

  add(r: ProcessRecord): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.file(r.pid), JSON.stringify(r) + '\n', { mode: 0o600 });
  }

  remove(pid: number): void {
    rmSync(this.file(pid), { force: true });
  }

  /**
   * Ends (SIGKILL to the group) every recorded process still running from before, and forgets
   * them all; resolves once they are gone. A pid that names another process now is left alone.
   */
  async endLeftovers(timeoutMs = 5000): Promise<ProcessRecord[]> {
    const ended: ProcessRecord[] = [];
    for (const r of this.records()) {
      const start = processStartOf(r.pid);
      if (start === r.start) {
        signalGroup(r.pid, 'SIGKILL');
        ended.push(r);
      } else if (start === undefined) {
        // The leader is gone but what it forked may live on in its group; Linux never hands out a
        // pid still naming a process group, so the group (if any) is ours.
        signalGroup(r.pid, 'SIGKILL');
      }
      this.remove(r.pid);
    }
    const deadline = Date.now() + timeoutMs;
    while (ended.some((r) => processAlive(r.pid)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    return ended;
  }

  private records(): ProcessRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: ProcessRecord[] = [];
    for (const n of names) {
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, n), 'utf8')) as ProcessRecord);
      } catch {
        rmSync(join(this.dir, n), { force: true }); // a record torn by the crash: its process is unknown
      }
    }
    return out;
  }

  private file(pid: number): string {
    return join(this.dir, `${pid}.json`);
  }
}
