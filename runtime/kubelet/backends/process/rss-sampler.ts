/**
 * Resident memory per process group, for memory limits where there are no cgroups. One timer
 * and one pass over the process table serve every watched group (a pass per container would
 * cost the kubelet more than the containers). Linux reads /proc (stat for the group, statm for
 * the pages); elsewhere `ps` answers the same question.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';

const PAGE_SIZE = 4096;

/** RSS in bytes of each process group in `pgids`. */
export async function groupRss(pgids: ReadonlySet<number>): Promise<Map<number, number>> {
  const totals = new Map<number, number>();
  if (process.platform !== 'linux') {
    const out = await new Promise<string>((resolve) => execFile('ps', ['-A', '-o', 'pgid=,rss='], (err, stdout) => resolve(err ? '' : stdout)));
    for (const line of out.split('\n')) {
      const [pgid, rssKiB] = line.trim().split(/\s+/).map(Number);
      if (pgid !== undefined && pgids.has(pgid) && rssKiB !== undefined) totals.set(pgid, (totals.get(pgid) ?? 0) + rssKiB * 1024);
    }
    return totals;
  }
  const pids = (await fs.readdir('/proc').catch(() => [])).filter((n) => /^\d+$/.test(n));
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
        // Fields after the parenthesised command name: state ppid pgrp ...
        const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
        if (!pgids.has(pgrp)) return;
        const statm = await fs.readFile(`/proc/${pid}/statm`, 'utf8');
        const resident = Number(statm.split(' ')[1]);
        totals.set(pgrp, (totals.get(pgrp) ?? 0) + resident * PAGE_SIZE);
      } catch {
        // The process ended between listing and reading.
      }
    }),
  );
  return totals;
}

interface Watcher {
  pgid: number;
  limit: number;
  intervalMs: number;
  onExceeded(rss: number): void;
}

const watchers = new Set<Watcher>();
let timer: NodeJS.Timeout | undefined;
let timerMs = 0;
let sampling = false;

async function sample(): Promise<void> {
  if (sampling) return;
  sampling = true;
  try {
    const current = [...watchers];
    const rss = await groupRss(new Set(current.map((w) => w.pgid)));
    for (const w of current) {
      const used = rss.get(w.pgid) ?? 0;
      if (watchers.has(w) && used > w.limit) {
        watchers.delete(w);
        w.onExceeded(used);
      }
    }
  } finally {
    sampling = false;
    reschedule();
  }
}

/** The shared timer runs at the shortest interval asked for, and only while someone watches. */
function reschedule(): void {
  const want = watchers.size === 0 ? 0 : Math.min(...[...watchers].map((w) => w.intervalMs));
  if (want === timerMs) return;
  if (timer) clearInterval(timer);
  timer = undefined;
  timerMs = want;
  if (want > 0) {
    timer = setInterval(() => void sample(), want);
    timer.unref();
  }
}

/** Calls `onExceeded` once when the group's resident memory passes `limit` bytes; returns the stop function. */
export function watchGroupRss(pgid: number, limit: number, intervalMs: number, onExceeded: (rss: number) => void): () => void {
  const w: Watcher = { pgid, limit, intervalMs, onExceeded };
  watchers.add(w);
  reschedule();
  return () => {
    watchers.delete(w);
    reschedule();
  };
}
