// Process kubelet benchmark (issue 11): pod start latency and the kubelet's CPU use, with real
// processes, the runtime in this process (one node, the host's CPUs).
//
//   npx tsx test/bench/kubelet.ts [--pods 100] [--seconds 10]
//
// Rows:
//   spawn floor          `/bin/sh -c true`, spawn to exit (median of 20): a program's own start
//   bound → Running      per pod, from the watch event that first shows spec.nodeName to the one
//                        showing its container running (p50 / p99): 20 pods one at a time (a quiet
//                        node), then --pods pods created at once (a burst, queueing included)
//   bound → Ready        the same to the Ready condition, each pod with an immediate exec readiness
//                        probe (`true`, periodSeconds 1)
//   CPU, N pods probed   this process's CPU time (API server, controllers, scheduler, kubelet: an
//                        upper bound of the kubelet's) over --seconds with every pod probed every
//                        second, as % of one core
// Targets: p99 bound → Running under 150 ms plus the program's own start; kubelet overhead under
// 5% of one core at 100 probes/s.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pod } from '../../lib/api/model.ts';
import { startRuntime } from '../../runtime/runtime.ts';

const { values: opts } = parseArgs({ options: { pods: { type: 'string', default: '100' }, seconds: { type: 'string', default: '10' } } });
const PODS = Number(opts.pods);
const SECONDS = Number(opts.seconds);
const SINGLES = 20;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function spawnFloor(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await new Promise((r) => spawn('/bin/sh', ['-c', 'true']).once('exit', r));
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

function pod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox', command: ['/bin/sh', '-c', 'exec sleep 100000'], readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }],
    },
  };
}

const dir = await mkdtemp(join(tmpdir(), 'kite-bench-kubelet-'));
const rt = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '64', nodeMemory: '256Gi', simulate: false });
try {
  const floor = await spawnFloor();
  const bound = new Map<string, number>();
  const running = new Map<string, number>();
  const ready = new Map<string, number>();
  const stopWatch = rt.client.watch('pods', 'default', {}, (e) => {
    const p = e.object as Pod;
    const name = p.metadata.name ?? '';
    const now = performance.now();
    if (p.spec.nodeName && !bound.has(name)) bound.set(name, now);
    if (p.status?.containerStatuses?.[0]?.state?.running && !running.has(name)) running.set(name, now);
    if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !ready.has(name)) ready.set(name, now);
  });
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 120_000;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const latencies = (names: string[]) => ({
    running: names.map((n) => running.get(n)! - bound.get(n)!),
    ready: names.map((n) => ready.get(n)! - bound.get(n)!),
  });
  // One pod at a time: the latency of a pod on a quiet node.
  const singles = Array.from({ length: SINGLES }, (_, i) => `bench-${PODS + i}`);
  for (let i = 0; i < SINGLES; i++) {
    await rt.client.create('pods', 'default', pod(PODS + i));
    await until(() => ready.has(singles[i]!), `pod ${singles[i]} Ready`);
  }
  const single = latencies(singles);
  for (const n of singles) await rt.client.delete('pods', 'default', n, { gracePeriodSeconds: 0 });
  // All at once: the node's throughput under a burst.
  await Promise.all(Array.from({ length: PODS }, (_, i) => rt.client.create('pods', 'default', pod(i))));
  await until(() => Array.from({ length: PODS }, (_, i) => `bench-${i}`).every((n) => ready.has(n)), `${PODS} pods Ready`);
  stopWatch();
  const burst = latencies(Array.from({ length: PODS }, (_, i) => `bench-${i}`));

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const used = process.cpuUsage(cpu0);
  const share = (used.user + used.system) / 1000 / (performance.now() - t0);

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`spawn floor (sh -c true)      ${ms(floor)}`);
  const row = (label: string, xs: number[], n: string) => console.log(`${label.padEnd(30)}${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))}   ${n}`);
  row('bound → Running  p50 / p99', single.running, `(${SINGLES} pods, one at a time)`);
  row('bound → Ready    p50 / p99', single.ready, `(${SINGLES} pods, one at a time)`);
  row('bound → Running  p50 / p99', burst.running, `(${PODS} pods created at once)`);
  row('bound → Ready    p50 / p99', burst.ready, `(${PODS} pods created at once)`);
  console.log(`CPU, ${PODS} pods probed every 1 s   ${(share * 100).toFixed(1)}% of one core (whole runtime process, ${SECONDS} s)`);
} finally {
  await rt.close();
  await rm(dir, { recursive: true, force: true });
}
