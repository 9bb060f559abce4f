import { afterEach, describe, expect, test } from 'vitest';
import { NamespaceController } from '../../../runtime/controllers/namespace.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { pod, replicaSet } from './helpers.ts';

let cp: TestControlPlane | undefined;
let ctl: NamespaceController | undefined;

afterEach(async () => {
  await ctl?.stop();
  ctl = undefined;
  await cp?.close();
  cp = undefined;
});

describe('namespace controller', () => {
  test('deleting a namespace removes its content, then the namespace', async () => {
    cp = await startControlPlane();
    const { client } = cp;
    ctl = new NamespaceController(client).start();
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await client.create('pods', 'team', pod('p1', { app: 'x' }));
    await client.create('replicasets', 'team', replicaSet('web', 0));
    await client.create('services', 'team', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } });
    await client.create('configmaps', 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });
    await client.create('secrets', 'team', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    await client.create('pods', 'default', pod('bystander', { app: 'x' }));

    await client.delete('namespaces', undefined, 'team');
    expect(client.get('namespaces', undefined, 'team')!.status!.phase).toBe('Terminating');
    await eventually(() => !client.get('namespaces', undefined, 'team'), { what: 'namespace gone' });
    for (const r of ['pods', 'replicasets', 'services', 'configmaps', 'secrets', 'endpoints', 'events']) expect(client.list(r, 'team').items).toEqual([]);
    expect(client.get('pods', 'default', 'bystander')).toBeDefined();
  });

  test('content held by a finalizer keeps the namespace, with conditions saying why', async () => {
    cp = await startControlPlane();
    const { client } = cp;
    ctl = new NamespaceController(client).start();
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await client.create('configmaps', 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await client.delete('namespaces', undefined, 'team');
    const conds = await eventually(() => {
      const c = client.get('namespaces', undefined, 'team')?.status?.conditions;
      return c?.some((x) => x.type === 'NamespaceContentRemaining' && x.status === 'True') && c;
    });
    expect(conds.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
      ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
    ]);
    // the finalizer goes: so does the object, and then the namespace (no waiting for the 15 s requeue)
    await client.patch('configmaps', 'team', 'held', 'merge', { metadata: { finalizers: null } });
    await eventually(() => !client.get('namespaces', undefined, 'team'), { what: 'namespace gone', timeoutMs: 5000 });
  });

  test('a namespace that is not being deleted is left alone', async () => {
    cp = await startControlPlane();
    const { client } = cp;
    ctl = new NamespaceController(client).start();
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep' } });
    await client.create('configmaps', 'keep', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'marker' } });
    await client.delete('namespaces', undefined, 'marker');
    await eventually(() => !client.get('namespaces', undefined, 'marker'));
    expect(client.get('configmaps', 'keep', 'cm')).toBeDefined();
    expect(client.get('namespaces', undefined, 'keep')!.status!.phase).toBe('Active');
  });
});

describe('all controllers together', () => {
  test('a namespace with a ReplicaSet and a Service is emptied and removed while the controllers run', async () => {
    const { startControllers } = await import('../../../runtime/controllers/index.ts');
    cp = await startControlPlane();
    const { client } = cp;
    const running = startControllers(client);
    try {
      await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } });
      await client.create('services', 'app', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
      await client.create('replicasets', 'app', replicaSet('web', 5));
      await eventually(() => client.list('pods', 'app').items.length === 5);
      await eventually(() => client.get('endpoints', 'app', 'web'));
      await client.delete('namespaces', undefined, 'app');
      await eventually(() => !client.get('namespaces', undefined, 'app'), { what: 'namespace gone' });
      for (const r of ['pods', 'replicasets', 'services', 'endpoints', 'endpointslices', 'events']) expect(client.list(r, 'app').items).toEqual([]);
    } finally {
      await running.stop();
    }
  });
});
