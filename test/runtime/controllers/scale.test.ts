import { afterEach, expect, test } from 'vitest';
import type { Pod, PodStatus } from '../../../lib/api/model.ts';
import type { ApiClient } from '../../../runtime/client/client.ts';
import { startControllers, type RunningControllers } from '../../../runtime/controllers/index.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { deleteRetrying, replicaSet } from './helpers.ts';

let cp: TestControlPlane | undefined;
let controllers: RunningControllers | undefined;
let stopSim: (() => void) | undefined;

afterEach(async () => {
  stopSim?.();
  await controllers?.stop();
  await cp?.close();
  cp = controllers = stopSim = undefined;
});

/**
 * Stand-ins for the scheduler and 100 kubelets (the real ones live elsewhere): every new pod is
 * bound round-robin to a node, then reported Running and Ready with an IP — one write each,
 * driven by a watch, as fast as the API allows.
 */
function simulateNodes(client: ApiClient, nodes: number): () => void {
  let next = 0;
  let ip = 0;
  const inflight = new Set<string>();
  let stopped = false;
  // After each write, look at the pod again: its next event may have arrived while the write was in flight.
  const again = (ns: string, name: string) => () => {
    inflight.delete(`${ns}/${name}`);
    const cur = client.get('pods', ns, name);
    if (cur && !stopped) handle(cur);
  };
  const handle = (p: Pod) => {
    const { namespace: ns = '', name = '' } = p.metadata;
    const key = `${ns}/${name}`;
    if (p.metadata.deletionTimestamp || inflight.has(key)) return;
    if (!p.spec.nodeName) {
      inflight.add(key);
      void client.bind(ns, name, `node-${next++ % nodes}`).catch(() => {}).finally(again(ns, name));
    } else if (p.status?.phase !== 'Running') {
      inflight.add(key);
      const n = ip++;
      const addr = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      const status: PodStatus = {
        ...p.status,
        phase: 'Running',
        podIP: addr,
        podIPs: [{ ip: addr }],
        conditions: [
          { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' },
        ],
      };
      void client.updateStatus('pods', { ...p, status }).catch(() => {}).finally(again(ns, name));
    }
  };
  const stop = client.watch('pods', undefined, {}, (e) => {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') handle(e.object);
  });
  return () => {
    stopped = true;
    stop();
  };
}

// The rate is printed, not asserted (timing belongs to the bench: test/bench/control-plane.ts).
test('10,000 replicas on 100 simulated nodes: all ready; endpoints and slices follow; GC cleans up', { timeout: 120_000 }, async () => {
  cp = await startControlPlane();
  const { client } = cp;
  controllers = startControllers(client);
  stopSim = simulateNodes(client, 100);
  await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });

  const n = 10_000;
  const started = performance.now();
  await client.create('replicasets', 'default', replicaSet('web', n));
  await eventually(() => client.get('replicasets', 'default', 'web')?.status?.readyReplicas === n, { timeoutMs: 60_000, what: 'all ready' });
  const seconds = (performance.now() - started) / 1000;
  const rate = n / seconds;
  console.log(`10,000 replicas ready in ${seconds.toFixed(2)} s: ${Math.round(rate)} pods/s`);
  expect(client.list('pods', 'default').items).toHaveLength(n);

  // the service's Endpoints hold 1000 ready addresses (truncated); its slices hold them all, 100 a slice
  const ep = await eventually(() => {
    const e = client.get('endpoints', 'default', 'web');
    return e?.subsets?.[0]?.addresses?.length === 1000 && e;
  }, { timeoutMs: 20_000, what: 'endpoints' });
  expect(ep.metadata.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
  const slices = await eventually(() => {
    const items = client.list('endpointslices', 'default').items;
    return items.reduce((sum, s) => sum + s.endpoints.filter((e) => e.conditions?.ready).length, 0) === n && items;
  }, { timeoutMs: 20_000, what: 'slices' });
  expect(slices).toHaveLength(n / 100);

  // the controllers' event writes stay bounded (the correlator's spam filter)
  expect(client.list('events', 'default').items.length).toBeLessThanOrEqual(30);

  // deleting the ReplicaSet (Background) collects the pods: they go Terminating (their kubelets finish them)
  const t0 = performance.now();
  await deleteRetrying(client, 'replicasets', 'default', 'web', { propagationPolicy: 'Background' });
  await eventually(() => client.list('pods', 'default').items.every((p) => p.metadata.deletionTimestamp), { timeoutMs: 60_000, what: 'pods terminating' });
  console.log(`10,000 pods marked for deletion by the GC in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
});
