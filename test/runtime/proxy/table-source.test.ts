/**
 * ServiceTableSource keeps the service table per informer event; buildServiceTable over the
 * informers' whole lists is the reference. A seeded random run of Service and EndpointSlice
 * creates, updates, relabels and deletes through the real registry and informers, compared
 * after every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../../lib/api/model.ts';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { buildServiceTable } from '../../../runtime/proxy/service-table.ts';
import { ServiceTableSource } from '../../../runtime/proxy/table-source.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';
import { mulberry32 } from '../../support/prng.ts';

const OPTIONS = { nodePortAddress: '127.0.0.1' };

describe('ServiceTableSource: the table kept per event equals the table built from the informers’ lists', () => {
  let cp: TestControlPlane;
  let informers: InformerFactory;
  const source = new ServiceTableSource(OPTIONS);

  beforeAll(async () => {
    cp = await startControlPlane({ serviceCIDR: '10.96.0.0/24', nodePortRange: [30000, 30100] });
    informers = new InformerFactory(cp.client);
    informers.on('services', { add: (s) => source.serviceChanged(s), update: (s) => source.serviceChanged(s), delete: (s) => source.serviceDeleted(s) });
    informers.on('endpointslices', { add: (s) => source.sliceChanged(s), update: (s, old) => source.sliceChanged(s, old), delete: (s) => source.sliceDeleted(s) });
    informers.start();
  });
  afterAll(async () => {
    informers?.stop();
    await cp?.close();
  });

  it('after each of 400 random changes, read after every step or every few', async () => {
    const rnd = mulberry32(29);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    // Names whose keys sort differently from their Service names (`a` < `a-b`, but `a:` > `a-b`).
    const names = ['a', 'a-b', 'b', 'c', 'c0', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const ips = Array.from({ length: 8 }, (_, i) => `10.244.0.${i + 1}`);
    const c = cp.client;
    const sliceNames = Array.from({ length: 14 }, (_, i) => `s${i}`);
    const sliceBody = (name: string): EndpointSlice => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name,
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': pick(names), ...(rnd() < 0.1 ? { 'service.kubernetes.io/headless': '' } : {}) },
      },
      addressType: rnd() < 0.9 ? 'IPv4' : 'FQDN',
      ports: [{ name: pick(['http', '']), port: pick([8080, 9090]), protocol: pick(['TCP', 'UDP']) }],
      endpoints: Array.from({ length: Math.floor(rnd() * 4) }, () => ({
        addresses: [pick(ips)],
        conditions: { ready: rnd() < 0.6, serving: rnd() < 0.8, terminating: rnd() < 0.3 },
      })),
    });
    const serviceBody = (name: string): Service => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: {
        type: pick(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer']),
        ...(rnd() < 0.2 ? { sessionAffinity: 'ClientIP' } : {}),
        ...(rnd() < 0.2 ? { externalIPs: ['192.0.2.7'] } : {}),
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          ...(rnd() < 0.5 ? [{ name: 'dns', port: 53, protocol: 'UDP' as const }] : []),
        ],
      },
    });
    let reads = 0;
    for (let step = 0; step < 400; step++) {
      const op = rnd();
      if (op < 0.3) {
        const name = pick(names);
        const cur = c.get('services', 'default', name);
        if (!cur) await c.create('services', 'default', serviceBody(name));
        else if (rnd() < 0.3) await c.delete('services', 'default', name);
        else await c.update('services', { ...cur, spec: { ...cur.spec, ports: cur.spec!.ports!.map((p) => ({ ...p, port: p.port === 80 ? 81 : p.port === 81 ? 80 : p.port })) } });
      } else {
        const name = pick(sliceNames);
        const cur = c.get('endpointslices', 'default', name);
        if (!cur) await c.create('endpointslices', 'default', sliceBody(name));
        else if (rnd() < 0.2) await c.delete('endpointslices', 'default', name);
        else {
          const next = sliceBody(name);
          await c.update('endpointslices', { ...next, metadata: { ...cur.metadata, labels: rnd() < 0.3 ? next.metadata.labels! : cur.metadata.labels! } });
        }
      }
      // Reads after every step and after bursts: both the merge and the whole rebuild are taken.
      if (rnd() < 0.5) continue;
      reads++;
      const whole = buildServiceTable(informers.informer('services').list() as Service[], informers.informer('endpointslices').list() as EndpointSlice[], OPTIONS);
      expect(source.table(), `step ${step}`).toEqual(whole);
    }
    expect(reads).toBeGreaterThan(100);
    expect(source.table().length).toBeGreaterThan(0);
  });
});
