// What kite adds to kubectl's Service table: the ENDPOINTS cell, and the problem lines.
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointSlice, Service } from '../../lib/api/model.ts';
import type { Table } from '../../lib/kube/index.ts';
import { endpointsCell, PENDING_HINT_AFTER_MS, serviceProblems, withEndpointsColumn } from '../../lib/kubectl/service-columns.ts';
import { renderTable } from '../../lib/kubectl/table.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');

function svc(name: string, spec: Service['spec'] = { type: 'ClusterIP' }, status: Service['status'] = { loadBalancer: {} }, createdMsAgo = 60_000, ns = 'default'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, creationTimestamp: new Date(NOW - createdMsAgo).toISOString() }, spec, status };
}

function slice(service: string, endpoints: Endpoint[], addressType: EndpointSlice['addressType'] = 'IPv4', ns = 'default'): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${service}-x`, namespace: ns, labels: { 'kubernetes.io/service-name': service } }, addressType, endpoints };
}

const ep = (ip: string, ready?: boolean): Endpoint => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready } });

describe('endpointsCell', () => {
  it.each([
    ['ready endpoints counted', [slice('a', [ep('10.0.0.1', true), ep('10.0.0.2', true), ep('10.0.0.3', false)])], '2'],
    ['ready unset counts as ready (as kube-proxy reads it)', [slice('a', [ep('10.0.0.1')])], '1'],
    ['one address in two slices counted once', [slice('a', [ep('10.0.0.1', true)]), slice('a', [ep('10.0.0.1', true), ep('10.0.0.4', true)])], '2'],
    ['none ready', [slice('a', [ep('10.0.0.1', false)])], '<none>'],
    ['no slices', [], '<none>'],
    ['a placeholder slice', [slice('a', [])], '<none>'],
  ])('%s', (_what, slices, want) => {
    expect(endpointsCell(svc('a'), slices)).toBe(want);
  });

  it('is - for an ExternalName Service', () => {
    expect(endpointsCell(svc('x', { type: 'ExternalName', externalName: 'db.example.com' }), [])).toBe('-');
  });
});

describe('withEndpointsColumn', () => {
  const table: Table = {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'Table',
    metadata: {},
    columnDefinitions: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'].map((name, i) => ({ name, type: 'string', format: i === 0 ? 'name' : '', description: '', priority: 0 })),
    rows: [
      { cells: ['web', 'LoadBalancer', '127.96.0.20', '127.240.0.1', '80:30001/TCP', '5m'], object: { metadata: { name: 'web', namespace: 'shop' } } },
      { cells: ['db', 'ClusterIP', '127.96.0.21', '<none>', '5432/TCP', '5m'], object: { metadata: { name: 'db', namespace: 'shop' } } },
    ],
  };

  it('inserts ENDPOINTS before AGE, matching rows to Services by namespace and name', () => {
    const services = [svc('web', { type: 'LoadBalancer' }, undefined, 1, 'shop'), svc('db', undefined, undefined, 1, 'shop'), svc('web')];
    const slices = [slice('web', [ep('127.200.0.5', true), ep('127.200.0.6', true)], 'IPv4', 'shop'), slice('web', [ep('127.200.0.9', true)])];
    expect(renderTable(withEndpointsColumn(table, services, slices, undefined))).toBe(
      [
        'NAME   TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)        ENDPOINTS   AGE',
        'web    LoadBalancer   127.96.0.20   127.240.0.1   80:30001/TCP   2           5m',
        'db     ClusterIP      127.96.0.21   <none>        5432/TCP       <none>      5m',
        '',
      ].join('\n'),
    );
  });

  it('says <unknown> when the slices could not be read', () => {
    const out = withEndpointsColumn(table, [svc('web', undefined, undefined, 1, 'shop')], undefined, undefined);
    expect(out.rows[0]!.cells[5]).toBe('<unknown>');
  });
});

describe('serviceProblems', () => {
  it('prints the proxy’s PortsBound=False message', () => {
    const status: Service['status'] = {
      loadBalancer: { ingress: [{ ip: '127.240.0.1', ipMode: 'VIP' }] },
      conditions: [{ type: 'kite.dev/PortsBound', status: 'False', reason: 'PortUnavailable', message: 'listen tcp 127.240.0.1:80: address already in use', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    };
    expect(serviceProblems([svc('web', { type: 'LoadBalancer' }, status), svc('ok')], NOW)).toEqual(['service default/web: listen tcp 127.240.0.1:80: address already in use']);
  });

  it('ignores PortsBound=True', () => {
    const status: Service['status'] = { conditions: [{ type: 'kite.dev/PortsBound', status: 'True', reason: 'Bound', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] };
    expect(serviceProblems([svc('web', undefined, status)], NOW)).toEqual([]);
  });

  it('hints at a LoadBalancer still pending a while after its creation, not a new one', () => {
    const lb = { type: 'LoadBalancer' as const };
    expect(serviceProblems([svc('new', lb, { loadBalancer: {} }, PENDING_HINT_AFTER_MS - 1)], NOW)).toEqual([]);
    expect(serviceProblems([svc('old', lb, { loadBalancer: {} }, PENDING_HINT_AFTER_MS)], NOW)).toEqual([
      "service default/old: EXTERNAL-IP is <pending>: no load balancer address yet (see the events in 'kite describe svc old')",
    ]);
    expect(serviceProblems([svc('cls', { ...lb, loadBalancerClass: 'example.com/lb' }, { loadBalancer: {} })], NOW)).toEqual([
      'service default/cls: EXTERNAL-IP is <pending>: its loadBalancerClass "example.com/lb" is served by another load balancer controller, which has not given it an address',
    ]);
    expect(serviceProblems([svc('done', lb, { loadBalancer: { ingress: [{ ip: '127.240.0.1' }] } })], NOW)).toEqual([]);
  });
});
