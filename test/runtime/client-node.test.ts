// @kubernetes/client-node (the official JavaScript client) against a started runtime, with TLS
// verification on and the runtime's kubeconfig, as a user's own tooling would connect.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from './harness.ts';

let rt: TestRuntime;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  rt = await startTestRuntime();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(rt.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: 'v' } });

describe('@kubernetes/client-node against the local runtime', () => {
  it('creates, gets and lists by label', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('one', { tier: 'web' }) });
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('two', { tier: 'db' }) });
    const got = await core.readNamespacedConfigMap({ namespace: 'default', name: 'one' });
    expect(got.data).toEqual({ k: 'v' });
    expect(got.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const web = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier=web' });
    expect(web.items.map((i) => i.metadata?.name)).toEqual(['one']);
    const notDb = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier,tier notin (db)' });
    expect(notDb.items.map((i) => i.metadata?.name)).toEqual(['one']);
  });

  it('merge-patches and refuses a stale resourceVersion with 409', async () => {
    const before = await core.readNamespacedConfigMap({ namespace: 'default', name: 'two' });
    const patched = await core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'two', body: { data: { k: 'patched' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ k: 'patched' });
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(before.metadata?.resourceVersion));
    const stale = { ...before, data: { k: 'stale write' } };
    const err = await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'two', body: stale }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<unknown>).code).toBe(409);
    expect(String((err as k8s.ApiException<unknown>).body)).toMatch(/the object has been modified/);
    const now = await core.readNamespacedConfigMap({ namespace: 'default', name: 'two' });
    expect(now.data).toEqual({ k: 'patched' });
  });

  it('watches: ADDED, MODIFIED, DELETED in order', async () => {
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { labelSelector: 'watched=yes' },
      (type: string, obj: k8s.V1ConfigMap) => events.push(`${type} ${obj.metadata?.name} ${obj.data?.k}`),
      () => {},
    );
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { ...cm('w', { watched: 'yes' }) } });
      await core.patchNamespacedConfigMap(
        { namespace: 'default', name: 'w', body: { data: { k: 'v2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'w' });
      await eventually(() => events.length >= 3, { what: 'three watch events' });
      expect(events).toEqual(['ADDED w v', 'MODIFIED w v2', 'DELETED w v2']);
    } finally {
      req.abort();
    }
  });

  it('creates a ReplicaSet whose pods become ready', async () => {
    await apps.createNamespacedReplicaSet({
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
        },
      },
    });
    const rs = await eventually(async () => {
      const r = await apps.readNamespacedReplicaSet({ namespace: 'default', name: 'web' });
      return r.status?.readyReplicas === 2 && r;
    });
    expect(rs.status?.observedGeneration).toBe(1);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) expect(p.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true });
  });

  it('gets a 422 with causes for an invalid object and a 404 for a missing one', async () => {
    const bad = await core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'Bad_Name' }, spec: { ports: [{ port: 80 }] } } }).catch((e) => e);
    expect((bad as k8s.ApiException<unknown>).code).toBe(422);
    const status = JSON.parse(String((bad as k8s.ApiException<unknown>).body));
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes[0].field).toBe('metadata.name');
    const missing = await core.readNamespacedPod({ namespace: 'default', name: 'nope' }).catch((e) => e);
    expect((missing as k8s.ApiException<unknown>).code).toBe(404);
  });
});
