// pods/eviction and cordon against the real runtime: the Eviction through @kubernetes/client-node
// and raw requests, cordon/uncordon and drain through the real kubectl.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../lib/api/model.ts';
import { TAINT_NODE_UNSCHEDULABLE } from '../../../lib/api/taints.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';
import { rawHttp, type Send } from './raw-http.ts';

let rt: TestRuntime;
let core: k8s.CoreV1Api;
let send: Send;

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 3 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(rt.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  send = await rawHttp(rt);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const client = () => rt.runtime.client;
const getPod = (name: string) => client().get('pods', 'default', name);
const getNode = (name: string) => client().get('nodes', undefined, name) as Node;
const unschedulableTaints = (name: string) => (getNode(name).spec?.taints ?? []).filter((t) => t.key === TAINT_NODE_UNSCHEDULABLE);

async function runningPod(name: string): Promise<Pod> {
  await client().create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
  return eventually(() => (getPod(name)?.status?.phase === 'Running' ? getPod(name) : undefined), { what: `${name} running` });
}

const eviction = (name: string, deleteOptions?: k8s.V1DeleteOptions): k8s.V1Eviction => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
  ...(deleteOptions ? { deleteOptions } : {}),
});

async function rcPods(app: string): Promise<Pod[]> {
  return client().list('pods', 'default', { labelSelector: `app=${app}` }).items.filter((p) => !p.metadata.deletionTimestamp);
}

function replicationController(app: string, replicas: number) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: app },
    spec: { replicas, selector: { app }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
  });
}

/** Waits until the RC has `replicas` running pods, none on `avoid`; returns their nodes. */
async function settledElsewhere(app: string, replicas: number, avoid: string): Promise<string[]> {
  return eventually(
    async () => {
      const pods = await rcPods(app);
      const ok = pods.length === replicas && pods.every((p) => p.status?.phase === 'Running' && p.spec.nodeName && p.spec.nodeName !== avoid);
      return ok ? pods.map((p) => p.spec.nodeName!) : undefined;
    },
    { timeoutMs: 30_000, what: `${app}'s pods running off ${avoid}` },
  );
}

describe('pods/eviction', () => {
  it('is in discovery as kubectl drain looks for it: pods/eviction, kind Eviction, policy/v1, create', async () => {
    const list = JSON.parse((await send('GET', '/api/v1')).body) as { resources: Array<Record<string, unknown>> };
    expect(list.resources.find((r) => r.name === 'pods/eviction')).toEqual({ name: 'pods/eviction', singularName: '', namespaced: true, kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] });
  });

  it('evicts: 201 with a Status Success, DisruptionTarget on the pod, then its graceful deletion', async () => {
    const pod = await runningPod('evict-me');
    const answer = await send('POST', '/api/v1/namespaces/default/pods/evict-me/eviction', JSON.stringify(eviction('evict-me', { gracePeriodSeconds: 0 })));
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    await eventually(() => getPod('evict-me') === undefined, { what: 'evicted pod gone' });
    expect(pod.metadata.uid).toBeTruthy();
  });

  it('honours the Eviction\'s deleteOptions: grace period, a failed precondition, dry run', async () => {
    const pod = await runningPod('graceful');
    // A uid precondition that does not hold: 409, and the pod is untouched (no DisruptionTarget).
    const stale = await core.createNamespacedPodEviction({ name: 'graceful', namespace: 'default', body: eviction('graceful', { preconditions: { uid: 'not-the-uid' } }) }).catch((e: unknown) => e);
    expect((stale as k8s.ApiException<string>).code).toBe(409);
    expect(JSON.parse((stale as k8s.ApiException<string>).body).message).toBe(`Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${pod.metadata.uid}`);
    expect(getPod('graceful')?.status?.conditions?.some((c) => c.type === 'DisruptionTarget')).toBe(false);
    // Dry run: nothing changes.
    await core.createNamespacedPodEviction({ name: 'graceful', namespace: 'default', body: eviction('graceful'), dryRun: 'All' });
    expect(getPod('graceful')?.metadata.deletionTimestamp).toBeUndefined();
    // A long grace period through client-node: the pod is Terminating with that grace, marked as evicted.
    await core.createNamespacedPodEviction({ name: 'graceful', namespace: 'default', body: eviction('graceful', { gracePeriodSeconds: 600, preconditions: { uid: pod.metadata.uid! } }) });
    const terminating = getPod('graceful')!;
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(600);
    expect(terminating.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    expect(terminating.status?.conditions?.find((c) => c.type === 'Ready')).toBeDefined();
    // (the simulated kubelet finishes the graceful deletion at once)
    await eventually(() => getPod('graceful') === undefined, { what: 'evicted pod gone' });
  });

  it('refuses a mismatched name, an unknown pod and a foreign kind in Kubernetes\' words', async () => {
    const mismatch = await send('POST', '/api/v1/namespaces/default/pods/one/eviction', JSON.stringify(eviction('other')));
    expect(mismatch.status).toBe(400);
    expect(JSON.parse(mismatch.body).message).toBe('name in URL does not match name in Eviction object');
    const missing = await send('POST', '/api/v1/namespaces/default/pods/nobody/eviction', JSON.stringify(eviction('nobody')));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).message).toBe('pods "nobody" not found');
    const wrongKind = await send('POST', '/api/v1/namespaces/default/pods/nobody/eviction', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nobody' } }));
    expect(wrongKind.status).toBe(400);
    // policy/v1beta1 is accepted as upstream's EvictionREST accepts it.
    const beta = await send('POST', '/api/v1/namespaces/default/pods/nobody/eviction', JSON.stringify({ ...eviction('nobody'), apiVersion: 'policy/v1beta1' }));
    expect(beta.status).toBe(404);
  });

  it('cordon taints the node node.kubernetes.io/unschedulable:NoSchedule (no timeAdded); evicted RC pods come back elsewhere; uncordon removes it', async () => {
    expect((await rt.kubectl(['apply', '-f', '-'], { input: replicationController('evicted', 3) })).code).toBe(0);
    const nodes = await settledElsewhere('evicted', 3, '');
    const target = nodes[0]!;
    const cordon = await rt.kubectl(['cordon', target]);
    expect(cordon.stdout).toBe(`node/${target} cordoned\n`);
    await eventually(() => unschedulableTaints(target).length === 1, { what: 'unschedulable taint' });
    expect(unschedulableTaints(target)).toEqual([{ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }]);
    for (const p of (await rcPods('evicted')).filter((x) => x.spec.nodeName === target)) {
      await core.createNamespacedPodEviction({ name: p.metadata.name!, namespace: 'default', body: eviction(p.metadata.name!) });
    }
    await settledElsewhere('evicted', 3, target);
    const uncordon = await rt.kubectl(['uncordon', target]);
    expect(uncordon.stdout).toBe(`node/${target} uncordoned\n`);
    await eventually(() => unschedulableTaints(target).length === 0 && !getNode(target).spec?.unschedulable, { what: 'taint removed' });
    expect((await rt.kubectl(['delete', 'rc', 'evicted'])).code).toBe(0);
  });

  // (kubectl's eviction client sends JSON: drain needs no protobuf decoding.)
  it('kubectl drain NODE --ignore-daemonsets --force evicts; the RC\'s pods come back on other nodes', async () => {
    expect((await rt.kubectl(['apply', '-f', '-'], { input: replicationController('drained', 3) })).code).toBe(0);
    const target = (await settledElsewhere('drained', 3, ''))[0]!;
    const drain = await rt.kubectl(['drain', target, '--ignore-daemonsets', '--force', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(drain.stderr).toBe('');
    expect(drain.stdout).toMatch(new RegExp(`node/${target} cordoned`));
    expect(drain.stdout).toMatch(/evicting pod default\/drained-\w{5}/);
    expect(drain.stdout).toMatch(new RegExp(`node/${target} drained`));
    await settledElsewhere('drained', 3, target);
    expect(unschedulableTaints(target)).toEqual([{ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }]);
    expect((await rt.kubectl(['uncordon', target])).code).toBe(0);
    await eventually(() => unschedulableTaints(target).length === 0, { what: 'taint removed' });
  }, 120_000);
});
