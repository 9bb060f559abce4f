import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { canonicalJson } from '../../lib/api/canonical-json.ts';
import { liveHash } from '../../lib/plan/live-hash.ts';

const rs: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api', namespace: 'prod', uid: 'u-1', resourceVersion: '10', generation: 2, labels: { app: 'api' }, managedFields: [{ manager: 'kite' }] },
  spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } },
  status: { replicas: 3, readyReplicas: 1 },
};
const edit = (f: (o: KubeObject & { spec: Record<string, unknown>; status: Record<string, unknown> }) => void): KubeObject => {
  const o = structuredClone(rs) as KubeObject & { spec: Record<string, unknown>; status: Record<string, unknown> };
  f(o);
  return o;
};

describe('liveHash: what a saved plan checks of each object', () => {
  it('ignores status, the server\'s bookkeeping and key order', () => {
    const h = liveHash(rs);
    expect(h).toMatch(/^sha256:[\w-]{43}$/);
    expect(liveHash(edit((o) => (o.status.readyReplicas = 3)))).toBe(h);
    expect(liveHash(edit((o) => Object.assign(o.metadata, { resourceVersion: '11', generation: 3, managedFields: [{ manager: 'kubelet' }] })))).toBe(h);
    const { spec, ...rest } = rs;
    expect(liveHash({ spec, ...rest } as KubeObject)).toBe(h);
  });

  it('sees anything else: a field, an annotation, a finalizer, a new uid', () => {
    const h = liveHash(rs);
    expect(liveHash(edit((o) => (o.spec.replicas = 4)))).not.toBe(h);
    expect(liveHash(edit((o) => (o.metadata.annotations = { team: 'payments' })))).not.toBe(h);
    expect(liveHash(edit((o) => (o.metadata.finalizers = ['example.com/hold'])))).not.toBe(h);
    expect(liveHash(edit((o) => (o.metadata.uid = 'u-2')))).not.toBe(h);
  });

  it('canonicalJson sorts keys at every depth and drops undefined like JSON does', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
    expect(JSON.parse(canonicalJson(rs))).toEqual(rs);
  });
});
