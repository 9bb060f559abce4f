// Crash safety with real processes and real SIGKILLs. Each round spawns crash-child.ts, which
// runs 500 writes (10 concurrent writers; creates, updates with expectedRv, deletes) against the
// same state directory and prints every write the moment it is acknowledged. The parent kills it
// with SIGKILL after a seeded-random number of acknowledgements (sometimes after it finished),
// then checks the database directly and through a reopened store:
//   - integrity_check is ok; every row's JSON carries its rv; rvs are unique and ≤ the revision;
//   - the revision is ≥ every acknowledged rv;
//   - every key is in the state its last acknowledged write left it in, or in the state left by
//     the one write its writer had in flight when killed (a durable write whose ack was lost);
//     never an older state, never a state from later in the plan;
//   - the reopened store serves exactly the rows, at the same revision, and continues after it.
// Rounds accumulate in one directory, so earlier rounds' keys are rechecked after every crash.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../runtime/store/sqlite-store.ts';
import { loadSqlite } from '../../../runtime/store/sqlite-driver.ts';
import type { JsonObject } from '../../../runtime/store/types.ts';
import { hashValue, mulberry32, OPS_PER_WRITER, plan, WRITERS, type PlannedWrite } from './crash-plan.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const CHILD = join(HERE, 'crash-child.ts');
const SEED = 0x5eed;
const ROUNDS = 8;

interface Ack {
  key: string;
  rv: number;
  hash: string;
}

interface ChildRun {
  acks: Ack[];
  done: boolean;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs one round; SIGKILLs the child once it has printed `killAfter` acks (or DONE). */
function runChild(dir: string, round: number, killAfter: number): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(round), String(SEED)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let finished = false;
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [tag, key, rv, hash] = line.split(' ');
      if (tag === 'ACK') acks.push({ key: key!, rv: Number(rv), hash: hash! });
      else if (tag === 'DONE') finished = true;
      if ((tag === 'READY' && killAfter === 0) || acks.length >= killAfter || finished) kill();
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ acks, done: finished, signal, code, stderr }));
  });
}

/** The state of `key` after each of its planned writes: index -1 is "absent, never written". */
function keyHistory(writes: PlannedWrite[], key: string): PlannedWrite[] {
  return writes.filter((w) => w.key === key);
}

describe('crash safety (kill -9 during group commits)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-store-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no acknowledged write over ${ROUNDS} SIGKILLed rounds of 500 writes`, { timeout: 180_000 }, async () => {
    const rng = mulberry32(SEED);
    const plans: PlannedWrite[][][] = [];
    const acksByRound: Ack[][] = [];
    let maxAcked = 0;
    const summary: string[] = [];
    const Database = loadSqlite();

    for (let round = 0; round < ROUNDS; round++) {
      // Mostly mid-run; about one round in eight after the child finished.
      const killAfter = Math.floor(rng() * 570);
      plans.push(plan(round, SEED));
      const run = await runChild(dir, round, killAfter);
      expect(run.signal, `child exited on its own (code ${run.code}):\n${run.stderr}`).toBe('SIGKILL');
      acksByRound.push(run.acks);
      for (const a of run.acks) maxAcked = Math.max(maxAcked, a.rv);

      // ---- the database file, directly
      const db = new Database(join(dir, 'state.db'));
      let revision: number;
      const rows = new Map<string, { rv: number; value: JsonObject }>();
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        revision = db.prepare("SELECT value FROM meta WHERE name = 'revision'").pluck().get() as number;
        for (const [key, rv, text] of db.prepare('SELECT key, rv, value FROM objects').raw().all() as [string, number, string][]) {
          const value = JSON.parse(text) as JsonObject;
          expect((value.metadata as { resourceVersion?: string }).resourceVersion).toBe(String(rv));
          expect(rv).toBeLessThanOrEqual(revision);
          rows.set(key, { rv, value });
        }
      } finally {
        db.close();
      }
      expect(new Set([...rows.values()].map((r) => r.rv)).size).toBe(rows.size);
      expect(revision).toBeGreaterThanOrEqual(maxAcked);

      // ---- every key of every round so far
      let inFlightDurable = 0;
      const planned = new Set<string>();
      for (let r = 0; r <= round; r++) {
        const acks = acksByRound[r]!;
        for (let w = 0; w < WRITERS; w++) {
          const writes = plans[r]![w]!;
          const mine = acks.filter((a) => writes.some((x) => x.key === a.key));
          // A writer awaits each write before the next: its acks are a prefix of its plan.
          mine.forEach((a, i) => {
            expect(a.key).toBe(writes[i]!.key);
            expect(a.hash).toBe(writes[i]!.hash);
          });
          const next = mine.length < OPS_PER_WRITER ? writes[mine.length] : undefined; // possibly in flight at the kill
          for (const key of new Set(writes.map((x) => x.key))) {
            planned.add(key);
            const history = keyHistory(writes, key);
            const ackedHere = mine.filter((a) => a.key === key);
            const last = ackedHere.at(-1);
            const row = rows.get(key);
            const state = row ? hashValue(row.value) : 'DELETED';
            const ackedState = last ? last.hash : 'DELETED'; // never written counts as absent
            if (state === ackedState && (!row || !last || row.rv === last.rv)) continue;
            // Otherwise only the writer's in-flight write may have landed (durable, ack lost).
            const inflight = next && next.key === key ? next : undefined;
            expect(
              inflight && state === inflight.hash,
              `${key}: stored ${state}@${row?.rv ?? '-'}, last acknowledged ${ackedState}@${last?.rv ?? '-'}` +
                ` (${ackedHere.length}/${history.length} writes acknowledged)`,
            ).toBe(true);
            if (row && last) expect(row.rv).toBeGreaterThan(last.rv);
            if (r === round) inFlightDurable++;
          }
        }
      }
      for (const key of rows.keys()) if (!key.startsWith('/registry/crash/probe/')) expect(planned.has(key), key).toBe(true);

      // ---- the reopened store serves exactly that, and carries on from the revision
      const store = openStore(dir);
      try {
        expect(store.revision).toBe(revision);
        expect(store.size).toBe(rows.size);
        for (const [key, row] of rows) expect(store.get(key)).toEqual(row.value);
        expect(store.oldestWatchableRevision).toBe(revision);
        const probe = await store.create(`/registry/crash/probe/${round}`, { round });
        expect((probe.metadata as { resourceVersion: string }).resourceVersion).toBe(String(revision + 1));
        maxAcked = revision + 1;
      } finally {
        await store.close();
      }
      summary.push(
        `round ${round}: killed after ${run.acks.length} acks (target ${killAfter}${run.done ? ', finished' : ''}), ` +
          `revision ${revision}, ${rows.size} rows, ${inFlightDurable} keys at a durable but unacknowledged write`,
      );
    }
    console.log(summary.join('\n'));
  });
});
