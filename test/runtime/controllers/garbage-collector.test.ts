import { afterEach, describe, expect, test } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../lib/api/meta.ts';
import { GarbageCollector } from '../../../runtime/controllers/garbage-collector.ts';
import { ReplicaSetController } from '../../../runtime/controllers/replicaset.ts';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { deleteRetrying, pod, podsOf, replicaSet } from './helpers.ts';

let cp: TestControlPlane | undefined;
let stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const s of stops) await s();
  stops = [];
  await cp?.close();
  cp = undefined;
});

async function setup(opts: { rs?: boolean } = {}) {
  cp = await startControlPlane();
  const informers = new InformerFactory(cp.client);
  const gc = new GarbageCollector(cp.client, { informers });
  const all: Array<{ start(): unknown; stop(): Promise<void> }> = [gc];
  if (opts.rs !== false) all.push(new ReplicaSetController(cp.client, { informers }));
  for (const c of all) {
    c.start();
    stops.push(() => c.stop());
  }
  stops.push(async () => informers.stop());
  return { client: cp.client, gc };
}

function ownedBy(owner: KubeObject, block = true): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) };
}

describe('garbage collector', () => {
  test('Background: the owner goes at once, the collector deletes its dependents', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 3));
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 3);
    await deleteRetrying(client, 'replicasets', 'default', 'web', { propagationPolicy: 'Background' });
    expect(client.get('replicasets', 'default', 'web')).toBeUndefined();
    await eventually(() => client.list('pods', 'default').items.length === 0, { what: 'pods collected' });
  });

  test('Foreground: dependents first, then the owner', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 3));
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 3);
    // one dependent is held by a finalizer of its own: the owner must wait for it
    const held = podsOf(client, 'default', rs.metadata.uid)[0]!;
    await client.patch('pods', 'default', held.metadata.name!, 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    await deleteRetrying(client, 'replicasets', 'default', 'web', { propagationPolicy: 'Foreground' });
    const deleting = client.get('replicasets', 'default', 'web')!;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.metadata.finalizers).toEqual(['foregroundDeletion']);
    await eventually(() => client.list('pods', 'default').items.length === 1, { what: 'unheld pods deleted' });
    await eventually(() => client.get('pods', 'default', held.metadata.name!)!.metadata.deletionTimestamp, { what: 'held pod terminating' });
    expect(client.get('replicasets', 'default', 'web')).toBeDefined();
    await client.patch('pods', 'default', held.metadata.name!, 'merge', { metadata: { finalizers: null } });
    await eventually(() => !client.get('replicasets', 'default', 'web'), { what: 'owner removed after its dependents' });
    expect(client.list('pods', 'default').items).toHaveLength(0);
  });

  test('Orphan: the ownerReference is removed from dependents, which survive the owner', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 2));
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 2);
    await deleteRetrying(client, 'replicasets', 'default', 'web', { propagationPolicy: 'Orphan' });
    await eventually(() => !client.get('replicasets', 'default', 'web'), { what: 'owner removed' });
    const pods = client.list('pods', 'default').items;
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.metadata.ownerReferences ?? []).toEqual([]);
  });

  test('ReplicationControllers orphan by default (no propagationPolicy)', async () => {
    const { client } = await setup({ rs: false });
    const rc = await client.create('replicationcontrollers', 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: { replicas: 0, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await client.create('pods', 'default', { ...pod('dep', { app: 'x' }), metadata: { name: 'dep', labels: { app: 'x' }, ownerReferences: [ownedBy(rc)] } });
    await client.delete('replicationcontrollers', 'default', 'rc');
    await eventually(() => !client.get('replicationcontrollers', 'default', 'rc'));
    expect(client.get('pods', 'default', 'dep')!.metadata.ownerReferences ?? []).toEqual([]);
  });

  test('an object whose owner does not exist is collected; one with a live owner is kept and its dangling refs dropped', async () => {
    const { client } = await setup({ rs: false });
    const cm = await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    await client.create('secrets', 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'orphaned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' }] },
    });
    await client.create('secrets', 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kept', ownerReferences: [ownedBy(cm, false), { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' }] },
    });
    // an owner of a kind not served here is never judged absent
    await client.create('secrets', 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'foreign', ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'w-uid' }] },
    });
    await eventually(() => !client.get('secrets', 'default', 'orphaned'), { what: 'orphaned secret collected' });
    await eventually(() => client.get('secrets', 'default', 'kept')!.metadata.ownerReferences?.length === 1, { what: 'dangling ref dropped' });
    expect(client.get('secrets', 'default', 'kept')!.metadata.ownerReferences![0]!.uid).toBe(cm.metadata.uid);
    expect(client.get('secrets', 'default', 'foreign')).toBeDefined();

    // deleting the owner (Background) collects the dependent
    await client.delete('configmaps', 'default', 'owner');
    await eventually(() => !client.get('secrets', 'default', 'kept'), { what: 'dependent of a deleted owner collected' });
  });

  test('foreground deletion cascades through two levels', async () => {
    const { client } = await setup({ rs: false });
    const top = await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'top' } });
    const mid = await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mid', ownerReferences: [ownedBy(top)] } });
    await client.create('secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leaf', ownerReferences: [ownedBy(mid)], finalizers: ['example.com/hold'] } });
    await client.delete('configmaps', 'default', 'top', { propagationPolicy: 'Foreground' });
    // mid is deleted in the foreground (it has dependents), leaf waits on its finalizer
    await eventually(() => client.get('configmaps', 'default', 'mid')?.metadata.finalizers?.includes('foregroundDeletion'), { what: 'mid in foreground deletion' });
    await eventually(() => client.get('secrets', 'default', 'leaf')?.metadata.deletionTimestamp);
    expect(client.get('configmaps', 'default', 'top')).toBeDefined();
    await client.patch('secrets', 'default', 'leaf', 'merge', { metadata: { finalizers: null } });
    await eventually(() => !client.get('configmaps', 'default', 'top'), { what: 'top removed last' });
    expect(client.get('configmaps', 'default', 'mid')).toBeUndefined();
  });

  test('owners without dependents lose their GC finalizers; the graph only tracks owned objects', async () => {
    const { client, gc } = await setup({ rs: false });
    await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lonely' } });
    await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lonely2' } });
    for (let i = 0; i < 20; i++) await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `plain-${i}` } });
    await client.delete('configmaps', 'default', 'lonely', { propagationPolicy: 'Orphan' });
    await client.delete('configmaps', 'default', 'lonely2', { propagationPolicy: 'Foreground' });
    await eventually(() => !client.get('configmaps', 'default', 'lonely') && !client.get('configmaps', 'default', 'lonely2'));
    expect(gc.graphSize).toBe(0);
  });
});
