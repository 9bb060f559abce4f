import { afterEach, describe, expect, test } from 'vitest';
import type { EndpointSlice, Pod, Service, ServiceSpec } from '../../../lib/api/model.ts';
import { startControllers, type RunningControllers } from '../../../runtime/controllers/index.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { pod, setPodStatus } from './helpers.ts';

let cp: TestControlPlane | undefined;
let controllers: RunningControllers | undefined;

afterEach(async () => {
  await controllers?.stop();
  controllers = undefined;
  await cp?.close();
  cp = undefined;
});

async function start() {
  cp = await startControlPlane();
  controllers = startControllers(cp.client, { controllers: ['endpoints', 'endpointslice', 'endpointslice-mirroring', 'garbage-collector'], endpointsBatchPeriodMs: 5 });
  return cp.client;
}

function service(name: string, spec: ServiceSpec, labels?: Record<string, string>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

const slicesOf = (svc: string) => cp!.client.list('endpointslices', 'default', { labelSelector: `kubernetes.io/service-name=${svc}` }).items;

/** Waits until the service has exactly one slice passing `ok`, and returns it. */
function oneSlice(svc: string, ok: (s: EndpointSlice) => boolean, what: string): Promise<EndpointSlice> {
  return eventually(
    () => {
      const s = slicesOf(svc);
      return s.length === 1 && ok(s[0]!) ? s[0] : undefined;
    },
    { what },
  );
}

describe('EndpointSlice controller', () => {
  test('a selector Service: a placeholder at zero endpoints, then its ready pods, then a pod going not-ready — one slice, updated in place', async () => {
    const client = await start();
    const svc = await client.create('services', 'default', service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { team: 'a' }));

    const placeholder = await oneSlice('web', (s) => s.endpoints.length === 0, 'placeholder slice');
    expect(placeholder.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(placeholder.metadata.generateName).toBe('web-');
    expect(placeholder.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(placeholder.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(placeholder.addressType).toBe('IPv4');
    expect(placeholder.ports).toBeUndefined();

    const pods: Pod[] = [];
    for (const [name, ip] of [['p1', '10.0.0.1'], ['p2', '10.0.0.2']] as const) {
      await client.create('pods', 'default', pod(name, { app: 'web' }));
      await client.bind('default', name, 'node-a');
      pods.push(await setPodStatus(client, 'default', name, { ip, ready: true }));
    }
    const ref = (i: number) => ({ kind: 'Pod', namespace: 'default', name: pods[i]!.metadata.name, uid: pods[i]!.metadata.uid });
    const ready = await oneSlice('web', (s) => s.endpoints.length === 2, 'two endpoints');
    expect(ready.metadata.name).toBe(placeholder.metadata.name);
    expect(ready.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    expect(ready.endpoints).toEqual([
      { addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, targetRef: ref(0), nodeName: 'node-a' },
      { addresses: ['10.0.0.2'], conditions: { ready: true, serving: true, terminating: false }, targetRef: ref(1), nodeName: 'node-a' },
    ]);

    await setPodStatus(client, 'default', 'p2', { ip: '10.0.0.2', ready: false });
    const notReady = await oneSlice('web', (s) => s.endpoints.some((e) => e.conditions?.ready === false), 'p2 not ready');
    expect(notReady.metadata.name).toBe(placeholder.metadata.name);
    expect(notReady.endpoints[1]).toEqual({ addresses: ['10.0.0.2'], conditions: { ready: false, serving: false, terminating: false }, targetRef: ref(1), nodeName: 'node-a' });

    // Being deleted: still an endpoint, terminating (kubelet-less here, so it stays Terminating).
    await client.delete('pods', 'default', 'p1', { gracePeriodSeconds: 30 });
    const terminating = await oneSlice('web', (s) => s.endpoints[0]?.conditions?.terminating === true, 'p1 terminating');
    expect(terminating.endpoints[0]!.conditions).toEqual({ ready: false, serving: true, terminating: true });
    // The Endpoints controller still writes the Endpoints; the mirroring controller leaves them alone.
    expect(client.get('endpoints', 'default', 'web')).toBeDefined();
    expect(client.list('endpointslices', 'default').items.every((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io')).toBe(true);
  });

  test('pods resolving the Service\'s ports differently get a slice per port set; more than 100 endpoints get more slices', async () => {
    const client = await start();
    await client.create('services', 'default', service('multi', { selector: { app: 'multi' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    const count = 103;
    for (let i = 0; i < count; i++) {
      const name = `m${i}`;
      const extra = i === 0 ? { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 9090 }] }] } : {};
      await client.create('pods', 'default', pod(name, { app: 'multi' }, extra));
      await client.bind('default', name, 'node-a');
      await setPodStatus(client, 'default', name, { ip: `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}` });
    }
    const slices = await eventually(
      () => {
        const s = slicesOf('multi');
        return s.reduce((n, x) => n + x.endpoints.length, 0) === count && s;
      },
      { what: 'all endpoints in slices' },
    );
    const byPort = (port: number) => slices.filter((s) => s.ports?.[0]?.port === port);
    expect(byPort(9090).map((s) => s.endpoints.length)).toEqual([1]);
    expect(byPort(8080).map((s) => s.endpoints.length).sort((a, b) => a - b)).toEqual([2, 100]);
  });

  test('a selector-less Service with manual Endpoints keeps its mirrored slice, which it loses on gaining a selector', async () => {
    const client = await start();
    await client.create('services', 'default', service('db', { ports: [{ port: 5432 }] }));
    await client.create('endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db' },
      subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    const mirrored = await oneSlice('db', (s) => s.endpoints.length === 1, 'mirrored slice');
    expect(mirrored.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(mirrored.endpoints[0]!.addresses).toEqual(['192.168.1.10']);

    await client.patch('services', 'default', 'db', 'merge', { spec: { selector: { app: 'db' } } });
    await oneSlice('db', (s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io', 'the controller\'s placeholder only');
  });

  test('deleting the Service garbage-collects its slices (owned by it)', async () => {
    const client = await start();
    await client.create('services', 'default', service('gone', { selector: { app: 'gone' }, ports: [{ port: 80 }] }));
    await oneSlice('gone', () => true, 'slice');
    await client.delete('services', 'default', 'gone');
    await eventually(() => slicesOf('gone').length === 0, { what: 'slices collected' });
  });
});
