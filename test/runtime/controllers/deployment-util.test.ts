import { describe, expect, test } from 'vitest';
import type { Deployment, ReplicaSet } from '../../../lib/api/model.ts';
import {
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  REVISION,
  REVISION_HISTORY,
  calculateStatus,
  computeHash,
  deploymentTimedOut,
  equalIgnoreHash,
  findActiveOrLatest,
  getProportion,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  safeEncodeString,
  setCondition,
  setNewReplicaSetAnnotations,
} from '../../../runtime/controllers/deployment-util.ts';

function deployment(replicas: number, strategy: Deployment['spec']['strategy'] = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } }, strategy, ...extra },
  };
}

function rs(name: string, replicas: number, opts: { available?: number; created?: string; annotations?: Record<string, string> } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, creationTimestamp: opts.created ?? '2024-01-01T00:00:00Z', annotations: opts.annotations },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } },
    status: { replicas, availableReplicas: opts.available ?? replicas },
  };
}

describe('ResolveFenceposts', () => {
  // runtime-semantics §15.2: surge rounds up, unavailable down, both zero → unavailable 1.
  test.each([
    ['25%', '25%', 1, 1, 0],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
    ['0%', '25%', 2, 0, 1],
    [0, 0, 5, 0, 1],
    [2, 1, 5, 2, 1],
  ] as const)('surge %s unavailable %s of %i → (%i, %i)', (s, u, replicas, surge, unavailable) => {
    expect(resolveFenceposts(s, u, replicas)).toEqual({ surge, unavailable });
  });

  test('Recreate has no surge and no unavailability budget; maxUnavailable is capped at replicas', () => {
    expect(maxSurge(deployment(3, { type: 'Recreate' }))).toBe(0);
    expect(maxUnavailable(deployment(3, { type: 'Recreate' }))).toBe(0);
    expect(maxUnavailable(deployment(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 5 } }))).toBe(2);
    expect(maxUnavailable(deployment(0))).toBe(0);
  });
});

describe('NewRSNewReplicas', () => {
  test('the new ReplicaSet grows by the surge left, never past the replicas', () => {
    const d = deployment(3);
    const old = rs('web-a', 3);
    const fresh = rs('web-b', 0);
    expect(newRSNewReplicas(d, [old, fresh], fresh)).toBe(1);
    expect(newRSNewReplicas(d, [rs('web-a', 2), rs('web-b', 2)], rs('web-b', 2))).toBe(2);
    expect(newRSNewReplicas(d, [rs('web-a', 0), rs('web-b', 2)], rs('web-b', 2))).toBe(3);
    expect(newRSNewReplicas(deployment(3, { type: 'Recreate' }), [old, fresh], fresh)).toBe(3);
  });
});

describe('pod-template-hash', () => {
  test('SafeEncodeString maps decimal digits into the vowel-free alphabet', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  test('stable for one template, changed by the template and by the collision count, at most 10 characters', () => {
    const t = deployment(1).spec.template;
    const h = computeHash(t);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(structuredClone(t))).toBe(h);
    expect(computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'i:2' }] } })).not.toBe(h);
    expect(computeHash(t, 1)).not.toBe(h);
    expect(computeHash(t, 1)).not.toBe(computeHash(t, 2));
  });

  test('EqualIgnoreHash ignores only the pod-template-hash label', () => {
    const t = deployment(1).spec.template;
    expect(equalIgnoreHash(t, { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } } })).toBe(true);
    expect(equalIgnoreHash(t, { ...t, metadata: { labels: { app: 'web', tier: 'x' } } })).toBe(false);
  });
});

describe('proportional scaling', () => {
  test('GetProportion shares an increase by the max-replicas annotation', () => {
    // 10 → 15 replicas (surge 25%: 13 → 19 allowed) split 8:5.
    const d = deployment(15);
    const big = rs('web-a', 8, { annotations: { [MAX_REPLICAS]: '13' } });
    const small = rs('web-b', 5, { annotations: { [MAX_REPLICAS]: '13' } });
    const toAdd = 15 + 4 - 13;
    const p1 = getProportion(big, d, toAdd, 0);
    const p2 = getProportion(small, d, toAdd, p1);
    expect(p1 + p2).toBeLessThanOrEqual(toAdd);
    expect(p1).toBeGreaterThan(p2);
    expect(getProportion(rs('web-c', 0), d, toAdd, 0)).toBe(0);
  });

  test('FindActiveOrLatest: the single active ReplicaSet, else the newest, none with two active', () => {
    const a = rs('web-a', 0, { created: '2024-01-01T00:00:00Z' });
    const b = rs('web-b', 0, { created: '2024-01-02T00:00:00Z' });
    expect(findActiveOrLatest(undefined, [a, b])?.metadata.name).toBe('web-b');
    expect(findActiveOrLatest(rs('web-c', 2), [a, b])?.metadata.name).toBe('web-c');
    expect(findActiveOrLatest(rs('web-c', 2), [rs('web-a', 1)])).toBeUndefined();
  });
});

describe('annotations', () => {
  test('a new ReplicaSet gets the revision, the replica annotations and the Deployment annotations but the controller’s', () => {
    const d = deployment(3);
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REVISION]: '1' };
    const a: Record<string, string> = {};
    expect(setNewReplicaSetAnnotations(d, a, 2, false)).toBe(true);
    expect(a).toEqual({ 'kubernetes.io/change-cause': 'v2', [REVISION]: '2', [DESIRED_REPLICAS]: '3', [MAX_REPLICAS]: '4' });
  });

  test('a rolled-back ReplicaSet keeps its former revisions in revision-history', () => {
    const d = deployment(3);
    const a: Record<string, string> = { [REVISION]: '1' };
    setNewReplicaSetAnnotations(d, a, 3, true);
    expect(a[REVISION]).toBe('3');
    expect(a[REVISION_HISTORY]).toBe('1');
    setNewReplicaSetAnnotations(d, a, 5, true);
    expect(a[REVISION_HISTORY]).toBe('1,3');
    expect(setNewReplicaSetAnnotations(d, a, 5, true)).toBe(false);
  });
});

describe('status and conditions', () => {
  const now = new Date('2024-01-01T00:10:00Z');

  test('Available needs replicas − maxUnavailable available pods', () => {
    const d = deployment(4);
    expect(calculateStatus(d, [rs('web-a', 4, { available: 3 })], undefined, now).conditions?.[0]).toMatchObject({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(calculateStatus(d, [rs('web-a', 4, { available: 2 })], undefined, now).conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  test('SetDeploymentCondition keeps the transition time for the same status and appends the changed type last', () => {
    const s = { conditions: [{ type: 'Progressing', status: 'True' as const, reason: 'A', lastTransitionTime: 't0', lastUpdateTime: 't0' }, { type: 'Available', status: 'True' as const, reason: 'B' }] };
    setCondition(s, { type: 'Progressing', status: 'True', reason: 'C', lastTransitionTime: 't1', lastUpdateTime: 't1' });
    expect(s.conditions.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(s.conditions[1]).toMatchObject({ reason: 'C', lastTransitionTime: 't0', lastUpdateTime: 't1' });
  });

  test('timed out once lastUpdateTime + progressDeadlineSeconds has passed', () => {
    const d = deployment(1, undefined, { progressDeadlineSeconds: 60 });
    const status = (t: string) => ({ conditions: [{ type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated', lastUpdateTime: t }] });
    expect(deploymentTimedOut(d, status('2024-01-01T00:08:59Z'), now)).toBe(true);
    expect(deploymentTimedOut(d, status('2024-01-01T00:09:30Z'), now)).toBe(false);
  });
});
