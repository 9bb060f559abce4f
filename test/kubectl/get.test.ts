// kubectlGet on a server that answers plain lists (no Tables): kubectl's NAME/AGE fallback,
// `-o name`, and the `No resources found` messages.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { ApiResource, KubeClient } from '../../lib/kube/index.ts';
import { kubectlGet, type GetRequest } from '../../lib/kubectl/get.ts';

const now = Date.now();
const cm = (name: string, ageSeconds: number): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', creationTimestamp: new Date(now - ageSeconds * 1000).toISOString() } });
const CONFIGMAPS = { group: '', version: 'v1', apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true } as ApiResource;

function client(items: KubeObject[]): KubeClient {
  return { list: async () => ({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: {}, items }) } as unknown as KubeClient;
}
const request = (o: Partial<GetRequest>): GetRequest => ({ resources: [CONFIGMAPS], several: false, namespace: 'default', allNamespaces: false, output: 'table', ...o });

describe('kubectlGet', () => {
  it('lays a plain list out as NAME AGE when the server sends no Table', async () => {
    expect(await kubectlGet(client([cm('a', 5), cm('longer-name', 120)]), request({}))).toEqual({ out: 'NAME          AGE\na             5s\nlonger-name   2m\n', err: '' });
  });

  it('prints kind-prefixed names for -o name, nothing for no objects', async () => {
    expect(await kubectlGet(client([cm('a', 5)]), request({ output: 'name' }))).toEqual({ out: 'configmap/a\n', err: '' });
    expect(await kubectlGet(client([]), request({ output: 'name' }))).toEqual({ out: '', err: '' });
  });

  it('says no resources were found, naming the namespace unless -A', async () => {
    expect(await kubectlGet(client([]), request({}))).toEqual({ out: '', err: 'No resources found in default namespace.\n' });
    expect(await kubectlGet(client([]), request({ allNamespaces: true }))).toEqual({ out: '', err: 'No resources found\n' });
  });
});
