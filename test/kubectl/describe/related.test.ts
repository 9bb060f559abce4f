// The describers' `related` phase through the real lib/kube client against a started runtime:
// what describe looks up is what the cluster made (the controllers' pods, the scheduler's and
// controllers' events, the endpoint slices, the node's lease), and nothing else.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { EndpointSlice, Event, Pod } from '../../../lib/api/model.ts';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../../lib/kube/index.ts';
import { describeObject } from '../../../lib/kubectl/describe/describer.ts';
import { namespaceDescriber } from '../../../lib/kubectl/describe/namespace.ts';
import { nodeDescriber } from '../../../lib/kubectl/describe/node.ts';
import { podDescriber } from '../../../lib/kubectl/describe/pod.ts';
import { replicaSetDescriber, replicationControllerDescriber } from '../../../lib/kubectl/describe/replicaset.ts';
import { serviceDescriber } from '../../../lib/kubectl/describe/service.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../../runtime/harness.ts';
import { SEED } from '../../support/kite.ts';

const PODS = { apiVersion: 'v1', kind: 'Pod' };
const EVENTS = { apiVersion: 'v1', kind: 'Event' };

let rt: TestRuntime;
let client: KubeClient;
let rs: KubeObject;
let rc: KubeObject;
let svc: KubeObject;

async function seedDocs(file: string): Promise<KubeObject[]> {
  return parseAllDocuments(await readFile(join(SEED, file), 'utf8')).map((d) => d.toJS() as KubeObject);
}

const names = (items: readonly { metadata: { name?: string } }[]) => items.map((i) => i.metadata.name).sort();

/** The pods in `default` whose controller is `owner`, as the runtime lists them. */
async function podsControlledBy(owner: KubeObject): Promise<Pod[]> {
  const pods = (await client.listAll<Pod>(PODS, { namespace: 'default' })).items;
  return pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === owner.metadata.uid));
}

/** The events the runtime recorded about `o`. */
async function eventsAbout(o: KubeObject): Promise<Event[]> {
  const events = (await client.listAll<Event>(EVENTS, {})).items;
  return events.filter((e) => e.involvedObject.uid === o.metadata.uid);
}

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1 });
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new KubeClient(target);
  const [rsDoc] = await seedDocs('node-js-rs.yaml');
  rs = await client.create({ ...rsDoc!, apiVersion: 'apps/v1', metadata: { ...rsDoc!.metadata, namespace: 'default' } });
  for (const doc of await seedDocs('node-js-rc.yaml')) {
    const created = await client.create({ ...doc, metadata: { ...doc.metadata, namespace: 'default' } });
    if (created.kind === 'Service') svc = created;
    else rc = created;
  }
  // A pod the ReplicaSet's selector matches but another object controls: not the ReplicaSet's.
  const owner = await client.create<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray-owner', namespace: 'default' } });
  const template = (rs.spec as { template: { metadata: KubeObject['metadata']; spec: object } }).template;
  await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stray', namespace: 'default', labels: template.metadata.labels, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'stray-owner', uid: owner.metadata.uid!, controller: true }] },
    spec: template.spec,
  });
  // settled: each controller's pods running and its creations recorded
  for (const controller of [rs, rc]) {
    await eventually(async () => (await podsControlledBy(controller)).filter((p) => p.status?.phase === 'Running').length === 3 && (await eventsAbout(controller)).length >= 3, { timeoutMs: 30_000, what: `${controller.kind} settled` });
  }
}, 60_000);

afterAll(async () => {
  client?.close();
  await rt?.close();
});

describe('the related lookups against a real runtime', () => {
  it('a ReplicaSet: the pods it controls (not a stray one its selector matches) and its events', async () => {
    const related = await replicaSetDescriber.related(rs, client);
    expect(Array.isArray(related.pods)).toBe(true);
    const pods = related.pods as Pod[];
    expect(pods).toHaveLength(3);
    expect(names(pods)).toEqual(names(await podsControlledBy(rs)));
    expect(names(pods)).not.toContain('stray');
    expect(names(related.events)).toEqual(names(await eventsAbout(rs)));
    expect(related.events.map((e) => e.reason)).toContain('SuccessfulCreate');
  });

  it('a ReplicaSet whose selector cannot be parsed: the failure as data', async () => {
    const bad = { ...rs, spec: { ...(rs.spec as object), selector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] } } };
    const related = await replicaSetDescriber.related(bad, client);
    expect(related.pods).toEqual({ error: expect.stringContaining('Near') });
  });

  it('a ReplicationController: its pods and events', async () => {
    const related = await replicationControllerDescriber.related(rc, client);
    expect(names(related.pods)).toEqual(names(await podsControlledBy(rc)));
    expect(related.pods).toHaveLength(3);
    expect(names(related.events)).toEqual(names(await eventsAbout(rc)));
  });

  it('a Service: the endpoint slices the runtime made for it', async () => {
    const slices = await eventually(async () => {
      const r = await serviceDescriber.related(svc, client);
      return r.slices.some((s) => (s.endpoints ?? []).length === 3) && r.slices;
    }, { what: 'the service endpoints' });
    const all = (await client.listAll<EndpointSlice>({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, { namespace: 'default' })).items;
    expect(names(slices)).toEqual(names(all.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'node-js')));
    const ips = slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort();
    expect(ips).toEqual((await podsControlledBy(rc)).map((p) => p.status?.podIP).sort());
  });

  it('a pod: the events about it (the scheduler assigned it)', async () => {
    const [pod] = await podsControlledBy(rs);
    const related = await podDescriber.related(pod!, client);
    expect(names(related.events)).toEqual(names(await eventsAbout(pod!)));
    expect(related.events.map((e) => e.reason)).toContain('Scheduled');
  });

  it('a node: its non-terminated pods, its lease, its events', async () => {
    const [node] = (await client.listAll({ apiVersion: 'v1', kind: 'Node' })).items;
    const name = node!.metadata.name!;
    const related = await nodeDescriber.related(node!, client);
    const onNode = (await client.listAll<Pod>(PODS, {})).items.filter((p) => p.spec.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    expect(names(related.pods!)).toEqual(names(onNode));
    expect(related.pods!.length).toBeGreaterThanOrEqual(7);
    expect(related.lease).toMatchObject({ kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name } });
    const events = (await client.listAll<Event>(EVENTS, {})).items.filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === name && (e.involvedObject.uid === node!.metadata.uid || e.involvedObject.uid === name));
    expect(names(related.events)).toEqual(names(events));
  });

  it('a node without a lease: the failed lookup as data', async () => {
    const ghost = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost', uid: 'ghost-uid' } };
    const related = await nodeDescriber.related(ghost, client);
    expect(related.pods).toEqual([]);
    expect(related.lease).toEqual({ error: expect.stringContaining('not found') });
  });

  it('a namespace on a server without quotas or limit ranges: neither section', async () => {
    const ns = await client.get({ apiVersion: 'v1', kind: 'Namespace' }, undefined, 'default');
    expect(await namespaceDescriber.related(ns, client)).toEqual({});
  });

  it('describeObject renders what related found', async () => {
    const now = Date.now();
    const text = await describeObject(replicationControllerDescriber, rc, client, now);
    expect(text).toBe(replicationControllerDescriber.render(rc, await replicationControllerDescriber.related(rc, client), now));
    expect(text).toContain('Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed');
  });
});
