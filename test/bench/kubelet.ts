// Process-kubelet benchmark: pods run as real local processes by `kite up` (no --simulate),
// measured from outside through the API, against issue 11's targets.
//
//   npx tsx test/bench/kubelet.ts [--pods 100] [--rate 20] [--seconds 10] [--runs 1]
//
// Rows (state dirs are fresh, under test/bench/.work/; the repository's kite.images.yaml):
//   bound → Running     per pod, from the watch event that shows it bound to a node to the one
//                       that shows phase Running; p50 / p99 over --pods pods created at --rate
//                       pods/s (each `busybox` running `sleep`, so the program's own start is ~1 ms)
//   bound → Ready       the same to condition Ready=True, with an immediate readiness probe
//                       (exec `true`, no initial delay; periodSeconds 10, so the probes of pods
//                       already running do not load the machine while later ones start)
//   kubelet CPU         CPU the runtime process uses (% of one core) over --seconds, with those
//                       pods running: without probes (baseline), with an exec readiness probe
//                       every second per pod (`true`), and with an httpGet probe every second per pod
//                       (the node-express-info stand-in); the probe rows also as the overhead over
//                       the baseline measured in the same run
//
// Targets (issue 11): p99 bound → Running under 150 ms plus the program's own start; kubelet
// overhead under 5% of one core at 100 probes/s.
import { cpuMsOf } from './proc.ts';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubeClient, KubeconfigError, loadKubeconfig, type KubeObject } from '../../lib/kube/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KITE_BIN = join(ROOT, 'bin', 'kite.js');
const WORK = join(ROOT, 'test', 'bench', '.work');
const CATALOG = join(ROOT, 'kite.images.yaml');

const { values: opts } = parseArgs({
  options: {
    pods: { type: 'string', default: '100' },
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '1' },
  },
});
const PODS = Number(opts.pods);
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const RUNS = Number(opts.runs);
const PODS_REF = { apiVersion: 'v1', kind: 'Pod', namespaced: true, resource: 'pods' } as const;

const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [KITE_BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`kite ${args.join(' ')} exited ${code}:\n${stderr}`))));
  });
}

interface Runtime {
  dir: string;
  pid: number;
  client: KubeClient;
  stop(): Promise<void>;
}

async function startKite(tag: string): Promise<Runtime> {
  const dir = join(WORK, `kubelet-${tag}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  await run(['up', '--detach', '--state-dir', dir, '--images', CATALOG]);
  const pid = (JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as { pid: number }).pid;
  const target = loadKubeconfig({ kubeconfig: join(dir, 'kubeconfig') });
  if (target instanceof KubeconfigError) throw target;
  const client = new KubeClient(target, { maxRetries: 0 });
  return {
    dir,
    pid,
    client,
    stop: async () => {
      client.close();
      await run(['down', '--state-dir', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Probe = ({ exec: { command: string[] } } | { httpGet: { path: string; port: number } }) & { periodSeconds?: number };
type PodObject = KubeObject & {
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
};

function podManifest(name: string, kind: 'sleep' | 'http', probe: Probe | undefined): KubeObject {
  const container =
    kind === 'sleep'
      ? { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }
      : { name: 'main', image: 'jonbaier/node-express-info:latest', ports: [{ containerPort: 80 }] };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { bench: kind } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ ...container, ...(probe ? { readinessProbe: { periodSeconds: 1, ...probe, initialDelaySeconds: 0 } } : {}) }],
    },
  };
}

interface Latencies {
  running: number[];
  ready: number[];
}

/** Creates `count` pods at RATE pods/s and times each from bound to Running and to Ready, from one watch. */
async function createAndTime(c: KubeClient, prefix: string, kind: 'sleep' | 'http', probe: Probe | undefined): Promise<Latencies> {
  const bound = new Map<string, number>();
  const running = new Map<string, number>();
  const ready = new Map<string, number>();
  const list = (await c.request('GET', '/api/v1/namespaces/default/pods')) as { metadata: { resourceVersion: string } };
  const w = c.watch<PodObject>(PODS_REF, { namespace: 'default', resourceVersion: list.metadata.resourceVersion }, (ev) => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
    const name = ev.object.metadata?.name as string;
    if (!name.startsWith(prefix)) return;
    const now = performance.now();
    if (ev.object.spec?.nodeName && !bound.has(name)) bound.set(name, now);
    if (ev.object.status?.phase === 'Running' && !running.has(name)) running.set(name, now);
    if (ev.object.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') && !ready.has(name)) ready.set(name, now);
    if (ready.size === PODS) w.stop();
  });
  const t0 = performance.now();
  for (let i = 0; i < PODS; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await c.request('POST', '/api/v1/namespaces/default/pods', { body: podManifest(`${prefix}${i}`, kind, probe) });
  }
  const timer = setTimeout(() => w.stop(), 120_000);
  await w.done;
  clearTimeout(timer);
  if (ready.size < PODS) throw new Error(`only ${ready.size} of ${PODS} pods ready within 120 s`);
  const since = (m: Map<string, number>) => [...m].map(([n, t]) => t - bound.get(n)!).sort((a, b) => a - b);
  return { running: since(running), ready: since(ready) };
}

async function deleteAll(c: KubeClient, label: string): Promise<void> {
  await c.request('DELETE', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(label)}&gracePeriodSeconds=1`).catch(() => {
    // deletecollection unsupported: one by one
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const l = (await c.request('GET', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(label)}`)) as { items: unknown[] };
    if (l.items.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${l.items.length} pods (${label}) still there after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** % of one core the runtime used over SECONDS. */
async function cpuPercent(pid: number): Promise<number> {
  const before = cpuMsOf(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  return ((cpuMsOf(pid) - before) / (performance.now() - t0)) * 100;
}

async function main(): Promise<void> {
  log(`kubelet bench: ${PODS} pods at ${RATE}/s, CPU over ${SECONDS} s, ${RUNS} run(s); load ${loadavg()[0]!.toFixed(2)}`);
  const rows: { p50run: number; p99run: number; p50ready: number; p99ready: number; idle: number; exec: number; http: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const rt = await startKite(String(r));
    try {
      // The first probe runs at once; later ones every 10 s, so earlier pods' probes do not load the machine while later pods start.
      const lat = await createAndTime(rt.client, 'lat-', 'sleep', { exec: { command: ['true'] }, periodSeconds: 10 });
      await deleteAll(rt.client, 'bench=sleep');
      await createAndTime(rt.client, 'exec-', 'sleep', { exec: { command: ['true'] } });
      const exec = await cpuPercent(rt.pid);
      await deleteAll(rt.client, 'bench=sleep');
      await createAndTime(rt.client, 'idle-', 'http', undefined);
      const idle = await cpuPercent(rt.pid);
      await deleteAll(rt.client, 'bench=http');
      await createAndTime(rt.client, 'http-', 'http', { httpGet: { path: '/status/', port: 80 } });
      const http = await cpuPercent(rt.pid);
      await deleteAll(rt.client, 'bench=http');
      rows.push({
        p50run: pct(lat.running, 50),
        p99run: pct(lat.running, 99),
        p50ready: pct(lat.ready, 50),
        p99ready: pct(lat.ready, 99),
        idle,
        exec,
        http,
      });
      log(`run ${r + 1}: ${JSON.stringify(rows.at(-1))}`);
    } finally {
      await rt.stop();
    }
  }
  const m = (k: keyof (typeof rows)[number]) => median(rows.map((x) => x[k]));
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const out = [
    `| measure (${PODS} pods, median of ${RUNS}) | figure | target |`,
    '|---|---|---|',
    `| bound → Running p50 / p99 | ${ms(m('p50run'))} / ${ms(m('p99run'))} | p99 < 150 ms + program start |`,
    `| bound → Ready p50 / p99 (exec readiness probe, no delay) | ${ms(m('p50ready'))} / ${ms(m('p99ready'))} | — |`,
    `| runtime CPU, ${PODS} pods, no probes | ${m('idle').toFixed(1)}% of a core | — |`,
    `| runtime CPU, ${PODS} httpGet probes/s | ${m('http').toFixed(1)}% (overhead ${(m('http') - m('idle')).toFixed(1)}%) | overhead < 5% |`,
    `| runtime CPU, ${PODS} exec probes/s | ${m('exec').toFixed(1)}% (overhead ${(m('exec') - m('idle')).toFixed(1)}%) | — |`,
  ];
  console.log(out.join('\n'));
}

await main();
