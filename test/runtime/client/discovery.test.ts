import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preferredResources, resourcesSupporting } from '../../../runtime/client/discovery.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await cp.close();
});

describe('discovery', () => {
  it('the in-process client reports what the API serves: core first, kinds, scopes and verbs, no subresources', () => {
    const all = cp.client.discover();
    expect(all[0]).toMatchObject({ group: '', version: 'v1', apiVersion: 'v1' });
    const rs = all.find((r) => r.apiVersion === 'apps/v1' && r.resource === 'replicasets')!;
    expect(rs).toMatchObject({ group: 'apps', version: 'v1', kind: 'ReplicaSet', namespaced: true });
    expect(rs.verbs).toEqual(expect.arrayContaining(['delete', 'list', 'watch']));
    expect(all.find((r) => r.resource === 'nodes')!.namespaced).toBe(false);
    expect(all.some((r) => r.resource.includes('/'))).toBe(false);
  });

  it('one resource per plural name: the first group serving it wins over a deprecated alias', () => {
    const all = cp.client.discover();
    expect(all.filter((r) => r.resource === 'replicasets').map((r) => r.apiVersion)).toEqual(['apps/v1', 'extensions/v1beta1']);
    const deletable = resourcesSupporting(all, ['delete', 'list', 'watch']);
    expect(deletable.filter((r) => r.resource === 'replicasets').map((r) => r.apiVersion)).toEqual(['apps/v1']);
    expect(new Set(deletable.map((r) => r.resource)).size).toBe(deletable.length);
  });

  it('reads the documents as served: each group at its preferred version, verbs filtered', () => {
    const resources = preferredResources({
      core: { versions: ['v1'] },
      groups: { groups: [{ name: 'example.com', preferredVersion: { groupVersion: 'example.com/v2', version: 'v2' } }] },
      resourceList: (gv) =>
        ({
          v1: { resources: [{ name: 'things', kind: 'Thing', namespaced: true, verbs: ['get', 'list'] }, { name: 'things/status', kind: 'Thing', namespaced: true, verbs: ['get'] }] },
          'example.com/v2': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: false, verbs: ['delete', 'list', 'watch'] }] },
        })[gv],
    });
    expect(resources.map((r) => `${r.apiVersion} ${r.resource} ${r.kind} ${r.namespaced}`)).toEqual(['v1 things Thing true', 'example.com/v2 widgets Widget false']);
    expect(resourcesSupporting(resources, ['delete']).map((r) => r.resource)).toEqual(['widgets']);
  });
});
