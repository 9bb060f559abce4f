import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointSlice, Service, ServiceSpec } from '../../../lib/api/model.ts';
import { buildServiceTable, DEFAULT_AFFINITY_SECONDS } from '../../../runtime/proxy/service-table.ts';

const NODE_PORT_ADDRESS = '127.0.0.1';

function svc(name: string, spec: ServiceSpec, extra: Partial<Service> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', ...extra.metadata }, spec: { clusterIP: '127.96.0.5', ports: [{ port: 80, protocol: 'TCP' }], ...spec }, ...(extra.status ? { status: extra.status } : {}) };
}

function slice(service: string, endpoints: Endpoint[], ports: EndpointSlice['ports'] = [{ name: '', port: 8080, protocol: 'TCP' }], labels: Record<string, string> = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-${Math.random().toString(36).slice(2, 7)}`, namespace: 'default', labels: { 'kubernetes.io/service-name': service, ...labels } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

const ep = (ip: string, conditions: Endpoint['conditions'] = { ready: true }): Endpoint => ({ addresses: [ip], conditions });
const table = (services: Service[], slices: EndpointSlice[]) => buildServiceTable(services, slices, { nodePortAddress: NODE_PORT_ADDRESS });

describe('buildServiceTable (kube-proxy §16 rules)', () => {
  const skipped: [string, Service][] = [
    ['headless (clusterIP None)', svc('a', { clusterIP: 'None' })],
    ['no clusterIP', svc('a', { clusterIP: '' })],
    ['ExternalName', svc('a', { type: 'ExternalName', externalName: 'db.example.com' })],
    ['service-proxy-name label (any value)', svc('a', {}, { metadata: { name: 'a', labels: { 'service.kubernetes.io/service-proxy-name': 'kite-dns' } } })],
  ];
  it.each(skipped)('skips a Service that is %s', (_what, s) => {
    expect(table([s], [slice('a', [ep('127.200.0.2')])])).toEqual([]);
  });

  it('a ClusterIP Service port listens on clusterIP:port and forwards to the ready endpoints, sorted and deduplicated', () => {
    const t = table([svc('a', {})], [slice('a', [ep('127.200.0.3'), ep('127.200.0.2')]), slice('a', [ep('127.200.0.2')])]);
    expect(t).toEqual([
      {
        key: 'default/a:/TCP',
        namespace: 'default',
        service: 'a',
        portName: '',
        protocol: 'TCP',
        listeners: [{ address: '127.96.0.5', port: 80, protocol: 'TCP', via: 'ClusterIP' }],
        endpoints: [
          { ip: '127.200.0.2', port: 8080 },
          { ip: '127.200.0.3', port: 8080 },
        ],
      },
    ]);
  });

  const conditionCases: [string, Endpoint[], string[]][] = [
    ['ready only', [ep('127.200.0.2'), ep('127.200.0.3', { ready: false, serving: false })], ['127.200.0.2']],
    ['unset conditions mean ready', [ep('127.200.0.2', {})], ['127.200.0.2']],
    ['serving+terminating used when none is ready', [ep('127.200.0.2', { ready: false, serving: true, terminating: true }), ep('127.200.0.3', { ready: false, serving: false, terminating: true })], ['127.200.0.2']],
    ['serving+terminating ignored when one is ready', [ep('127.200.0.2', { ready: false, serving: true, terminating: true }), ep('127.200.0.4')], ['127.200.0.4']],
    ['none usable → no endpoints', [ep('127.200.0.2', { ready: false, serving: false })], []],
    ['addresses[0] only', [{ addresses: ['127.200.0.7', '127.200.0.8'], conditions: { ready: true } }], ['127.200.0.7']],
  ];
  it.each(conditionCases)('CategorizeEndpoints: %s', (_what, endpoints, ips) => {
    expect(table([svc('a', {})], [slice('a', endpoints)])[0]!.endpoints.map((e) => e.ip)).toEqual(ips);
  });

  it('slices of headless Services and of other Services are ignored; ports are matched by name and protocol', () => {
    const s = svc('a', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] });
    const t = table(
      [s],
      [
        slice('a', [ep('127.200.0.2')], [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }]),
        slice('a', [ep('127.200.0.9')], [{ name: 'http', port: 8080, protocol: 'TCP' }], { 'service.kubernetes.io/headless': '' }),
        slice('b', [ep('127.200.0.8')], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
        slice('a', [ep('127.200.0.6')], [{ name: 'other', port: 9090, protocol: 'TCP' }]),
      ],
    );
    expect(t.map((e) => [e.key, e.endpoints])).toEqual([
      ['default/a:dns/UDP', [{ ip: '127.200.0.2', port: 5353 }]],
      ['default/a:http/TCP', [{ ip: '127.200.0.2', port: 8080 }]],
    ]);
  });

  it('NodePort adds nodePortAddress:nodePort; LoadBalancer adds each VIP ingress IP at the Service port (not ipMode Proxy)', () => {
    const np = svc('np', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] });
    const lb = svc('lb', { type: 'LoadBalancer', clusterIP: '127.96.0.6', ports: [{ port: 80, protocol: 'TCP', nodePort: 30081 }] }, {
      status: { loadBalancer: { ingress: [{ ip: '127.240.0.1' }, { ip: '127.240.0.2', ipMode: 'VIP' }, { ip: '127.240.0.3', ipMode: 'Proxy' }, { hostname: 'lb.example.com' }] } },
    });
    const t = table([np, lb], []);
    expect(t.find((e) => e.service === 'np')!.listeners.map((l) => `${l.via} ${l.address}:${l.port}`)).toEqual(['ClusterIP 127.96.0.5:80', 'NodePort 127.0.0.1:30080']);
    expect(t.find((e) => e.service === 'lb')!.listeners.map((l) => `${l.via} ${l.address}:${l.port}`)).toEqual([
      'ClusterIP 127.96.0.6:80',
      'NodePort 127.0.0.1:30081',
      'LoadBalancer 127.240.0.1:80',
      'LoadBalancer 127.240.0.2:80',
    ]);
  });

  it('spec.externalIPs answer at the Service port', () => {
    const t = table([svc('a', { externalIPs: ['127.250.0.9'] })], []);
    expect(t[0]!.listeners.map((l) => `${l.via} ${l.address}:${l.port}`)).toEqual(['ClusterIP 127.96.0.5:80', 'ExternalIP 127.250.0.9:80']);
  });

  it('traffic policy Local uses the same endpoints as Cluster (every node is on this host)', () => {
    const slices = [slice('a', [{ ...ep('127.200.0.2'), nodeName: 'kite-node-1' }, { ...ep('127.200.1.2'), nodeName: 'kite-node-2' }])];
    const cluster = table([svc('a', { type: 'NodePort' })], slices)[0]!.endpoints;
    const local = table([svc('a', { type: 'NodePort', internalTrafficPolicy: 'Local', externalTrafficPolicy: 'Local' })], slices)[0]!.endpoints;
    expect(local).toEqual(cluster);
    expect(local).toHaveLength(2);
  });

  it('sessionAffinity ClientIP carries its timeout, 10800 s by default', () => {
    expect(table([svc('a', { sessionAffinity: 'ClientIP' })], [])[0]!.affinitySeconds).toBe(DEFAULT_AFFINITY_SECONDS);
    expect(table([svc('a', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })], [])[0]!.affinitySeconds).toBe(60);
    expect(table([svc('a', { sessionAffinity: 'None' })], [])[0]!.affinitySeconds).toBeUndefined();
  });

  it('a slice port without a number is ignored; SCTP ports get no entry', () => {
    expect(table([svc('a', {})], [slice('a', [ep('127.200.0.2')], [{ name: '', protocol: 'TCP' }])])[0]!.endpoints).toEqual([]);
    expect(table([svc('a', { ports: [{ port: 80, protocol: 'SCTP' }] })], [])).toEqual([]);
  });
});
