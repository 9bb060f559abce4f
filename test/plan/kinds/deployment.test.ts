// A Deployment's readiness during `kite apply`: complete as `kubectl rollout status` decides it.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { readiness } from '../../../lib/plan/readiness.ts';

function deployment(status: Record<string, unknown>, opts: { generation?: number; replicas?: number; paused?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', uid: 'u1', generation: opts.generation ?? 2 },
    spec: { replicas: opts.replicas ?? 3, paused: opts.paused, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    status: { observedGeneration: 2, ...status },
  };
}

describe('Deployment readiness', () => {
  it('is ready when the rollout is complete', () => {
    expect(readiness(deployment({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }))).toEqual({ ready: true, detail: '3/3 available' });
  });

  it('waits, with kubectl’s stages: the controller, updated replicas, old pods, availability', () => {
    expect(readiness(deployment({}, { generation: 3 }))).toEqual({ ready: false, detail: 'waiting for the controller' });
    expect(readiness(deployment({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 })).detail).toBe('rolling 1/3 updated, 3/3 available');
    expect(readiness(deployment({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).detail).toBe('1 old pod pending termination');
    expect(readiness(deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).detail).toBe('2/3 updated pods available');
  });

  it('fails fast on ProgressDeadlineExceeded, with the condition’s message', () => {
    const r = readiness(
      deployment({
        replicas: 4,
        updatedReplicas: 1,
        availableReplicas: 3,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-5d4f8" has timed out progressing.' }],
      }),
    );
    expect(r).toMatchObject({ ready: false, reason: 'ProgressDeadlineExceeded', failure: 'deployment "web" exceeded its progress deadline: ReplicaSet "web-5d4f8" has timed out progressing.' });
  });

  it('fails fast when a pod it selects definitely fails, naming the pod and the cluster’s reason', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-5d4f8-abcde', namespace: 'prod', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } } }] },
    };
    const r = readiness(deployment({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 }), { pods: [pod] });
    expect(r.ready).toBe(false);
    expect(r.failure).toContain('pod web-5d4f8-abcde');
  });

  it('is ready while paused (nothing moves until it is resumed)', () => {
    expect(readiness(deployment({ replicas: 3, updatedReplicas: 0, availableReplicas: 3 }, { paused: true }))).toEqual({ ready: true, detail: 'paused: rolling 0/3 updated, 3/3 available' });
  });

  it('a Service backed only by a Deployment scaled to zero is ready without endpoints', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    expect(readiness(svc, { stackManifests: [deployment({}, { replicas: 0 })] })).toEqual({ ready: true, detail: 'no endpoints: scaled to 0 (Deployment/web)' });
  });
});
