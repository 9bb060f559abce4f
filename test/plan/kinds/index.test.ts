import { describe, expect, it } from 'vitest';
import { READINESS_KINDS, readinessKindOf } from '../../../lib/plan/kinds/index.ts';

describe('readiness records', () => {
  it('each group-kind has at most one record', () => {
    const all = READINESS_KINDS.flatMap((k) => k.groupKinds);
    expect(new Set(all).size).toBe(all.length);
  });

  it('are found by apiVersion and kind: the group counts, the version does not', () => {
    expect(readinessKindOf({ apiVersion: 'apps/v1', kind: 'ReplicaSet' })?.pods).toBe('owned');
    expect(readinessKindOf({ apiVersion: 'v1', kind: 'ReplicationController' })).toBe(readinessKindOf({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }));
    expect(readinessKindOf({ apiVersion: 'extensions/v1beta1', kind: 'ReplicaSet' })).toBeUndefined();
    expect(readinessKindOf({ apiVersion: 'v1', kind: 'Pod' })).toMatchObject({ pods: 'self', reportsDeletion: true });
    expect(readinessKindOf({ apiVersion: 'v1', kind: 'Service' })).toMatchObject({ pods: 'selected', endpoints: true });
    expect(readinessKindOf({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });

  it('a selecting record says what it selects', () => {
    for (const k of READINESS_KINDS) if (k.pods === 'selected') expect(k.selector, k.groupKinds.join()).toBeTypeOf('function');
  });
});
