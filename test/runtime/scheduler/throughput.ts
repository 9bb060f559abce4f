/**
 * Scheduling and simulated-kubelet throughput on 100 nodes (not a unit test):
 *   npx tsx test/runtime/scheduler/throughput.ts [pods=5000] [nodes=100]
 * Phase 1 creates the pods with no scheduler running; phase 2 starts the scheduler and times
 * until every pod is bound; phase 3 times until every pod is Running (the simulated kubelets).
 */
import { startKubelets } from '../../../runtime/kubelet/fleet.ts';
import { startScheduler } from '../../../runtime/scheduler/scheduler.ts';
import { startControlPlane } from '../harness.ts';

const PODS = Number(process.argv[2] ?? 5000);
const NODES = Number(process.argv[3] ?? 100);
const events = process.argv[4] !== 'noevents';

const cp = await startControlPlane();
const client = cp.client;
const nodes = await startKubelets(client, { count: NODES, cpu: '32', memory: '64Gi', recordEvents: events });
const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: '7d0c4b8e-0000-4000-8000-000000000001', controller: true };

let t = performance.now();
const batch = 500;
for (let i = 0; i < PODS; i += batch) {
  const n = Math.min(batch, PODS - i);
  await Promise.all(
    Array.from({ length: n }, (_, j) =>
      client.create('pods', 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${i + j}`, labels: { app: 'web' }, ownerReferences: [owner] },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      }),
    ),
  );
}
console.log(`created ${PODS} pods in ${(performance.now() - t).toFixed(0)} ms`);

const count = (pred: (p: Record<string, any>) => boolean) => client.list('pods', 'default').items.filter(pred).length;
const waitFor = async (pred: (p: Record<string, any>) => boolean) => {
  for (;;) {
    if (count(pred) === PODS) return;
    await new Promise((r) => setTimeout(r, 20));
  }
};

t = performance.now();
const scheduler = startScheduler(client);
await waitFor((p) => !!p.spec.nodeName);
const bindMs = performance.now() - t;
console.log(`scheduled ${PODS} pods on ${NODES} nodes in ${bindMs.toFixed(0)} ms: ${((PODS / bindMs) * 1000).toFixed(0)} pods/s`);
await waitFor((p) => p.status?.phase === 'Running');
const runMs = performance.now() - t;
console.log(`all Running after ${runMs.toFixed(0)} ms: ${((PODS / runMs) * 1000).toFixed(0)} pods/s end to end (kubelet events ${events ? 'on' : 'off'})`);
const perNode = new Map<string, number>();
for (const p of client.list('pods', 'default').items) perNode.set(p.spec.nodeName ?? '', (perNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
console.log(`spread: min ${Math.min(...perNode.values())}, max ${Math.max(...perNode.values())} pods per node`);
console.log(scheduler.stats);

await scheduler.stop();
await nodes.stop();
await cp.close();
