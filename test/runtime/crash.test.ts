// Crash safety of the whole control plane, as a user runs it: `kite up` in the foreground, killed
// with SIGKILL at random points while a client writes through the HTTPS API, restarted on the same
// state dir. Acceptance:
//   - every acknowledged write is there after the restart (for each ConfigMap, the stored
//     `data.seq` is at least the last acknowledged one; acknowledged creates exist unless an
//     acknowledged delete removed them; a ReplicaSet's spec.replicas is its last acknowledged
//     value or one attempted after it);
//   - every ReplicaSet converges to exactly spec.replicas active pods it owns, and stays there.
//
// The writer keeps CONCURRENCY requests in flight, at most one per object, so the order of
// acknowledgements per object is the order of the writes. The kill happens synchronously when
// the acknowledgement counter reaches a value drawn from a seeded PRNG (KITE_CRASH_SEED overrides
// the seed), so it lands while other writes are in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeApiError, KubeClient, KubeconfigError, KubeUnreachableError, loadKubeconfig } from '../../lib/kube/index.ts';
import { KITE_BIN, REPO } from '../support/kite.ts';
import { eventually } from './harness.ts';
import { mulberry32 } from '../support/prng.ts';

const SEED = Number(process.env.KITE_CRASH_SEED ?? 20250611);
const WRITES = 500;
const CONCURRENCY = 10;
const MID_RUN_KILLS = 3;
const CONFIGMAPS = 40;
const REPLICASETS = 5;
const NS = 'default';
const READY_TIMEOUT_MS = 30_000;
const CONVERGE_TIMEOUT_MS = 30_000;


interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  client: KubeClient;
}

/** Every runtime this file started, so that none outlives it whatever fails. */
const children = new Set<ChildProcess>();

/** `kite up` in the foreground on `dir`; resolves once it prints its ready line. */
async function startKite(dir: string): Promise<Running> {
  const child = spawn(process.execPath, [KITE_BIN, 'up', '--state-dir', dir, '--simulate', '--nodes', '3'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`kite up not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (/kite control plane ready in/.test(stderr)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`kite up exited (${code ?? signal}) before it was ready`));
    function fail(e: Error) {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n--- stderr ---\n${stderr}`));
    }
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
  // Keep draining stderr so the child never blocks on a full pipe.
  child.stderr!.on('data', () => {});
  const target = loadKubeconfig({ kubeconfig: join(dir, 'kubeconfig') });
  if (target instanceof KubeconfigError) throw target;
  return { child, exited, client: new KubeClient(target, { timeoutMs: 20_000, maxRetries: 0 }) };
}

/** The request never got an answer: the server died (or its client was closed by the kill). Its outcome is unknown. */
function unanswered(e: unknown): boolean {
  return e instanceof KubeUnreachableError || (e instanceof Error && e.message === 'KubeClient is closed');
}

function statusCode(e: unknown): number | undefined {
  return e instanceof KubeApiError ? e.code : undefined;
}

interface CmState {
  name: string;
  /** Known to exist (create acknowledged, or a create was refused with AlreadyExists). */
  exists: boolean;
  /** The next seq to write. */
  next: number;
  /** Highest acknowledged seq (0 = none). */
  acked: number;
  /** An acknowledged create (the object must exist unless deleted). */
  created: boolean;
  /** Deleted by an acknowledged delete / a delete whose outcome is unknown: no longer written. */
  deleted: 'no' | 'acked' | 'unknown';
  busy: boolean;
}

interface RsState {
  name: string;
  exists: boolean;
  created: boolean;
  /** Every replicas value sent (create or scale), in order, and whether it was acknowledged. */
  attempts: Array<{ replicas: number; acked: boolean }>;
  busy: boolean;
}

function replicaSet(name: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: NS, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  };
}

type Obj = { metadata: { name: string; uid: string; generation?: number; deletionTimestamp?: string; ownerReferences?: Array<{ uid: string; controller?: boolean }> }; spec?: { replicas?: number }; status?: { phase?: string; replicas?: number; observedGeneration?: number }; data?: Record<string, string> };

describe('kite up survives SIGKILL', () => {
  let dir: string | undefined;
  let current: Running | undefined;

  afterAll(async () => {
    await Promise.all(
      [...children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    current?.client.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write and converges ReplicaSets across ${MID_RUN_KILLS + 1} kill -9s during ${WRITES} writes (seed ${SEED})`, async () => {
    const t0 = performance.now();
    const rand = mulberry32(SEED);
    const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    dir = await mkdtemp(join(tmpdir(), 'kite-crash-'));

    // Kill points: distinct acknowledgement counts, spread over the run.
    const killAt = new Set<number>();
    while (killAt.size < MID_RUN_KILLS) killAt.add(pick(25, WRITES - 25));

    const cms: CmState[] = Array.from({ length: CONFIGMAPS }, (_, i) => ({ name: `crash-cm-${i}`, exists: false, next: 1, acked: 0, created: false, deleted: 'no', busy: false }));
    const rss: RsState[] = Array.from({ length: REPLICASETS }, (_, i) => ({ name: `crash-rs-${i}`, exists: false, created: false, attempts: [], busy: false }));

    let acks = 0;
    let unacked = 0;
    let kills = 0;
    const unexpected: string[] = [];

    // The runtime's availability: writers wait on `up` while it restarts.
    current = await startKite(dir);
    let up: Promise<Running> = Promise.resolve(current);
    let restarting: Promise<void> | undefined;

    let down = false;
    const killedAt: number[] = [];
    const kill = (): void => {
      const victim = current!;
      kills++;
      killedAt.push(acks);
      down = true;
      victim.child.kill('SIGKILL');
      restarting = (async () => {
        await victim.exited;
        victim.client.close();
        current = await startKite(dir!);
        down = false;
      })();
      up = restarting.then(() => current!);
    };

    // Answers the dead server sent before it died still arrive (and count) after the kill; a kill
    // point reached while it is down fires at the first acknowledgement after the restart.
    const killPoints = [...killAt].sort((a, b) => a - b);
    const ack = (): void => {
      acks++;
      if (!down && killPoints.length > 0 && acks >= killPoints[0]!) {
        killPoints.shift();
        kill();
      }
    };

    /** One write (create, update, scale or delete) on an object no other worker is writing. */
    const writeOnce = async (rt: Running): Promise<void> => {
      const c = rt.client;
      const doRs = rand() < 0.15;
      if (doRs) {
        const free = rss.filter((r) => !r.busy);
        if (free.length > 0) {
          const rs = free[Math.floor(rand() * free.length)]!;
          rs.busy = true;
          const replicas = pick(2, 10);
          const attempt = { replicas, acked: false };
          rs.attempts.push(attempt);
          try {
            if (!rs.exists) {
              try {
                await c.request('POST', `/apis/apps/v1/namespaces/${NS}/replicasets`, { body: replicaSet(rs.name, replicas) });
                rs.exists = rs.created = true;
                attempt.acked = true;
                ack();
              } catch (e) {
                if (statusCode(e) === 409) {
                  // An unacknowledged create landed before the kill; its replicas stand, this one's never applied.
                  rs.exists = true;
                  rs.attempts.pop();
                } else throw e;
              }
            } else {
              await c.request('PATCH', `/apis/apps/v1/namespaces/${NS}/replicasets/${rs.name}`, {
                body: { spec: { replicas } },
                contentType: 'application/merge-patch+json',
              });
              attempt.acked = true;
              ack();
            }
          } catch (e) {
            if (unanswered(e)) unacked++;
            else unexpected.push(`ReplicaSet ${rs.name} (replicas ${replicas}): ${(e as Error).message}`);
          } finally {
            rs.busy = false;
          }
          return;
        }
      }
      const free = cms.filter((m) => !m.busy && m.deleted === 'no');
      if (free.length === 0) throw new Error('no ConfigMap left to write');
      const cm = free[Math.floor(rand() * free.length)]!;
      cm.busy = true;
      const seq = cm.next++;
      const del = cm.exists && cm.acked >= 3 && rand() < 0.03;
      try {
        if (del) {
          try {
            await c.request('DELETE', `/api/v1/namespaces/${NS}/configmaps/${cm.name}`, { body: { apiVersion: 'v1', kind: 'DeleteOptions' } });
            cm.deleted = 'acked';
            ack();
          } catch (e) {
            if (unanswered(e)) cm.deleted = 'unknown';
            throw e;
          }
        } else if (!cm.exists) {
          try {
            await c.request('POST', `/api/v1/namespaces/${NS}/configmaps`, {
              body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm.name, namespace: NS }, data: { seq: String(seq) } },
            });
            cm.exists = cm.created = true;
            cm.acked = seq;
            ack();
          } catch (e) {
            if (statusCode(e) === 409) cm.exists = true; // an unacknowledged create landed
            else throw e;
          }
        } else {
          await c.request('PATCH', `/api/v1/namespaces/${NS}/configmaps/${cm.name}`, {
            body: { data: { seq: String(seq) } },
            contentType: 'application/merge-patch+json',
          });
          cm.acked = seq;
          ack();
        }
      } catch (e) {
        if (unanswered(e)) unacked++;
        else unexpected.push(`ConfigMap ${cm.name} (seq ${seq}${del ? ', delete' : ''}): ${(e as Error).message}`);
      } finally {
        cm.busy = false;
      }
    };

    // Exactly WRITES acknowledgements: a write starts only while acks + in-flight < WRITES; when
    // that is not the case a worker waits for an in-flight write to settle (it may go unanswered).
    let inflight = 0;
    let settled: Promise<void> = Promise.resolve();
    let onSettle = (): void => {};
    const resetSettled = () => (settled = new Promise<void>((r) => (onSettle = r)));
    resetSettled();
    const worker = async (): Promise<void> => {
      while (acks < WRITES && unexpected.length === 0) {
        if (acks + inflight >= WRITES) {
          await settled;
          continue;
        }
        inflight++;
        try {
          await writeOnce(await up);
        } finally {
          inflight--;
          onSettle();
          resetSettled();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(unexpected).toEqual([]);
    // A kill triggered by the last acknowledgements may still be restarting.
    await restarting;
    expect(kills).toBe(MID_RUN_KILLS);

    // The final crash: kill -9 right after the last acknowledgement, then restart and check.
    kill();
    await restarting;
    const c = current!.client;

    const cmList = (await c.request('GET', `/api/v1/namespaces/${NS}/configmaps`)) as { items: Obj[] };
    const stored = new Map(cmList.items.map((o) => [o.metadata.name, o]));
    const lost: string[] = [];
    for (const cm of cms) {
      const obj = stored.get(cm.name);
      if (cm.deleted === 'acked') {
        if (obj) lost.push(`${cm.name}: deleted (acknowledged) but still there`);
        continue;
      }
      if (cm.deleted === 'unknown' && !obj) continue;
      if (cm.created && !obj) {
        lost.push(`${cm.name}: acknowledged create (seq ${cm.acked}) is gone`);
        continue;
      }
      if (obj && Number(obj.data?.seq) < cm.acked) lost.push(`${cm.name}: seq ${obj.data?.seq} < acknowledged ${cm.acked}`);
      if (obj && Number(obj.data?.seq) >= cm.next) lost.push(`${cm.name}: seq ${obj.data?.seq} was never written`);
    }

    const rsList = (await c.request('GET', `/apis/apps/v1/namespaces/${NS}/replicasets`)) as { items: Obj[] };
    const rsStored = new Map(rsList.items.map((o) => [o.metadata.name, o]));
    for (const rs of rss) {
      const obj = rsStored.get(rs.name);
      if (rs.created && !obj) {
        lost.push(`ReplicaSet ${rs.name}: acknowledged create is gone`);
        continue;
      }
      if (!obj) continue;
      const lastAck = rs.attempts.map((a) => a.acked).lastIndexOf(true);
      const allowed = new Set(rs.attempts.slice(Math.max(lastAck, 0)).map((a) => a.replicas));
      if (!allowed.has(obj.spec!.replicas!)) {
        lost.push(`ReplicaSet ${rs.name}: replicas ${obj.spec!.replicas} not in {${[...allowed].join(', ')}} (attempts ${rs.attempts.map((a) => `${a.replicas}${a.acked ? '' : '?'}`).join(' ')})`);
      }
    }
    expect(lost).toEqual([]);

    // Every ReplicaSet owns exactly spec.replicas active pods, its status agrees, and it stays so.
    const podCounts = async (): Promise<{ ok: boolean; report: string[]; pods: number }> => {
      const rsNow = ((await c.request('GET', `/apis/apps/v1/namespaces/${NS}/replicasets`)) as { items: Obj[] }).items;
      const pods = ((await c.request('GET', `/api/v1/namespaces/${NS}/pods`)) as { items: Obj[] }).items;
      const active = new Map<string, number>();
      for (const p of pods) {
        const owner = p.metadata.ownerReferences?.find((r) => r.controller);
        const phase = p.status?.phase;
        if (!owner || p.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') continue;
        active.set(owner.uid, (active.get(owner.uid) ?? 0) + 1);
      }
      let ok = true;
      let total = 0;
      const report = rsNow.map((rs) => {
        const want = rs.spec!.replicas!;
        const have = active.get(rs.metadata.uid) ?? 0;
        total += have;
        const settled = rs.status?.observedGeneration === rs.metadata.generation && rs.status?.replicas === want;
        if (have !== want || !settled) ok = false;
        return `${rs.metadata.name}: ${have}/${want} pods, status.replicas ${rs.status?.replicas}`;
      });
      return { ok, report, pods: total };
    };
    let last: Awaited<ReturnType<typeof podCounts>> | undefined;
    try {
      await eventually(
        async () => {
          last = await podCounts();
          return last.ok;
        },
        { timeoutMs: CONVERGE_TIMEOUT_MS, what: 'every ReplicaSet to own exactly spec.replicas active pods' },
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${last?.report.join('\n')}`);
    }
    for (let i = 0; i < 2; i++) {
      const again = await podCounts();
      expect(again.report, 'after convergence').toEqual(last!.report);
      expect(again.ok).toBe(true);
    }

    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `crash: seed ${SEED}, ${kills} kill -9s (at acks ${killedAt.join(', ')}), ${acks} acknowledged writes, ${unacked} unanswered, ` +
        `${stored.size} ConfigMaps, ${rsStored.size} ReplicaSets with ${last!.pods} pods — all present and converged in ${seconds}s`,
    );
  }, 180_000);
});
