import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { bestPractices } from '../../lib/policy/best-practices.ts';
import { allowedRegistries, cpuRequests, memoryLimits, noHostPath, pinnedImageTags, readinessProbes, requiredLabels } from '../../lib/policy/rules.ts';

const rs = (container: Record<string, unknown>, volumes: unknown[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api', namespace: 'prod', labels: { team: 'web' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', ...container }], volumes } } },
});

const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });

describe('ready-made rules', () => {
  it('memoryLimits: every container of a pod template, init containers too', () => {
    expect(memoryLimits().check(rs({ image: 'x:1', resources: { limits: { memory: '1Gi' } } }))).toEqual([]);
    expect(memoryLimits().check(rs({ image: 'x:1', resources: { requests: { memory: '1Gi' } } }))).toEqual([
      { path: 'spec.template.spec.containers[0].resources.limits.memory', message: 'every container needs a memory limit' },
    ]);
    const violations = memoryLimits().check(pod({ containers: [{ name: 'a', image: 'x:1', resources: { limits: { memory: '1Gi' } } }], initContainers: [{ name: 'i', image: 'x:1' }] }));
    expect(violations?.map((v) => v.path)).toEqual(['spec.initContainers[0].resources.limits.memory']);
  });

  it('cpuRequests: a CPU limit counts (the request defaults to it)', () => {
    expect(cpuRequests().check(rs({ image: 'x:1', resources: { limits: { cpu: '1' } } }))).toEqual([]);
    expect(cpuRequests().check(rs({ image: 'x:1' }))?.[0]?.path).toBe('spec.template.spec.containers[0].resources.requests.cpu');
  });

  it('pinnedImageTags: latest and untagged are not pinned; a version or a digest is', () => {
    const paths = (image: string) => pinnedImageTags().check(rs({ image }))?.map((v) => v.message);
    expect(paths('nginx:1.27')).toEqual([]);
    expect(paths('registry.acme.dev:5000/web@sha256:abc')).toEqual([]);
    expect(paths('nginx:latest')).toEqual(['image nginx:latest uses the tag latest: name a version']);
    // A registry port is not a tag.
    expect(paths('localhost:5000/web')).toEqual(['image localhost:5000/web has no tag (it means latest): name a version']);
  });

  it('readinessProbes: only app containers that expose ports', () => {
    expect(readinessProbes().check(rs({ image: 'x:1' }))).toEqual([]);
    expect(readinessProbes().check(rs({ image: 'x:1', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 80 } } }))).toEqual([]);
    expect(readinessProbes().check(rs({ image: 'x:1', ports: [{ containerPort: 80 }] }))?.[0]?.path).toBe('spec.template.spec.containers[0].readinessProbe');
  });

  it('noHostPath names the volume and the host path', () => {
    expect(noHostPath().check(rs({ image: 'x:1' }, [{ name: 'data', hostPath: { path: '/var/lib/x' } }]))).toEqual([
      { path: 'spec.template.spec.volumes[0].hostPath', message: 'volume data mounts the host path /var/lib/x' },
    ]);
    expect(noHostPath().check(rs({ image: 'x:1' }, [{ name: 'tmp', emptyDir: {} }]))).toEqual([]);
  });

  it('allowedRegistries matches registries and repository prefixes, Docker Hub names made explicit', () => {
    const rule = allowedRegistries(['registry.acme.dev', 'docker.io/library']);
    expect(rule.check(rs({ image: 'registry.acme.dev/web/api:1' }))).toEqual([]);
    expect(rule.check(rs({ image: 'nginx:1.27' }))).toEqual([]);
    expect(rule.check(rs({ image: 'registry.acme.dev.evil.io/api:1' }))?.[0]?.message).toBe(
      'image registry.acme.dev.evil.io/api:1 is not from an allowed registry (registry.acme.dev, docker.io/library)',
    );
    expect(rule.check(rs({ image: 'jonbaier/node-express-info:latest' }))).toHaveLength(1);
  });

  it('requiredLabels names each missing label', () => {
    expect(requiredLabels(['team', 'tier']).check(rs({ image: 'x:1' }))).toEqual([{ path: 'metadata.labels[tier]', message: 'the label tier is required' }]);
  });

  it('the built-in best practices have stable names and no default severity (the stack mode gives it)', () => {
    expect(bestPractices().map((r) => r.name)).toEqual(['container-memory-limits', 'container-cpu-requests', 'readiness-probes', 'no-host-path']);
    expect(bestPractices().every((r) => r.severity === undefined && r.description.length > 0)).toBe(true);
  });

  it('objects without pod specs have nothing to check', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };
    for (const rule of bestPractices()) expect(rule.check(svc)).toEqual([]);
  });
});
