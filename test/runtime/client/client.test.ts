// The in-process client is typed by resource: what it returns is the resource's kind type (a
// KubeObject for resources lib/api does not model), checked here by the compiler and at run time.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { Namespace, Node, Pod } from '../../../lib/api/model.ts';
import { isKind } from '../../../lib/api/resource-types.ts';
import type { WatchEvent } from '../../../runtime/apiserver/registry.ts';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await cp.close();
});

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };

describe('ApiClient typed by resource', () => {
  it('reads and writes the kind type of a modelled resource', async () => {
    const created = await cp.client.create('pods', 'default', pod);
    expectTypeOf(created).toEqualTypeOf<Pod>();
    expect(created.spec.containers[0]?.image).toBe('nginx');
    expect(created.status?.qosClass).toBe('BestEffort');
    expectTypeOf(cp.client.get('pods', 'default', 'web')).toEqualTypeOf<Pod | undefined>();
    expectTypeOf(cp.client.list('nodes').items).toEqualTypeOf<Node[]>();
    expectTypeOf(await cp.client.finalizeNamespace('default', ['kubernetes'])).toEqualTypeOf<Namespace>();
  });

  it('reads an unmodelled resource as a KubeObject', async () => {
    const cm = await cp.client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } });
    expectTypeOf(cm).toEqualTypeOf<KubeObject>();
    expect(cm.data).toEqual({ a: '1' });
  });

  it('watch events carry the kind type', async () => {
    const seen: Pod[] = [];
    const stop = cp.client.watch('pods', 'default', {}, (e) => {
      expectTypeOf(e).toEqualTypeOf<WatchEvent<Pod>>();
      if (e.type === 'ADDED') seen.push(e.object);
    });
    await cp.client.create('pods', 'default', pod);
    await eventually(() => seen.length === 1);
    stop();
    expect(seen[0]!.spec.containers[0]!.name).toBe('app');
  });

  it('informer handlers get the kind type', async () => {
    const informers = new InformerFactory(cp.client);
    const images: string[] = [];
    informers.on('pods', { add: (p) => images.push(p.spec.containers[0]?.image ?? '') });
    informers.start();
    await cp.client.create('pods', 'default', pod);
    await eventually(() => images.length === 1);
    informers.stop();
    expect(images).toEqual(['nginx']);
  });

  it('isKind narrows an object read generically', async () => {
    const obj: KubeObject = await cp.client.create('pods', 'default', pod);
    expect(isKind(obj, 'Pod') && obj.spec.containers.length).toBe(1);
    expect(isKind(obj, 'Service')).toBe(false);
  });
});
