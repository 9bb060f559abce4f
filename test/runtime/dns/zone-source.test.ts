/**
 * ZoneSource keeps the zone's records per informer event; a ClusterZone built from the
 * informers' whole lists is the reference. A seeded random run of Service and EndpointSlice
 * creates, updates, relabels and deletes through the real registry and informers, compared
 * after every step on every name of the zone and every address (PTR ties included: two Services
 * share endpoint addresses).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Namespace, Service } from '../../../lib/api/model.ts';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { ClusterZone } from '../../../runtime/dns/records.ts';
import { ZoneSource } from '../../../runtime/dns/zone-source.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';
import { mulberry32 } from '../../support/prng.ts';

const ZONE = 'cluster.local';

describe('ZoneSource: the zone kept per event answers as the zone built from the informers’ lists', () => {
  let cp: TestControlPlane;
  let informers: InformerFactory;
  const source = new ZoneSource();

  beforeAll(async () => {
    cp = await startControlPlane({ serviceCIDR: '10.96.0.0/24' });
    informers = new InformerFactory(cp.client);
    informers.on('services', { add: (s) => source.serviceAdded(s), update: (s) => source.serviceUpdated(s), delete: (s) => source.serviceDeleted(s) });
    informers.on('endpointslices', { add: (s) => source.sliceAdded(s), update: (s, old) => source.sliceUpdated(s, old), delete: (s) => source.sliceDeleted(s) });
    informers.on('namespaces', {});
    informers.start();
  });
  afterAll(async () => {
    informers?.stop();
    await cp?.close();
  });

  it('after each of 300 random changes', async () => {
    const rnd = mulberry32(17);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const names = ['a', 'b', 'c', 'd', 'e'];
    const ips = Array.from({ length: 8 }, (_, i) => `10.244.0.${i + 1}`);
    const c = cp.client;
    const sliceNames = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const sliceBody = (name: string): EndpointSlice => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': pick(names) } },
      addressType: 'IPv4',
      ports: rnd() < 0.5 ? [{ name: 'http', port: 8080, protocol: 'TCP' }] : [{ name: pick(['http', 'dns']), port: 53, protocol: pick(['TCP', 'UDP']) }],
      endpoints: Array.from({ length: Math.floor(rnd() * 3) }, () => ({
        addresses: [pick(ips)],
        conditions: { ready: rnd() < 0.8 },
        ...(rnd() < 0.3 ? { hostname: pick(['web-0', 'web-1']) } : {}),
      })),
    });
    const serviceBody = (name: string): Service => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec:
        rnd() < 0.15
          ? { type: 'ExternalName', externalName: `${name}.example.com` }
          : { ...(rnd() < 0.3 ? { clusterIP: 'None' } : {}), ports: [{ name: 'http', port: rnd() < 0.5 ? 80 : 8080, protocol: 'TCP' }] },
    });
    for (let step = 0; step < 300; step++) {
      const op = rnd();
      if (op < 0.35) {
        const name = pick(names);
        const cur = c.get('services', 'default', name);
        if (!cur) await c.create('services', 'default', serviceBody(name));
        else if (rnd() < 0.4) await c.delete('services', 'default', name);
        else await c.update('services', { ...cur, metadata: { ...cur.metadata, labels: { step: String(step) } } });
      } else {
        const name = pick(sliceNames);
        const cur = c.get('endpointslices', 'default', name);
        if (!cur) await c.create('endpointslices', 'default', sliceBody(name));
        else if (rnd() < 0.25) await c.delete('endpointslices', 'default', name);
        else {
          const next = sliceBody(name);
          await c.update('endpointslices', { ...next, metadata: { ...cur.metadata, labels: rnd() < 0.3 ? next.metadata.labels! : cur.metadata.labels! } });
        }
      }
      const whole = new ClusterZone({
        zone: ZONE,
        serial: 1,
        services: informers.informer('services').list() as Service[],
        slices: informers.informer('endpointslices').list() as EndpointSlice[],
        namespaces: informers.informer('namespaces').list() as Namespace[],
      });
      const kept = new ClusterZone({ zone: ZONE, serial: 1, records: source.snapshot(), namespaces: informers.informer('namespaces').list() as Namespace[] });
      const questions: [string, string][] = [];
      for (const n of names) {
        for (const t of ['A', 'SRV', 'ANY', 'CNAME']) questions.push([`${n}.default.svc.${ZONE}`, t]);
        questions.push([`_http._tcp.${n}.default.svc.${ZONE}`, 'SRV'], [`_dns._udp.${n}.default.svc.${ZONE}`, 'SRV']);
        for (const ep of ['web-0', 'web-1', ...ips.map((ip) => ip.replace(/\./g, '-'))]) questions.push([`${ep}.${n}.default.svc.${ZONE}`, 'A']);
      }
      const cluster = (informers.informer('services').list() as Service[]).flatMap((s) => s.spec?.clusterIPs ?? []);
      for (const ip of [...ips, ...cluster]) questions.push([`${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR']);
      for (const [q, t] of questions) expect(kept.answer(q, t), `step ${step}: ${q} ${t}`).toEqual(whole.answer(q, t));
    }
  });
});
