// `kite describe svc` against the real kubectl 1.32 on the same objects: a LoadBalancer with its
// address and the service controller's events, ClientIP affinity, named ports and more than three
// endpoints, a headless, an ExternalName and a selector-less Service, and `kubernetes`.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCommand } from '../../commands/describe.ts';
import type { Io } from '../../commands/output.ts';
import type { Service } from '../../lib/api/model.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

const KUBECTL = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let rt: TestRuntime;

function svc(name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { app: name }, annotations: { team: 'shop' } }, spec };
}

beforeAll(async () => {
  if (!KUBECTL) return;
  rt = await startTestRuntime({ nodes: 2 });
  const c = rt.runtime.client;
  const pods = 5;
  for (let i = 0; i < pods; i++) {
    await c.create('pods', 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9090 }] }] },
    });
  }
  await c.create('services', 'default', svc('web', { type: 'LoadBalancer', selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 9090, targetPort: 'admin', protocol: 'TCP' }] }));
  await c.create('services', 'default', svc('chosen', { type: 'LoadBalancer', loadBalancerIP: '192.0.2.7', selector: { app: 'none' }, ports: [{ port: 81 }] }));
  await c.create('services', 'default', svc('headless', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 8080 }] }));
  await c.create('services', 'default', svc('external', { type: 'ExternalName', externalName: 'database.company.com' }));
  await c.create('services', 'default', svc('manual', { ports: [{ port: 5432 }] }));
  await c.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '127.0.0.9' }], ports: [{ port: 5432 }] }] });
  await eventually(
    () => {
      const slices = c.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=web' }).items;
      const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready);
      const lb = c.get('services', 'default', 'web')?.status?.loadBalancer?.ingress?.length;
      const events = c.list('events', 'default').items.filter((e) => e.involvedObject.name === 'web' && e.reason === 'EnsuredLoadBalancer').length;
      const warned = c.list('events', 'default').items.some((e) => e.involvedObject.name === 'chosen' && e.reason === 'SyncLoadBalancerFailed');
      const mirrored = c.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=manual' }).items.length;
      return ready.length === pods && lb && events && warned && mirrored;
    },
    { what: 'ready endpoints, the LoadBalancer address and its events', timeoutMs: 20_000 },
  );
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

async function kiteDescribe(name: string): Promise<string> {
  let out = '';
  const io: Io = { out: (t) => (out += t), err: () => {} };
  await describeCommand({ kind: 'svc', name, target: { kubeconfig: rt.kubeconfig } }, io);
  return out;
}

/** Event ages differ between two runs a moment apart; nothing else may. */
const ages = (s: string) => s.replace(/\b\d+(?:s|m|h|d|y)(?:\d+(?:s|m|h|d))?\b/g, 'AGE');

describe.skipIf(!KUBECTL)('kite describe svc prints what kubectl 1.32 describe svc prints', () => {
  for (const name of ['web', 'chosen', 'headless', 'external', 'manual', 'kubernetes']) {
    it(name, async () => {
      const want = await rt.kubectl(['describe', 'svc', name]);
      expect(want.code).toBe(0);
      expect(ages(await kiteDescribe(name))).toBe(ages(want.stdout));
    });
  }

  it('shows the address, the ready endpoints and the load balancer events', async () => {
    const out = await kiteDescribe('web');
    expect(out).toMatch(/^LoadBalancer Ingress:\s+\d+\.\d+\.\d+\.\d+ \(VIP\)$/m);
    expect(out).toMatch(/^Endpoints:\s+\S+:8080,\S+:8080,\S+:8080 \+ 2 more\.\.\.$/m);
    expect(out).toMatch(/^Session Affinity:\s+ClientIP$/m);
    expect(out).toMatch(/Normal\s+EnsuringLoadBalancer\s+\S+\s+service-controller\s+Ensuring load balancer/);
    expect(out).toMatch(/Normal\s+EnsuredLoadBalancer\s+\S+\s+service-controller\s+Ensured load balancer/);
  });
});
