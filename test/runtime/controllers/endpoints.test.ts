import { afterEach, describe, expect, test } from 'vitest';
import type { EndpointAddress, EndpointPort, Pod, PodSpec, Service, ServiceSpec } from '../../../lib/api/model.ts';
import { EndpointsController, repackSubsets } from '../../../runtime/controllers/endpoints.ts';
import { EndpointSliceMirroringController } from '../../../runtime/controllers/endpointslice-mirror.ts';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { deleteRetrying, pod, setPodStatus } from './helpers.ts';

let cp: TestControlPlane | undefined;
let stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const s of stops) await s();
  stops = [];
  await cp?.close();
  cp = undefined;
});

function service(name: string, spec: ServiceSpec, labels?: Record<string, string>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

async function runningPod(client: TestControlPlane['client'], name: string, labels: Record<string, string>, o: { ip?: string; ready?: boolean; node?: string; extra?: Partial<PodSpec> } = {}): Promise<Pod> {
  const created = await client.create('pods', 'default', pod(name, labels, o.extra));
  await client.bind('default', name, o.node ?? 'node-a');
  if (o.ip) return setPodStatus(client, 'default', name, { ip: o.ip, ready: o.ready ?? true });
  return created;
}

function addr(p: Pod, node = 'node-a'): EndpointAddress {
  return { ip: p.status!.podIP!, nodeName: node, targetRef: { kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid } };
}

describe('Endpoints controller', () => {
  test('ready pods in addresses, unready in notReadyAddresses; pods without an IP or terminal are skipped', async () => {
    const { client } = await setupStarted({});
    const p1 = await runningPod(client, 'p1', { app: 'web' }, { ip: '10.0.0.1' });
    const p2 = await runningPod(client, 'p2', { app: 'web' }, { ip: '10.0.0.2', ready: false });
    await runningPod(client, 'p3', { app: 'web' }); // no IP yet
    await runningPod(client, 'p4', { app: 'web' }, { ip: '10.0.0.4' });
    await setPodStatus(client, 'default', 'p4', { ip: '10.0.0.4', phase: 'Succeeded', ready: false });
    await runningPod(client, 'other', { app: 'other' }, { ip: '10.0.0.9' });
    const svc = await client.create('services', 'default', service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }, { team: 'a' }));

    const ep = await eventually(() => client.get('endpoints', 'default', 'web'));
    expect(ep.metadata.labels).toEqual({ team: 'a', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
    expect(ep.metadata.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': svc.metadata.creationTimestamp });
    expect(ep.subsets).toEqual([{ addresses: [addr(p1)], notReadyAddresses: [addr(p2)], ports: [{ port: 8080, protocol: 'TCP' }] }]);

    // p2 becomes ready: both in addresses, sorted by IP
    const p2Ready = await setPodStatus(client, 'default', 'p2', { ip: '10.0.0.2', ready: true, readySince: '2024-01-01T00:00:07Z' });
    const ep2 = await eventually(() => {
      const e = client.get('endpoints', 'default', 'web')!;
      return e.subsets?.[0]?.addresses?.length === 2 && e;
    });
    expect(ep2.subsets).toEqual([{ addresses: [addr(p1), addr(p2Ready)], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(ep2.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe('2024-01-01T00:00:07Z');

    // a deleted pod leaves
    await client.delete('pods', 'default', 'p1', { gracePeriodSeconds: 0 });
    await eventually(() => client.get('endpoints', 'default', 'web')!.subsets?.[0]?.addresses?.length === 1);
  });

  test('named targetPort resolves per pod; pods lacking the name are skipped for that port; subsets repacked', async () => {
    const { client } = await setupStarted({});
    const a = await runningPod(client, 'a', { app: 'web' }, { ip: '10.0.0.1' });
    const b = await runningPod(client, 'b', { app: 'web' }, { ip: '10.0.0.2', extra: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'web', containerPort: 9090 }] }] } });
    await client.create('services', 'default', service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9100, targetPort: 9100 }] }));
    const ep = await eventually(() => client.get('endpoints', 'default', 'web'));
    const subsets = [...(ep.subsets ?? [])].sort((x, y) => (x.addresses?.length ?? 0) - (y.addresses?.length ?? 0));
    expect(subsets).toEqual([
      { addresses: [addr(a)], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
      { addresses: [addr(a), addr(b)], ports: [{ name: 'metrics', port: 9100, protocol: 'TCP' }] },
    ]);
  });

  test('publishNotReadyAddresses puts every pod in addresses; headless services without ports get bare addresses and the headless label', async () => {
    const { client } = await setupStarted({});
    const a = await runningPod(client, 'a', { app: 'web' }, { ip: '10.0.0.1', ready: false, extra: { hostname: 'a', subdomain: 'web' } });
    await client.create('services', 'default', service('web', { selector: { app: 'web' }, clusterIP: 'None', publishNotReadyAddresses: true }));
    const ep = await eventually(() => client.get('endpoints', 'default', 'web'));
    expect(ep.metadata.labels).toEqual({ 'endpoints.kubernetes.io/managed-by': 'endpoint-controller', 'service.kubernetes.io/headless': '' });
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '10.0.0.1', hostname: 'a', nodeName: 'node-a', targetRef: addr(a).targetRef }] }]);
  });

  test('selector-less services: the user owns the Endpoints, the controller never touches them', async () => {
    const { client } = await setupStarted({});
    await client.create('services', 'default', service('ext', { ports: [{ port: 5432 }] }));
    const user = await client.create('endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ext' },
      subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 5432 }] }],
    });
    // pods and service changes cause syncs of the service; none may write
    await runningPod(client, 'p', { app: 'db' }, { ip: '10.0.0.1' });
    await client.patch('services', 'default', 'ext', 'merge', { metadata: { labels: { x: 'y' } } });
    // a selector service created afterwards proves the controller has processed events
    await client.create('services', 'default', service('marker', { selector: { app: 'db' }, ports: [{ port: 1 }] }));
    await eventually(() => client.get('endpoints', 'default', 'marker'));
    expect(client.get('endpoints', 'default', 'ext')!.metadata.resourceVersion).toBe(user.metadata.resourceVersion);
    // deleting the service leaves the user's Endpoints alone, deleting a selector service removes ours
    await client.delete('services', 'default', 'ext');
    await client.delete('services', 'default', 'marker');
    await eventually(() => !client.get('endpoints', 'default', 'marker'));
    expect(client.get('endpoints', 'default', 'ext')!.metadata.resourceVersion).toBe(user.metadata.resourceVersion);
  });

  test('ExternalName services get no Endpoints; deleted Endpoints of a selector service are recreated', async () => {
    const { client } = await setupStarted({});
    await client.create('services', 'default', service('ext', { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'web' } }));
    await client.create('services', 'default', service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const first = await eventually(() => client.get('endpoints', 'default', 'web'));
    expect(first.subsets).toBeUndefined();
    expect(client.get('endpoints', 'default', 'ext')).toBeUndefined();
    await deleteRetrying(client, 'endpoints', 'default', 'web');
    const again = await eventually(() => client.get('endpoints', 'default', 'web'));
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    expect(client.get('endpoints', 'default', 'ext')).toBeUndefined();
  });

  test('at start, Endpoints we wrote whose Service is gone are deleted; other Endpoints without a Service stay', async () => {
    cp = await startControlPlane();
    const { client } = cp;
    await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'stale', labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' } } });
    await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'users' }, subsets: [{ addresses: [{ ip: '192.168.0.1' }] }] });
    const ec = new EndpointsController(client).start();
    stops.push(() => ec.stop());
    await eventually(() => !client.get('endpoints', 'default', 'stale'), { what: 'stale Endpoints deleted' });
    expect(client.get('endpoints', 'default', 'users')).toBeDefined();
  });

  test('more than 1000 addresses are truncated, with the over-capacity annotation', async () => {
    const { client } = await setupStarted({});
    await client.create('services', 'default', service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const n = 1005;
    await Promise.all(Array.from({ length: n }, (_, i) => client.create('pods', 'default', pod(`p${i}`, { app: 'web' }))));
    await Promise.all(Array.from({ length: n }, (_, i) => client.bind('default', `p${i}`, 'node-a')));
    await Promise.all(Array.from({ length: n }, (_, i) => setPodStatus(client, 'default', `p${i}`, { ip: `10.1.${i >> 8}.${i & 255}`, ready: i % 2 === 0 })));
    const ep = await eventually(() => {
      const e = client.get('endpoints', 'default', 'web');
      return e?.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'] === 'truncated' && e;
    });
    // 503 ready addresses all kept; the not-ready ones fill the rest
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets?.[0]?.addresses).toHaveLength(503);
    expect(ep.subsets?.[0]?.notReadyAddresses).toHaveLength(497);
  });

  test('repackSubsets groups addresses by identical port sets (not ready trumps ready)', () => {
    const a = { ip: '10.0.0.2', targetRef: { kind: 'Pod', namespace: 'd', name: 'a', uid: 'ua' } };
    const b = { ip: '10.0.0.1', targetRef: { kind: 'Pod', namespace: 'd', name: 'b', uid: 'ub' } };
    const p80: EndpointPort = { port: 80, protocol: 'TCP' };
    const p90: EndpointPort = { port: 90, protocol: 'TCP' };
    const out = repackSubsets([
      { addresses: [a], ports: [p80] },
      { addresses: [a], ports: [p90] },
      { addresses: [b], ports: [p80] },
      { notReadyAddresses: [b], ports: [p90] },
    ]);
    expect(out).toHaveLength(2);
    expect(out).toContainEqual({ addresses: [a], notReadyAddresses: [b], ports: [p90] });
    expect(out).toContainEqual({ addresses: [b, a], ports: [p80] });
    // deterministic
    expect(repackSubsets([{ addresses: [b], ports: [p80] }, { notReadyAddresses: [b], ports: [p90] }, { addresses: [a], ports: [p90] }, { addresses: [a], ports: [p80] }])).toEqual(out);
  });
});

describe('EndpointSlice mirroring', () => {
  test('the Endpoints of a selector service are not mirrored (the EndpointSlice controller makes its slices)', async () => {
    const { client } = await setupStarted({ mirror: true });
    await runningPod(client, 'p1', { app: 'web' }, { ip: '10.0.0.1' });
    await client.create('services', 'default', service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    await eventually(() => client.get('endpoints', 'default', 'web')?.subsets?.length === 1, { what: 'endpoints written' });
    // A selector-less service mirrored after it: the mirroring controller has seen both.
    await client.create('services', 'default', service('marker', { ports: [{ port: 1 }] }));
    await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'marker' }, subsets: [{ addresses: [{ ip: '192.168.1.3' }] }] });
    await eventually(() => client.list('endpointslices', 'default').items.length > 0, { what: 'marker mirrored' });
    expect(client.list('endpointslices', 'default').items.map((s) => s.metadata.labels?.['kubernetes.io/service-name'])).toEqual(['marker']);
  });

  test('user-written Endpoints of a selector-less service are mirrored and removed with them', async () => {
    const { client } = await setupStarted({ mirror: true });
    await client.create('services', 'default', service('db', { ports: [{ port: 5432 }] }));
    await client.create('endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', annotations: { note: 'external' } },
      subsets: [
        { addresses: [{ ip: '192.168.1.10' }, { ip: '192.168.1.11' }], ports: [{ port: 5432, protocol: 'TCP' }] },
        { addresses: [{ ip: 'fd00::1' }], ports: [{ port: 5432, protocol: 'TCP' }] },
      ],
    });
    const slices = await eventually(() => {
      const s = client.list('endpointslices', 'default').items;
      return s.length === 2 && s;
    });
    const v4 = slices.find((s) => s.addressType === 'IPv4')!;
    const v6 = slices.find((s) => s.addressType === 'IPv6')!;
    expect(v4.metadata.annotations).toEqual({ note: 'external' });
    expect(v4.endpoints.map((e) => e.addresses[0])).toEqual(['192.168.1.10', '192.168.1.11']);
    expect(v4.ports).toEqual([{ name: '', protocol: 'TCP', port: 5432 }]);
    expect(v6.endpoints).toEqual([{ addresses: ['fd00::1'], conditions: { ready: true, serving: true, terminating: false } }]);

    // a port change keeps the slice (recycled), an emptied Endpoints loses its slices
    await client.patch('endpoints', 'default', 'db', 'merge', { subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 6432, protocol: 'TCP' }] }] });
    await eventually(() => {
      const s = client.list('endpointslices', 'default').items;
      return s.length === 1 && s[0]!.metadata.name === v4.metadata.name && s[0]!.ports?.[0]?.port === 6432;
    }, { what: 'recycled slice' });
    await client.delete('endpoints', 'default', 'db');
    await eventually(() => client.list('endpointslices', 'default').items.length === 0);
  });

  test('skip-mirror Endpoints and Endpoints without a Service are not mirrored', async () => {
    const { client } = await setupStarted({ mirror: true, endpoints: false });
    await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan' }, subsets: [{ addresses: [{ ip: '192.168.1.1' }] }] });
    await client.create('services', 'default', service('skip', { ports: [{ port: 1 }] }));
    await client.create('endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'skip', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: '192.168.1.2' }] }],
    });
    await client.create('services', 'default', service('marker', { ports: [{ port: 1 }] }));
    await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'marker' }, subsets: [{ addresses: [{ ip: '192.168.1.3' }] }] });
    await eventually(() => client.list('endpointslices', 'default').items.length === 1);
    expect(client.list('endpointslices', 'default').items[0]!.metadata.labels?.['kubernetes.io/service-name']).toBe('marker');
    // the service of "orphan" appears: now it is mirrored
    await client.create('services', 'default', service('orphan', { ports: [{ port: 1 }] }));
    await eventually(() => client.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=orphan' }).items.length === 1);
  });
});

async function setupStarted(opts: { mirror?: boolean; endpoints?: boolean }) {
  cp = await startControlPlane();
  const informers = new InformerFactory(cp.client);
  const started: Array<{ start(): unknown; stop(): Promise<void> }> = [];
  if (opts.endpoints !== false) started.push(new EndpointsController(cp.client, { informers, batchPeriodMs: 5 }));
  if (opts.mirror) started.push(new EndpointSliceMirroringController(cp.client, { informers }));
  for (const c of started) {
    c.start();
    stops.push(() => c.stop());
  }
  stops.push(async () => informers.stop());
  return { client: cp.client };
}

