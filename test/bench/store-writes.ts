// Store write benchmark: acknowledged durable writes/s through runtime/store (group commit, WAL,
// synchronous=FULL) with N concurrent writers, against raw better-sqlite3 doing one
// insert-with-fsync per write in the same process on the same disk.
//
//   npx tsx test/bench/store-writes.ts [--runs 5] [--seconds 1] [--writers 1,10,100]
//
// Rows (median of --runs runs; each run uses a fresh state directory under test/bench/.work/):
//   raw sqlite   better-sqlite3, WAL + synchronous=FULL, one autocommitted INSERT per write, in a
//                loop for --seconds (the fsync-bound baseline; "latency" is one INSERT's time)
//   store N=k    k async writers, each `await store.create(...)` in a loop for --seconds;
//                writes/s = acknowledged creates / elapsed; latency = call → promise resolved
//   store burst  10,000 creates issued at once, time until all are acknowledged
// Every write is a ~1.3 KB Pod-like object under /registry/pods/bench/. Also printed: the average
// batch size (writes per transaction), the main thread's event-loop delay during the run (p99 and
// max; the fsyncs run on the store's worker thread, so they never stall it), and the read path
// (open and list with 10k objects, frozen sharing vs structuredClone).
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openStore } from '../../runtime/store/sqlite-store.ts';
import { loadSqlite } from '../../runtime/store/sqlite-driver.ts';
import type { JsonObject } from '../../runtime/store/types.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORK = join(ROOT, 'test', 'bench', '.work');

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '1' },
    writers: { type: 'string', default: '1,10,100' },
  },
});
const RUNS = Number(opts.runs);
const SECONDS = Number(opts.seconds);
const WRITERS = opts.writers!.split(',').map(Number);
if (!(RUNS >= 1) || !(SECONDS > 0) || WRITERS.some((n) => !(n >= 1))) throw new Error('usage: --runs N --seconds S --writers 1,10,100');

function pod(i: number): JsonObject {
  const name = `web-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'bench',
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '5d8f9c7b6d' },
      annotations: { 'kite.dev/source': 'examples/web.ts:12:5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
          terminationMessagePath: '/dev/termination-log',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

let runSeq = 0;
function freshDir(): string {
  const d = join(WORK, `store-${process.pid}-${runSeq++}`);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Run {
  wps: number;
  p50: number;
  p99: number;
  batch?: number;
  stall?: number;
  stallP99?: number;
}

function rawSqlite(): Run {
  const dir = freshDir();
  const Database = loadSqlite();
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE objects (key TEXT PRIMARY KEY, rv INTEGER NOT NULL, value TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO objects (key, rv, value) VALUES (?, ?, ?)');
  const lat: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let n = 0;
  for (let t = start; t < end; ) {
    const obj = pod(n);
    const text = JSON.stringify(obj);
    const t0 = performance.now();
    insert.run(`/registry/pods/bench/web-${n}`, n + 1, text);
    t = performance.now();
    lat.push(t - t0);
    n++;
  }
  const elapsed = performance.now() - start;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return { wps: (n / elapsed) * 1000, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function storeWriters(writers: number): Promise<Run> {
  const dir = freshDir();
  const store = openStore(dir);
  const lat: number[] = [];
  const stall = monitorEventLoopDelay({ resolution: 1 });
  let next = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  stall.enable();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < end) {
        const i = next++;
        const t0 = performance.now();
        await store.create(`/registry/pods/bench/web-${i}`, pod(i));
        lat.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - start;
  stall.disable();
  const { writes, commits } = store.stats;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return { wps: (lat.length / elapsed) * 1000, p50: pct(lat, 50), p99: pct(lat, 99), batch: writes / commits, stall: stall.max / 1e6, stallP99: stall.percentile(99) / 1e6 };
}

async function storeBurst(n: number): Promise<Run> {
  const dir = freshDir();
  const store = openStore(dir);
  const objs = Array.from({ length: n }, (_, i) => pod(i));
  const lat: number[] = [];
  const start = performance.now();
  await Promise.all(objs.map((o, i) => store.create(`/registry/pods/bench/web-${i}`, o).then(() => lat.push(performance.now() - start))));
  const elapsed = performance.now() - start;
  const { writes, commits } = store.stats;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return { wps: (n / elapsed) * 1000, p50: pct(lat, 50), p99: pct(lat, 99), batch: writes / commits };
}

async function readPath(): Promise<{ open: number; list: number; clone: number; get: number; getClone: number }> {
  const dir = freshDir();
  let store = openStore(dir);
  await Promise.all(Array.from({ length: 10_000 }, (_, i) => store.create(`/registry/pods/bench/web-${String(i).padStart(5, '0')}`, pod(i))));
  await store.close();
  let t = performance.now();
  store = openStore(dir);
  const open = performance.now() - t;
  const lists: number[] = [];
  const clones: number[] = [];
  for (let r = 0; r < 21; r++) {
    t = performance.now();
    const { items } = store.list('/registry/pods/bench/');
    lists.push(performance.now() - t);
    t = performance.now();
    structuredClone(items);
    clones.push(performance.now() - t);
  }
  const key = '/registry/pods/bench/web-05000';
  t = performance.now();
  for (let r = 0; r < 100_000; r++) store.get(key);
  const get = ((performance.now() - t) / 100_000) * 1000;
  t = performance.now();
  for (let r = 0; r < 10_000; r++) structuredClone(store.get(key));
  const getClone = ((performance.now() - t) / 10_000) * 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { open, list: median(lists), clone: median(clones), get, getClone };
}

function summarize(runs: Run[]): Run {
  const m = (f: (r: Run) => number | undefined) => {
    const xs = runs.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  return { wps: m((r) => r.wps)!, p50: m((r) => r.p50)!, p99: m((r) => r.p99)!, batch: m((r) => r.batch), stall: m((r) => r.stall), stallP99: m((r) => r.stallP99) };
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '-' : n.toFixed(digits));

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  console.log(`store write benchmark: ${RUNS} runs × ${SECONDS}s per cell, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()[0]!.toFixed(2)}, node ${process.version}`);
  console.log(`state directories under ${WORK}\n`);

  // Warm up the JIT and the disk path once (not reported).
  await storeWriters(10);
  rawSqlite();

  const rows: [string, Run][] = [];
  const rawRuns: Run[] = [];
  for (let r = 0; r < RUNS; r++) rawRuns.push(rawSqlite());
  const raw = summarize(rawRuns);
  rows.push(['raw sqlite (1 insert+fsync)', raw]);
  for (const n of WRITERS) {
    const runs: Run[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await storeWriters(n));
    rows.push([`store, ${n} writer${n === 1 ? '' : 's'}`, summarize(runs)]);
  }
  const burstRuns: Run[] = [];
  for (let r = 0; r < RUNS; r++) burstRuns.push(await storeBurst(10_000));
  rows.push(['store, burst of 10,000', summarize(burstRuns)]);

  const header = ['', 'writes/s', '× raw', 'p50 ms', 'p99 ms', 'writes/commit', 'loop delay p99/max ms'];
  const table = rows.map(([name, r]) => [name, fmt(r.wps, 0), fmt(r.wps / raw.wps, 1), fmt(r.p50, 3), fmt(r.p99, 3), fmt(r.batch, 1), r.stall === undefined ? '-' : `${fmt(r.stallP99, 1)} / ${fmt(r.stall, 1)}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of table) console.log(line(row));

  const rp = await readPath();
  console.log(`\nread path, 10,000 pods under one prefix (median of 21):`);
  console.log(`  openStore (load + parse + freeze)   ${fmt(rp.open, 1)} ms`);
  console.log(`  list (frozen, shared objects)       ${fmt(rp.list, 3)} ms`);
  console.log(`  structuredClone of that list        ${fmt(rp.clone, 1)} ms   (what copy-on-read would add)`);
  console.log(`  get                                 ${fmt(rp.get, 3)} µs   vs ${fmt(rp.getClone, 1)} µs with structuredClone`);
  console.log(`\nload at end ${loadavg()[0]!.toFixed(2)}`);
}

await main();
