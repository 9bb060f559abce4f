// The local API server refuses updates exactly as a real cluster does (lib/api/update), and every
// replace the planner predicts is a 422 Invalid from the running server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { KubeApiError, KubeClient, KubeconfigError, loadKubeconfig } from '../../../lib/kube/index.ts';
import { UPDATE_RULES } from '../../../lib/api/update/index.ts';
import { diffObject } from '../../../lib/plan/diff.ts';
import { resourceForKind } from '../../../runtime/apiserver/resources.ts';
import { startTestRuntime, type TestRuntime } from '../harness.ts';

type Obj = Record<string, any>;

let rt: TestRuntime;
let client: KubeClient;
const NS = 'rules';

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1 });
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new KubeClient(target);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});
afterAll(async () => {
  client?.close();
  await rt?.close();
});

const edit = (o: KubeObject, f: (o: Obj) => void): KubeObject => {
  const c = structuredClone(o) as Obj;
  f(c);
  return c as KubeObject;
};

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: {
    containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] }],
    tolerations: [{ key: 'gpu', operator: 'Exists' }],
    activeDeadlineSeconds: 600,
  },
});
const service = (name: string, spec: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });
const secret = (name: string, extra: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, type: 'Opaque', data: { k: 'dg==' }, ...extra });
const configMap = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { k: 'v' }, immutable: true });
const replicaSet = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: NS },
  spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } } },
});

/** Server-side apply as kite apply does (field manager `kite`, forced): creates, or updates. */
const apply = (o: KubeObject) => client.patch<KubeObject>(o, NS, o.metadata.name!, 'apply', o, { fieldManager: 'kite', force: true });

/** Applies `base`, then `next`; the refusal of the second apply, if any. */
async function createThenApply(base: KubeObject, next: KubeObject): Promise<{ live: KubeObject; error: KubeApiError | undefined }> {
  const live = await apply(base);
  try {
    await apply(next);
    return { live, error: undefined };
  } catch (e) {
    if (e instanceof KubeApiError) return { live, error: e };
    throw e;
  }
}

describe('the local API server refuses what a real cluster refuses', () => {
  const cases: Array<[string, KubeObject, (o: Obj) => void, string]> = [
    ['a Service ipFamilies', service('fam'), (o) => (o.spec.ipFamilies = ['IPv6']), 'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set'],
    // (with the username a basic-auth Secret requires, so that only the type change is refused)
    ['a Secret type', secret('typed'), (o) => ((o.type = 'kubernetes.io/basic-auth'), (o.data.username = 'dXNlcg==')), 'type: Invalid value: "kubernetes.io/basic-auth": field is immutable'],
    ['an immutable ConfigMap data', configMap('frozen'), (o) => (o.data.k = 'w'), 'data: Forbidden: field is immutable when `immutable` is set'],
    ['a Pod container ports', pod('ported'), (o) => o.spec.containers[0].ports.push({ containerPort: 81 }), 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`'],
  ];
  it.each(cases)('%s: 422 Invalid', async (_name, base, change, message) => {
    const { error } = await createThenApply(base, edit(base, change));
    expect(error?.code).toBe(422);
    expect(error?.reason).toBe('Invalid');
    expect(error?.message).toContain(message);
  });

  it('and accepts what a real cluster accepts: a Pod image, an added toleration, a lowered activeDeadlineSeconds', async () => {
    const base = pod('mutable');
    const { error } = await createThenApply(
      base,
      edit(base, (o) => {
        o.spec.containers[0].image = 'app:2';
        o.spec.tolerations.push({ key: 'ssd', operator: 'Exists' });
        o.spec.activeDeadlineSeconds = 300;
      }),
    );
    expect(error).toBeUndefined();
  });
});

describe('every replace the planner predicts is a 422 from the running API server', () => {
  // One example change per rule of lib/api/update that the local runtime serves (DaemonSet and
  // StatefulSet are not served yet: their rules are covered by test/api/update.test.ts).
  const cases: Array<[string, KubeObject, (o: Obj) => void]> = [
    ['ReplicaSet selector', replicaSet('sel'), (o) => ((o.spec.selector.matchLabels.tier = 'web'), (o.spec.template.metadata.labels.tier = 'web'))],
    ['Deployment selector', { ...replicaSet('dsel'), kind: 'Deployment' }, (o) => ((o.spec.selector.matchLabels.tier = 'web'), (o.spec.template.metadata.labels.tier = 'web'))],
    ['Service clusterIP', service('pinned'), (o) => (o.spec.clusterIP = '127.96.0.250')],
    ['Service ipFamilies', service('family'), (o) => (o.spec.ipFamilies = ['IPv6'])],
    ['Service loadBalancerClass', service('lbc', { type: 'LoadBalancer', loadBalancerClass: 'example.com/a' }), (o) => (o.spec.loadBalancerClass = 'example.com/b')],
    ['Secret type', secret('stype'), (o) => (o.type = 'kubernetes.io/basic-auth')],
    ['Secret data once immutable', secret('sfrozen', { immutable: true }), (o) => (o.data.k = 'dw==')],
    ['ConfigMap data once immutable', configMap('cfrozen'), (o) => (o.data.k = 'w')],
    ['Pod container field', pod('pcmd'), (o) => (o.spec.containers[0].command = ['/app'])],
    ['Pod container added', pod('padd'), (o) => o.spec.containers.push({ name: 'side', image: 'side:1' })],
    ['Pod toleration removed', pod('ptol'), (o) => (o.spec.tolerations = [])],
    ['Pod activeDeadlineSeconds raised', pod('pads'), (o) => (o.spec.activeDeadlineSeconds = 900)],
    ['Pod activeDeadlineSeconds removed', pod('padr'), (o) => delete o.spec.activeDeadlineSeconds],
    ['Pod terminationGracePeriodSeconds', pod('pgrace'), (o) => (o.spec.terminationGracePeriodSeconds = 5)],
  ];
  it.each(cases)('%s', async (_name, base, change) => {
    const desired = edit(base, change);
    const live = await apply(base);
    expect(diffObject({ desired, lastApplied: base, live }).replace).toBe(true);
    let refusal: unknown;
    await apply(desired).catch((e) => (refusal = e));
    expect(refusal).toBeInstanceOf(KubeApiError);
    expect((refusal as KubeApiError).code).toBe(422);
  });

  it('covers every rule of lib/api/update for a kind the runtime serves', () => {
    const covered = new Set(cases.map(([, base]) => `${base.apiVersion}|${base.kind}`));
    const served = Object.keys(UPDATE_RULES).filter((key) => {
      const [apiVersion, kind] = key.split('|') as [string, string];
      return resourceForKind(apiVersion, kind) !== undefined;
    });
    expect(served.filter((key) => !covered.has(key))).toEqual([]);
  });

  it('kite policy, not a Kubernetes rule: a Service to ExternalName is planned as a replace, though the server would convert it', async () => {
    const base = service('conv');
    const desired = edit(base, (o) => (o.spec = { type: 'ExternalName', externalName: 'db.example.com' }));
    const live = await apply(base);
    expect(diffObject({ desired, lastApplied: base, live }).reason).toBe('spec.type ClusterIP → ExternalName');
    await expect(client.replace({ ...desired, metadata: { ...desired.metadata, resourceVersion: live.metadata.resourceVersion } })).resolves.toMatchObject({ spec: { type: 'ExternalName' } });
  });
});
