/** The cluster zone's answers, table by table from runtime-semantics.md §17.2 and §17.3. */
import { describe, expect, it } from 'vitest';
import type { Answer } from 'dns-packet';
import type { EndpointSlice, Namespace, Service } from '../../../lib/api/model.ts';
import { ClusterZone, dashedToIP, NOT_IN_ZONE, type ZoneAnswer } from '../../../runtime/dns/records.ts';

const ns = (name: string): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
function svc(namespace: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}
function slice(namespace: string, service: string, endpoints: { ip: string; ready?: boolean; hostname?: string }[], ports: { name: string; port: number; protocol?: 'TCP' | 'UDP' }[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready }, ...(e.hostname ? { hostname: e.hostname } : {}) })),
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

const zone = new ClusterZone({
  zone: 'cluster.local',
  serial: 1700000000,
  namespaces: [ns('default'), ns('test'), ns('prod'), ns('empty')],
  services: [
    svc('test', 'my-database', { clusterIP: '127.96.0.20', clusterIPs: ['127.96.0.20'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    svc('prod', 'my-database', { clusterIP: '127.96.0.21', clusterIPs: ['127.96.0.21'], ports: [{ port: 5432, protocol: 'TCP' }] }),
    svc('default', 'external-database', { type: 'ExternalName', externalName: 'database.company.com' }),
    svc('default', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    svc('default', 'lonely', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }] }),
  ],
  slices: [
    slice(
      'default',
      'db',
      [
        { ip: '127.200.0.5', hostname: 'db-0' },
        { ip: '127.200.0.6', ready: true },
        { ip: '127.200.0.7', ready: false },
      ],
      [{ name: 'pg', port: 5432 }],
    ),
    slice('default', 'lonely', [{ ip: '127.200.0.9', ready: false }], [{ name: '', port: 80 }]),
  ],
});

function ask(name: string, type = 'A'): ZoneAnswer {
  const a = zone.answer(name, type);
  if (a === NOT_IN_ZONE) throw new Error(`${name} is not in the zone`);
  return a;
}
const data = (rs: Answer[]) => rs.map((r) => ('data' in r ? r.data : undefined));

describe('ClusterZone: records (§17.2)', () => {
  it.each([
    ['my-database.test.svc.cluster.local', ['127.96.0.20']],
    ['my-database.prod.svc.cluster.local', ['127.96.0.21']],
    ['MY-DATABASE.Test.SVC.cluster.LOCAL', ['127.96.0.20']],
    ['my-database.test.svc.cluster.local.', ['127.96.0.20']],
    ['db.default.svc.cluster.local', ['127.200.0.5', '127.200.0.6']],
    ['db-0.db.default.svc.cluster.local', ['127.200.0.5']],
    ['127-200-0-6.db.default.svc.cluster.local', ['127.200.0.6']],
    ['127-200-0-5.default.pod.cluster.local', ['127.200.0.5']],
  ])('%s A → %j', (name, ips) => {
    const a = ask(name);
    expect(a.rcode).toBe('NOERROR');
    expect(data(a.answers)).toEqual(ips);
    expect(a.answers.every((r) => r.name === name)).toBe(true);
  });

  it('a ClusterIP Service answers without endpoints, with the TTL of the zone', () => {
    const a = ask('my-database.prod.svc.cluster.local');
    expect(a.answers[0]).toMatchObject({ type: 'A', ttl: 5 });
  });

  it('SRV for a named port of a ClusterIP Service points at the Service, its A in the additional section', () => {
    const a = ask('_pg._tcp.my-database.test.svc.cluster.local', 'SRV');
    expect(a.answers).toEqual([{ type: 'SRV', name: '_pg._tcp.my-database.test.svc.cluster.local', ttl: 5, class: 'IN', data: { priority: 0, weight: 100, port: 5432, target: 'my-database.test.svc.cluster.local' } }]);
    expect(a.additionals).toEqual([{ type: 'A', name: 'my-database.test.svc.cluster.local', ttl: 5, class: 'IN', data: '127.96.0.20' }]);
  });

  it('SRV for a headless Service: one per ready endpoint, targets named by hostname or dashed IP, weight 100/N', () => {
    const a = ask('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(a.answers.map((r) => r.type === 'SRV' && r.data)).toEqual([
      { priority: 0, weight: 50, port: 5432, target: 'db-0.db.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5432, target: '127-200-0-6.db.default.svc.cluster.local' },
    ]);
    expect(a.additionals.map((r) => [r.name, 'data' in r && r.data])).toEqual([
      ['db-0.db.default.svc.cluster.local', '127.200.0.5'],
      ['127-200-0-6.db.default.svc.cluster.local', '127.200.0.6'],
    ]);
  });

  it('SRV on the bare Service name lists every port (unnamed ones too)', () => {
    const a = ask('my-database.prod.svc.cluster.local', 'SRV');
    expect(a.answers.map((r) => r.type === 'SRV' && r.data.port)).toEqual([5432]);
  });

  it('ExternalName: a CNAME to the external name for A and CNAME questions, to be chased upstream', () => {
    const a = ask('external-database.default.svc.cluster.local', 'A');
    expect(a.answers).toEqual([{ type: 'CNAME', name: 'external-database.default.svc.cluster.local', ttl: 5, class: 'IN', data: 'database.company.com' }]);
    expect(a.chase).toBe('database.company.com');
    expect(data(ask('external-database.default.svc.cluster.local', 'CNAME').answers)).toEqual(['database.company.com']);
    expect(ask('_pg._tcp.external-database.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  it('PTR: a cluster IP names its Service, an endpoint IP its endpoint; an unknown address is not ours', () => {
    expect(data(ask('20.0.96.127.in-addr.arpa', 'PTR').answers)).toEqual(['my-database.test.svc.cluster.local']);
    expect(data(ask('5.0.200.127.in-addr.arpa', 'PTR').answers)).toEqual(['db-0.db.default.svc.cluster.local']);
    expect(zone.answer('9.9.9.9.in-addr.arpa', 'PTR')).toBe(NOT_IN_ZONE);
  });

  it('dns-version TXT', () => {
    expect(ask('dns-version.cluster.local', 'TXT').answers).toEqual([{ type: 'TXT', name: 'dns-version.cluster.local', ttl: 28800, class: 'IN', data: '1.1.0' }]);
  });

  it('names outside the zone are not answered (the server forwards them)', () => {
    expect(zone.answer('example.com', 'A')).toBe(NOT_IN_ZONE);
    expect(zone.answer('notcluster.local', 'A')).toBe(NOT_IN_ZONE);
  });
});

describe('ClusterZone: NXDOMAIN vs NODATA (§17.3)', () => {
  it.each([
    ['cluster.local', 'A', 'NOERROR'],
    ['svc.cluster.local', 'A', 'NOERROR'],
    ['pod.cluster.local', 'A', 'NOERROR'],
    ['test.svc.cluster.local', 'A', 'NOERROR'],
    ['nowhere.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['my-database.nowhere.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['nope.test.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['my-database.test.svc.cluster.local', 'AAAA', 'NOERROR'],
    ['my-database.test.svc.cluster.local', 'MX', 'NOERROR'],
    ['my-database.test.svc.cluster.local', 'TXT', 'NOERROR'],
    ['nope.test.svc.cluster.local', 'MX', 'NXDOMAIN'],
    ['lonely.default.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['_http._tcp.my-database.test.svc.cluster.local', 'SRV', 'NXDOMAIN'],
    ['_pg._udp.my-database.test.svc.cluster.local', 'SRV', 'NXDOMAIN'],
    ['db-9.db.default.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['a.b.c.d.e.svc.cluster.local', 'A', 'NXDOMAIN'],
    ['foo.cluster.local', 'A', 'NXDOMAIN'],
    ['1-2-3-4.nowhere.pod.cluster.local', 'A', 'NXDOMAIN'],
    ['not-an-ip.default.pod.cluster.local', 'A', 'NXDOMAIN'],
    ['1-2-3-4.default.pod.cluster.local', 'AAAA', 'NOERROR'],
  ])('%s %s → %s', (name, type, rcode) => {
    const a = ask(name, type);
    expect(a.rcode).toBe(rcode);
    expect(a.answers).toEqual([]);
    // Negative answers carry the zone's SOA (backend_lookup.go SOA), TTL min(ttl, 300).
    expect(a.authorities).toEqual([
      {
        type: 'SOA',
        name: 'cluster.local',
        ttl: 5,
        class: 'IN',
        data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 },
      },
    ]);
  });

  it('the apex answers its SOA', () => {
    expect(ask('cluster.local', 'SOA').answers.map((r) => r.type)).toEqual(['SOA']);
  });

  it('another domain (kite up --cluster-domain) is the zone', () => {
    const z = new ClusterZone({ zone: 'kite.test', serial: 1, namespaces: [ns('test')], services: [svc('test', 'a', { clusterIP: '127.96.0.30', ports: [] })], slices: [] });
    expect(z.answer('a.test.svc.kite.test', 'A')).toMatchObject({ rcode: 'NOERROR', answers: [{ data: '127.96.0.30' }] });
    expect(z.answer('a.test.svc.cluster.local', 'A')).toBe(NOT_IN_ZONE);
  });
});

describe('ClusterZone built from the previous one', () => {
  const service = svc('default', 'web', { clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }] });
  service.metadata = { ...service.metadata, uid: 'u1', resourceVersion: '10' };
  const sliceAt = (rv: string, ip: string): EndpointSlice => {
    const s = slice('default', 'web', [{ ip }], [{ name: '', port: 80 }]);
    return { ...s, metadata: { ...s.metadata, resourceVersion: rv } };
  };
  const build = (s: EndpointSlice, previous?: ClusterZone) => new ClusterZone({ zone: 'cluster.local', serial: 1, namespaces: [ns('default')], services: [service], slices: [s], ...(previous ? { previous } : {}) });
  const ips = (z: ClusterZone) => {
    const a = z.answer('web.default.svc.cluster.local', 'A');
    return a === NOT_IN_ZONE ? [] : data(a.answers);
  };

  it('takes the records of unchanged objects, and rebuilds those whose resourceVersion moved', () => {
    const first = build(sliceAt('20', '127.200.0.1'));
    // Same versions: the record is reused, even though this copy of the slice says otherwise.
    expect(ips(build(sliceAt('20', '127.200.0.2'), first))).toEqual(['127.200.0.1']);
    expect(ips(build(sliceAt('21', '127.200.0.2'), first))).toEqual(['127.200.0.2']);
  });
});

describe('dashedToIP (pods insecure)', () => {
  it.each([
    ['10-244-1-5', '10.244.1.5'],
    ['fd00--1', 'fd00::1'],
    ['1-2-3', undefined],
    ['a-b-c-d', undefined],
    ['300-1-1-1', undefined],
  ])('%s → %s', (label, ip) => expect(dashedToIP(label)).toBe(ip));
});
