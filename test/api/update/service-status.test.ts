// ValidateServiceStatusUpdate: the load balancer ingress and metav1.Condition rules, worded as
// the API server words them (field.Error), then through the real registry's status subresource.
import { afterEach, describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/api/field-error.ts';
import type { Service, ServiceStatus } from '../../../lib/api/model.ts';
import { validateStatusUpdate } from '../../../lib/api/update/index.ts';
import { startControlPlane, type TestControlPlane } from '../../runtime/harness.ts';

const T = '2026-01-01T00:00:00Z';
const ok = { type: 'kite.dev/PortsBound', status: 'False', reason: 'PortUnavailable', message: 'listen tcp 127.240.0.1:80: bind: permission denied', lastTransitionTime: T } as const;

function withStatus(status: unknown): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { type: 'LoadBalancer' }, status: status as ServiceStatus };
}

function errorsOf(status: unknown): string[] {
  const svc = withStatus(status);
  return validateStatusUpdate(svc, svc).map(formatFieldError);
}

describe('validateStatusUpdate of a Service', () => {
  it.each([
    ['the proxy’s condition', { conditions: [ok] }, []],
    ['an ingress IP with its ipMode', { loadBalancer: { ingress: [{ ip: '127.240.0.1', ipMode: 'VIP' }] } }, []],
    ['a hostname ingress', { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } }, []],
    ['a condition without reason and lastTransitionTime', { conditions: [{ type: 'Ready', status: 'True' }] }, ['status.conditions[0].lastTransitionTime: Required value: must be set', 'status.conditions[0].reason: Required value: must be set']],
    ['a bad status and reason', { conditions: [{ ...ok, status: 'Maybe', reason: 'not ok!' }] }, [
      'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
      'status.conditions[0].reason: Invalid value: "not ok!": a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or \'_,:\', and must end with an alphanumeric character or \'_\'',
    ]],
    ['a type twice', { conditions: [ok, ok] }, ['status.conditions[1].type: Duplicate value: "kite.dev/PortsBound"']],
    ['a type that is no qualified name', { conditions: [{ ...ok, type: 'bad type' }] }, [
      'status.conditions[0].type: Invalid value: "bad type": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    ]],
    ['a negative observedGeneration', { conditions: [{ ...ok, observedGeneration: -1 }] }, ['status.conditions[0].observedGeneration: Invalid value: -1: must be greater than or equal to zero']],
    ['an ingress that is no IP', { loadBalancer: { ingress: [{ ip: 'nope', ipMode: 'VIP' }] } }, ['status.loadBalancer.ingress[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['an ipMode without IP', { loadBalancer: { ingress: [{ hostname: 'lb.example.com', ipMode: 'VIP' }] } }, ['status.loadBalancer.ingress[0].ipMode: Forbidden: may not be specified when `ip` is not set']],
    ['an unknown ipMode', { loadBalancer: { ingress: [{ ip: '127.240.0.1', ipMode: 'Magic' }] } }, ['status.loadBalancer.ingress[0].ipMode: Unsupported value: "Magic": supported values: "Proxy", "VIP"']],
    ['an IP as hostname', { loadBalancer: { ingress: [{ hostname: '1.2.3.4' }] } }, ['status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address']],
  ])('%s', (_what, status, want) => {
    expect(errorsOf(status)).toEqual(want);
  });
});

describe('the status subresource of a Service', () => {
  let cp: TestControlPlane | undefined;
  afterEach(async () => {
    await cp?.close();
    cp = undefined;
  });

  it('stores the proxy’s condition and refuses one metav1.Condition forbids, as 422 Invalid', async () => {
    cp = await startControlPlane();
    const c = cp.client;
    const svc = await c.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    // ipMode left out: defaulted to VIP, as the API server does for an IP.
    const stored = await c.updateStatus('services', { ...svc, status: { loadBalancer: { ingress: [{ ip: '127.240.0.1' }] }, conditions: [ok] } });
    expect(stored.status).toEqual({ loadBalancer: { ingress: [{ ip: '127.240.0.1', ipMode: 'VIP' }] }, conditions: [ok] });
    const e = await c.updateStatus('services', { ...stored, status: { ...stored.status, conditions: [{ type: 'kite.dev/PortsBound', status: 'False' }] } }).catch((x: unknown) => x as Error);
    expect((e as Error).message).toBe('Service "web" is invalid: [status.conditions[0].lastTransitionTime: Required value: must be set, status.conditions[0].reason: Required value: must be set]');
  });
});
