// The binding and finalize subresources write without admission: a body whose fields have the
// wrong JSON type is refused with 400, never stored (found when the registry's bodies were typed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKind } from '../../../lib/api/resource-types.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp?.close();
});

describe('subresource bodies', () => {
  it('binding: a target name that is not a string is a 400, the pod stays unbound', async () => {
    await cp.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    await expect(cp.registry.bind('default', 'web', { target: { name: 5 } })).rejects.toMatchObject({ code: 400 });
    expect(cp.client.get('pods', 'default', 'web')!.spec.nodeName).toBeUndefined();
    await cp.registry.bind('default', 'web', { target: { kind: 'Node', name: 'node-a' } });
    expect(cp.client.get('pods', 'default', 'web')!.spec.nodeName).toBe('node-a');
  });

  it('finalize: finalizers that are not a list of strings are a 400, the namespace keeps its own', async () => {
    await cp.client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    for (const finalizers of ['kubernetes', 5, [1]]) {
      await expect(cp.registry.finalizeNamespace('team', { spec: { finalizers } })).rejects.toMatchObject({ code: 400 });
    }
    expect(cp.client.get('namespaces', undefined, 'team')!.spec?.finalizers).toEqual(['kubernetes']);
    const { object } = await cp.registry.finalizeNamespace('team', { spec: {} });
    expect(isKind(object, 'Namespace') && object.spec?.finalizers).toEqual([]);
  });
});
