import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { userObjects } from '../../lib/import/live-objects.ts';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'ns', uid: 'u-1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', ...extra });

describe('userObjects', () => {
  it('drops what the cluster made, and server-set metadata, status and bookkeeping', () => {
    const live = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': 'x' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default') },
      { apiVersion: 'v1', kind: 'Pod', metadata: meta('rs-abc', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-2', controller: true }] }), spec: { containers: [{ name: 'c', image: 'i' }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], clusterIP: '10.0.0.9', clusterIPs: ['10.0.0.9'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' }, status: { loadBalancer: {} } },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web'), subsets: [] },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta('flags', {
          labels: { 'applyset.kubernetes.io/part-of': 'applyset-x', team: 'a' },
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kite.dev/last-applied': '{}' },
        }),
        data: { mode: 'fast' },
      },
    ] as unknown as KubeObject[];
    expect(userObjects(live)).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'ns', labels: { team: 'a' } }, data: { mode: 'fast' } },
    ]);
  });

  it("keeps a field whose value is not the default, and the user's rollout annotations", () => {
    const live = [
      { apiVersion: 'v1', kind: 'Service', metadata: meta('s', { annotations: { 'kite.dev/max-surge': '1' } }), spec: { ports: [{ port: 80, protocol: 'UDP', targetPort: 80 }], sessionAffinity: 'ClientIP' } },
    ] as unknown as KubeObject[];
    const [s] = userObjects(live);
    expect(s!.metadata.annotations).toEqual({ 'kite.dev/max-surge': '1' });
    expect(s!.spec).toMatchObject({ ports: [{ port: 80, protocol: 'UDP' }], sessionAffinity: 'ClientIP' });
  });

  it("drops the storage protection finalizer and the volume controllers' annotations", () => {
    const live = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta('c', { finalizers: ['kubernetes.io/pvc-protection', 'example.com/keep'], annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': 'x' } }),
      },
    ] as unknown as KubeObject[];
    expect(userObjects(live)[0]!.metadata).toEqual({ name: 'c', namespace: 'ns', finalizers: ['example.com/keep'] });
  });
});
