import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;
let informers: InformerFactory;

beforeEach(async () => {
  cp = await startControlPlane();
  informers = new InformerFactory(cp.client);
});

afterEach(async () => {
  informers.stop();
  await cp.close();
});

const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('InformerFactory', () => {
  it('shares one informer per resource and fills it with one list', async () => {
    await cp.client.create('configmaps', 'default', configMap('a'));
    const first = informers.informer('configmaps');
    expect(informers.informer('configmaps')).toBe(first);
    informers.start();
    expect(first.list().map((o) => o.metadata.name)).toEqual(['a']);
    expect(first.get('default/a')).toBeTruthy();
  });

  it('replays the cache to handlers added after the start, before any later event, after the caller returns', async () => {
    await cp.client.create('configmaps', 'default', configMap('a'));
    await cp.client.create('configmaps', 'default', configMap('b'));
    informers.on('configmaps', {});
    informers.start();
    const seen: string[] = [];
    informers.on('configmaps', {
      add: (o) => seen.push(`add ${o.metadata.name}`),
      update: (o) => seen.push(`update ${o.metadata.name}`),
    });
    expect(seen).toEqual([]); // not inside the caller's constructor
    await cp.client.update('configmaps', { ...cp.client.get('configmaps', 'default', 'a')!, data: { k: 'v' } });
    await eventually(() => seen.length === 3);
    expect(seen).toEqual(['add a', 'add b', 'update a']);
  });

  it('tells handlers registered before the start about the initial list as adds, then follows the watch', async () => {
    await cp.client.create('configmaps', 'default', configMap('a'));
    const seen: string[] = [];
    informers.on('configmaps', { add: (o) => seen.push(`add ${o.metadata.name}`), delete: (o) => seen.push(`delete ${o.metadata.name}`) });
    informers.start();
    expect(seen).toEqual(['add a']);
    await cp.client.delete('configmaps', 'default', 'a');
    await eventually(() => seen.length === 2);
    expect(seen).toEqual(['add a', 'delete a']);
  });
});
