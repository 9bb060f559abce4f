import { describe, expect, it } from 'vitest';
import type { Service } from '../../../lib/api/model.ts';
import { SERVICE_PORTS_BOUND } from '../../../lib/api/model.ts';
import { nextConditions } from '../../../runtime/proxy/ports-bound.ts';

const svc = (conditions?: NonNullable<Service['status']>['conditions']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'a', namespace: 'default', generation: 3 },
  spec: {},
  ...(conditions ? { status: { conditions } } : {}),
});

describe('the kite.dev/PortsBound condition', () => {
  it('is not written for a Service that never failed', () => {
    expect(nextConditions(svc(), [], 'T1')).toBeUndefined();
  });

  it('is False with the failures, keeps other conditions, and is not rewritten while unchanged', () => {
    const other = { type: 'example.com/Other', status: 'True' as const, lastTransitionTime: 'T0', reason: 'Fine', message: '' };
    const next = nextConditions(svc([other]), ['listen tcp 127.240.0.1:80: bind: address already in use'], 'T1')!;
    expect(next).toEqual([
      other,
      { type: SERVICE_PORTS_BOUND, status: 'False', observedGeneration: 3, lastTransitionTime: 'T1', reason: 'PortUnavailable', message: 'listen tcp 127.240.0.1:80: bind: address already in use' },
    ]);
    expect(nextConditions(svc(next), ['listen tcp 127.240.0.1:80: bind: address already in use'], 'T2')).toBeUndefined();
  });

  it('turns True (new transition time) once every listener is up', () => {
    const failed = nextConditions(svc(), ['x'], 'T1')!;
    expect(nextConditions(svc(failed), [], 'T2')).toEqual([{ type: SERVICE_PORTS_BOUND, status: 'True', observedGeneration: 3, lastTransitionTime: 'T2', reason: 'PortsBound', message: 'every Service address is listening' }]);
  });
});

describe('the condition fits metav1.Condition (k/k apimachinery/pkg/apis/meta/v1/validation ValidateConditions)', () => {
  it('type is a qualified name, reason CamelCase, status and lastTransitionTime set', () => {
    const [c] = nextConditions(svc(), ['listen tcp 127.240.0.1:80: bind: address already in use'], '2026-01-01T00:00:00Z')!;
    expect(c!.type).toMatch(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
    expect(c!.reason).toMatch(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/);
    expect(['True', 'False', 'Unknown']).toContain(c!.status);
    expect(c!.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(c!.message!.length).toBeLessThanOrEqual(32768);
  });
});
