import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** What a running runtime records in its state directory, for `kite down` / `kite status`. */
export interface RuntimeRecord {
  pid: number;
  url: string;
  port: number;
  kubeconfig: string;
  startedAt: string;
  nodes: number;
  simulate: boolean;
}

export const DEFAULT_STATE_DIR = '.kite';

export function stateDirOf(flag: string | undefined): string {
  return resolve(flag ?? process.env.KITE_STATE_DIR ?? DEFAULT_STATE_DIR);
}

export function kubeconfigPath(stateDir: string): string {
  return join(stateDir, 'kubeconfig');
}

const RECORD = 'runtime.json';

export async function readRecord(stateDir: string): Promise<RuntimeRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, RECORD), 'utf8')) as RuntimeRecord;
  } catch {
    return undefined;
  }
}

export async function writeRecord(stateDir: string, record: RuntimeRecord): Promise<void> {
  const tmp = join(stateDir, `${RECORD}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, join(stateDir, RECORD));
}

export async function removeRecord(stateDir: string, pid: number): Promise<void> {
  const current = await readRecord(stateDir);
  if (current?.pid === pid) await rm(join(stateDir, RECORD), { force: true });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A detached runtime that exited waits as a zombie until init reaps it: that is not alive.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** The live runtime of a state dir, if its process is still there (a stale record is ignored). */
export async function liveRuntime(stateDir: string): Promise<RuntimeRecord | undefined> {
  if (!existsSync(stateDir)) return undefined;
  const record = await readRecord(stateDir);
  return record && processAlive(record.pid) ? record : undefined;
}
