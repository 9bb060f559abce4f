// The demo's reach lines: a LoadBalancer's URL per TCP port, or why there is none; a pod's curl line.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../lib/api/model.ts';
import { loadBalancerLines, podLines } from '../../commands/demo-reach.ts';

function lb(name: string, ports: NonNullable<Service['spec']>['ports'], status: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'prod' }, spec: { type: 'LoadBalancer', ports }, status };
}
const at = (ip: string): Service['status'] => ({ loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } });

describe('loadBalancerLines', () => {
  it('prints a URL per TCP port, without :80', () => {
    const svc = lb('api', [{ port: 80 }, { port: 8443, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], at('127.240.0.1'));
    expect(loadBalancerLines([svc])).toEqual(['  curl http://127.240.0.1/    # service prod/api (LoadBalancer)', '  curl http://127.240.0.1:8443/    # service prod/api (LoadBalancer)']);
  });

  it('says when the address is still pending, and when the proxy could not listen', () => {
    const pending = lb('slow', [{ port: 80 }], { loadBalancer: {} });
    const unbound = lb('busy', [{ port: 80 }], {
      ...at('127.240.0.2'),
      conditions: [{ type: 'kite.dev/PortsBound', status: 'False', reason: 'PortUnavailable', message: 'listen tcp 127.240.0.2:80: bind: permission denied', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    });
    expect(loadBalancerLines([pending, unbound])).toEqual([
      '  # prod/slow: EXTERNAL-IP still <pending> (kite describe svc -n prod slow)',
      '  curl http://127.240.0.2/    # service prod/busy (LoadBalancer)',
      '  # prod/busy: listen tcp 127.240.0.2:80: bind: permission denied',
    ]);
  });

  it('skips Services of other types', () => {
    expect(loadBalancerLines([{ ...lb('x', [{ port: 80 }], at('127.240.0.3')), spec: { type: 'ClusterIP', ports: [{ port: 80 }] } }])).toEqual([]);
  });
});

describe('podLines', () => {
  it('prints the first container port of each pod with an IP', () => {
    const pod = (name: string, ip?: string): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'prod' },
      spec: { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080 }] }] },
      status: ip ? { podIP: ip } : {},
    });
    expect(podLines([pod('a', '127.200.0.2'), pod('b')])).toEqual(['  curl http://127.200.0.2:8080/    # prod/a']);
  });
});
