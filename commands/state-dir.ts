import { existsSync } from 'node:fs';
import { open, readFile, rm, rename } from 'node:fs/promises';
import { request } from 'node:https';
import { join, relative, resolve } from 'node:path';
import { processAlive, processStartOf } from '../runtime/process-identity.ts';

/** What a running runtime records in its state directory, for `kite down` / `kite status`. */
export interface RuntimeRecord {
  pid: number;
  /** When that process started (processStartOf): with the pid, it names the runtime's process for good. */
  processStart?: string;
  url: string;
  port: number;
  kubeconfig: string;
  startedAt: string;
  nodes: number;
  simulate: boolean;
  /** The image catalog file the process kubelet uses, if any. */
  images?: string;
  /** Cluster DNS as `kite status` shows it: `<ip>:53, domain <domain>`, or why it is off (runtime/dns). */
  clusterDns?: string;
  /** How the service proxy forwards Service traffic, and why that mode (runtime/proxy). */
  proxy?: { mode: 'userspace' | 'nftables'; reason: string };
}

export const DEFAULT_STATE_DIR = '.kite';

export function stateDirOf(flag: string | undefined): string {
  return resolve(flag ?? process.env.KITE_STATE_DIR ?? DEFAULT_STATE_DIR);
}

export function kubeconfigPath(stateDir: string): string {
  return join(stateDir, 'kubeconfig');
}

/** A path as messages show it: relative to the working directory when under it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

const RECORD = 'runtime.json';

export async function readRecord(stateDir: string): Promise<RuntimeRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, RECORD), 'utf8')) as RuntimeRecord;
  } catch {
    return undefined;
  }
}

/** Records the runtime `record.pid` (its start time is added here); 0600, atomically. */
export async function writeRecord(stateDir: string, record: RuntimeRecord): Promise<void> {
  const processStart = record.processStart ?? processStartOf(record.pid);
  const tmp = join(stateDir, `${RECORD}.${process.pid}.tmp`);
  const file = await open(tmp, 'w', 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(JSON.stringify({ ...record, ...(processStart ? { processStart } : {}) }, null, 2) + '\n');
  } finally {
    await file.close();
  }
  await rename(tmp, join(stateDir, RECORD));
}

/** Removes the record if it still names `pid` (a runtime that started since keeps its own). */
export async function removeRecord(stateDir: string, pid: number): Promise<void> {
  const current = await readRecord(stateDir);
  if (current?.pid === pid) await rm(join(stateDir, RECORD), { force: true });
}

/**
 * Whether the record's process is the runtime that wrote it, or why not. A live pid is not
 * enough: after a kill -9 the record stays and the pid may come to name an unrelated process.
 * The process's start time must be the recorded one; when that cannot be compared (a record of
 * an older kite, a system without /proc or ps), the API must answer at the recorded address.
 */
export async function recordedRuntimeIsAlive(record: RuntimeRecord): Promise<{ alive: true } | { alive: false; reason: string }> {
  if (!processAlive(record.pid)) return { alive: false, reason: `pid ${record.pid} is not running` };
  const started = record.processStart === undefined ? undefined : processStartOf(record.pid);
  if (started !== undefined) return started === record.processStart ? { alive: true } : { alive: false, reason: `pid ${record.pid} is another process now` };
  return (await apiAnswers(record.url)) ? { alive: true } : { alive: false, reason: `pid ${record.pid} does not serve ${record.url}` };
}

/** The live runtime of a state dir. A stale record (its runtime is gone) is removed, with a note. */
export async function liveRuntime(stateDir: string, note: (text: string) => void = () => {}): Promise<RuntimeRecord | undefined> {
  if (!existsSync(stateDir)) return undefined;
  const record = await readRecord(stateDir);
  if (!record) return undefined;
  const verdict = await recordedRuntimeIsAlive(record);
  if (verdict.alive) return record;
  await removeRecord(stateDir, record.pid);
  note(`note: removed ${shownPath(join(stateDir, RECORD))}, the record of a kite control plane that is gone (${verdict.reason}; was it killed?)\n`);
  return undefined;
}

/** The API server's health endpoint answers at `url` (any certificate: this only asks whether something listens). */
function apiAnswers(url: string): Promise<boolean> {
  return new Promise((done) => {
    try {
      const req = request(new URL('/healthz', url), { rejectUnauthorized: false, timeout: 2000 }, (res) => {
        res.resume();
        done(res.statusCode === 200);
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => done(false));
      req.end();
    } catch {
      done(false);
    }
  });
}
