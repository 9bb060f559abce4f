import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { validateManifest } from '../../lib/api/model.ts';
import { recognize } from '../../lib/import/recognize.ts';

const valid = (o: unknown): KubeObject => {
  const r = validateManifest(o);
  if (!r.object) throw new Error(JSON.stringify(r.diagnostics));
  return r.object;
};
const app = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop-web' };
const appLabels = { ...app, 'app.kubernetes.io/managed-by': 'kite' };
const rs = (extra: Record<string, unknown> = {}) =>
  valid({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'shop', labels: appLabels },
    spec: { replicas: 1, selector: { matchLabels: app }, template: { metadata: { labels: appLabels }, spec: { containers: [{ name: 'web', image: 'web:1', ...extra }] } } },
  });

describe('recognize', () => {
  it('writes an App when App synthesizes exactly the ReplicaSet, in an existing namespace', () => {
    const plan = recognize('shop', [rs()]);
    expect(plan.scopes.map((s) => [s.namespace, s.declared])).toEqual([[undefined, undefined], ['shop', undefined]]);
    expect(plan.scopes[1]!.declarations).toEqual([{ construct: 'App', id: 'web', props: { image: 'web:1' } }]);
  });

  it('keeps the 1:1 ReplicaSet when the stack name (the instance label) does not fit an App', () => {
    const plan = recognize('other', [rs()]);
    expect(plan.scopes[1]!.declarations.map((d) => d.construct)).toEqual(['ReplicaSet']);
  });

  it('writes a hand-written Deployment as an App with its own selector, and the Service selecting it', () => {
    const labels = { app: 'api' };
    const objects = [
      valid({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } }),
      valid({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', labels: { ...labels, tier: 'back' } },
        spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels: { ...labels, tier: 'back' } }, spec: { containers: [{ name: 'api', image: 'api:2' }] } } },
      }),
    ];
    const [root] = recognize('s', objects).scopes;
    expect(root!.declarations.map((d) => [d.construct, d.id])).toEqual([['App', 'api'], ['Service', 'api-service']]);
    expect(root!.declarations[0]!.props).toEqual({ image: 'api:2', replicas: 2, workload: 'Deployment', selector: labels, labels: { tier: 'back' } });
  });

  it('selects a workload from the Service whose selector is its pod selector', () => {
    const labels = { app: 'api' };
    const objects = [
      valid({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: labels, ports: [{ port: 80 }] } }),
      valid({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', labels }, spec: { containers: [{ name: 'c', image: 'i' }] } }),
    ];
    const [root] = recognize('s', objects).scopes;
    expect(root!.declarations.map((d) => [d.construct, d.id, d.varName])).toEqual([['Pod', 'api', 'api'], ['Service', 'api-service', undefined]]);
  });

  it('refuses metadata no construct can write, naming the object and field', () => {
    const o = valid({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['x/y'] } });
    expect(recognize('s', [o]).diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', path: 'metadata.finalizers', object: 'ConfigMap/c', message: expect.stringContaining('cannot set metadata.finalizers') }),
    ]);
  });
});
