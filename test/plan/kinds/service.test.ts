// A selector Service's readiness when the stack's workloads that back it are scaled to zero
// (issue 8, point 8): nothing is meant to back it, so it is ready without endpoints.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { readiness } from '../../../lib/plan/readiness.ts';
import { podLabelsOf, wantsPods } from '../../../lib/plan/kinds/workloads.ts';

const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'web:1' }] } });
const rs = (name: string, replicas: number | undefined, labels: Record<string, string> = { app: 'web' }, kind = 'ReplicaSet'): KubeObject => ({
  apiVersion: kind === 'ReplicationController' ? 'v1' : 'apps/v1',
  kind,
  metadata: { name, namespace: 'prod' },
  spec: { ...(replicas === undefined ? {} : { replicas }), selector: { matchLabels: labels }, template: template(labels) },
});

describe('Service readiness and the workloads that back it', () => {
  it('is ready without endpoints when every workload of the stack it selects wants 0 pods', () => {
    expect(readiness(svc, { stackManifests: [rs('web', 0)] })).toEqual({ ready: true, detail: 'no endpoints: scaled to 0 (ReplicaSet/web)' });
    expect(readiness(svc, { stackManifests: [rs('web', 0), rs('web-canary', 0, { app: 'web', track: 'canary' }, 'ReplicationController'), rs('other', 3, { app: 'other' })] })).toEqual({
      ready: true,
      detail: 'no endpoints: scaled to 0 (ReplicaSet/web, ReplicationController/web-canary)',
    });
  });

  it('waits for an endpoint while one of them wants a pod (replicas unset means 1)', () => {
    expect(readiness(svc, { stackManifests: [rs('web', 0), rs('web-2', 2)] }).ready).toBe(false);
    expect(readiness(svc, { stackManifests: [rs('web', undefined)] }).ready).toBe(false);
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-solo', namespace: 'prod', labels: { app: 'web' } }, spec: {} };
    expect(readiness(svc, { stackManifests: [rs('web', 0), pod] }).ready).toBe(false);
  });

  it('waits for an endpoint when no workload of the stack selects it (pods from elsewhere, or a wrong selector)', () => {
    expect(readiness(svc, { stackManifests: [rs('other', 0, { app: 'other' })] })).toEqual({ ready: false, detail: 'no ready endpoints; no pods match the selector' });
    expect(readiness(svc, {}).ready).toBe(false);
  });

  it('knows the pods each workload kind wants', () => {
    const of = (kind: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'w' }, spec });
    expect(wantsPods(of('Deployment', { replicas: 0, template: template({ a: 'b' }) }))).toBe(false);
    expect(wantsPods(of('StatefulSet', { template: template({ a: 'b' }) }))).toBe(true);
    expect(wantsPods(of('DaemonSet', { template: template({ a: 'b' }) }))).toBe(true);
    expect(wantsPods(of('Job', { suspend: true, template: template({ a: 'b' }) }))).toBe(false);
    expect(wantsPods(of('Job', { parallelism: 0, template: template({ a: 'b' }) }))).toBe(false);
    expect(podLabelsOf(of('CronJob', { jobTemplate: { spec: { template: template({ job: 'x' }) } } }))).toEqual({ job: 'x' });
    expect(podLabelsOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });
});
