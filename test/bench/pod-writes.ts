// Pod write-path benchmark: the CPU the API server's write path (runtime/apiserver registry:
// admission, update rules, field managers; runtime/store: encoding, the frozen copy, the commit
// worker) spends on the writes a ReplicaSet scale-up makes per pod — the pod's create, its
// binding, the kubelet's status write and 4 Events (Scheduled, Pulled, Created, Started) — in
// this process, without the controllers, scheduler and watch fan-out that share the runtime's
// event loop, so a busy machine disturbs it far less than the end-to-end bench.
//
//   npx tsx test/bench/pod-writes.ts [--runs 5] [--pods 1000] [--baseline DIR]
//
// Rows: µs of CPU (process.cpuUsage: this thread and the store's commit worker) per pod, median
// of --runs rounds, each round a fresh store in a temp dir. --baseline DIR loads the same modules
// from another checkout (a `git worktree` of an older commit, with node_modules) into this
// process and alternates rounds with it (order swapped every round); the ratio is this / baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Registry } from '../../runtime/apiserver/registry.ts';
import type { InProcessClient } from '../../runtime/client/client.ts';
import { podEvent, replicaPod, runningStatus } from './pod-fixtures.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, pods: { type: 'string', default: '1000' }, baseline: { type: 'string' } } });
const RUNS = Number(opts.runs);
const PODS = Number(opts.pods);
if (!(RUNS >= 1) || !(PODS >= 1)) throw new Error('usage: --runs N --pods N [--baseline DIR]');

interface Tree {
  name: string;
  open(dir: string): { client: InProcessClient; registry: Registry; close(): Promise<void> };
}

async function load(dir: string, name: string): Promise<Tree> {
  const file = (p: string) => pathToFileURL(join(dir, p)).href;
  const { openStore } = (await import(file('runtime/store/sqlite-store.ts'))) as typeof import('../../runtime/store/sqlite-store.ts');
  const { Registry } = (await import(file('runtime/apiserver/registry.ts'))) as typeof import('../../runtime/apiserver/registry.ts');
  const { InProcessClient } = (await import(file('runtime/client/client.ts'))) as typeof import('../../runtime/client/client.ts');
  return {
    name,
    open(d) {
      const store = openStore(d);
      const registry = new Registry(store);
      return { client: new InProcessClient(registry), registry, close: () => store.close() };
    },
  };
}

/** One pod's writes, as a scale-up makes them (16 pods in flight, as the RS controller's batches). */
async function podWrites(client: InProcessClient, i: number): Promise<void> {
  const created = await client.create('pods', 'default', replicaPod(`web-${i}`) as never);
  const name = created.metadata.name!;
  const uid = created.metadata.uid!;
  await client.create('events', 'default', podEvent(name, uid, 'Scheduled', `${name}.0`) as never);
  await client.bind('default', name, 'kite-node-1');
  const bound = client.get('pods', 'default', name)!;
  for (const [n, reason] of ['Pulled', 'Created', 'Started'].entries()) await client.create('events', 'default', podEvent(name, uid, reason, `${name}.${n + 1}`) as never);
  await client.updateStatus('pods', { ...bound, status: runningStatus } as never);
}

/** µs of CPU per pod on `tree`, PODS pods on a fresh store. */
async function round(tree: Tree): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-pod-writes-'));
  const cp = tree.open(dir);
  try {
    for (const name of ['default', 'kube-system']) await cp.client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as never);
    const t0 = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < PODS) await podWrites(cp.client, next++);
      }),
    );
    const u = process.cpuUsage(t0);
    return (u.user + u.system) / PODS;
  } finally {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const trees = [await load(ROOT, 'this tree')];
if (opts.baseline) trees.push(await load(resolve(opts.baseline), 'baseline'));
process.stderr.write(`pod-writes bench: node ${process.version}, ${cpus().length} CPUs; load average ${loadavg()[0]!.toFixed(2)}\n`);
for (const t of trees) await round(t); // warm up (zod compiles hot kinds, V8 optimizes)
const us = trees.map(() => [] as number[]);
for (let k = 0; k < RUNS; k++) {
  const order = k % 2 === 0 ? trees.map((_, i) => i) : trees.map((_, i) => i).reverse();
  for (const i of order) us[i]!.push(await round(trees[i]!));
}
const m = us.map(median);
console.log(trees.length > 1 ? '| 7 writes per pod | this tree (CPU) | baseline | ratio |\n|---|---|---|---|' : '| 7 writes per pod | CPU |\n|---|---|');
console.log(`| ${PODS} pods, 16 in flight | ${m[0]!.toFixed(0)} µs per pod (${us[0]!.map((x) => x.toFixed(0)).join(', ')}) |${trees.length > 1 ? ` ${m[1]!.toFixed(0)} µs (${us[1]!.map((x) => x.toFixed(0)).join(', ')}) | ${(m[0]! / m[1]!).toFixed(2)}× |` : ''}`);
console.log(`(median of ${RUNS} rounds; load average at the end ${loadavg()[0]!.toFixed(2)})`);
