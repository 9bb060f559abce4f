/**
 * The stack's ApplySet (KEP-3659): ids as kubectl computes them, member decoration, the parent's
 * annotations, and reading members back with label-selected LISTs from the real local runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../lib/kube/index.ts';
import {
  APPLYSET_PART_OF_LABEL,
  ApplySetError,
  FIELD_MANAGER,
  LAST_APPLIED_ANNOTATION,
  applySetFor,
  applySetId,
  decorate,
  groupKindOf,
  isMember,
  keyOf,
  lastAppliedOf,
  observe,
  parentManifest,
  readInventory,
  refOf,
  stateFor,
  widen,
  withoutLastApplied,
  writeParent,
} from '../../lib/plan/inventory.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

const cm = (name: string, namespace: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

describe('ApplySet identity (pure)', () => {
  it('computes the id exactly as kubectl does', () => {
    // `KUBECTL_APPLYSET=true kubectl apply --prune --applyset=secret/kset -n default` labelled its
    // parent with this id (kubectl 1.32, observed against the local runtime).
    expect(applySetId({ name: 'kset', namespace: 'default', kind: 'Secret', group: '' })).toBe('applyset-GjgIXczw14vNr48YfmbBYd6MxZmk2FHdIUuEQkPpkWk-v1');
    const s = applySetFor('shop');
    expect(s.parent).toEqual({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'kite-stack-shop' });
    expect(s.id).toBe(applySetId({ name: 'kite-stack-shop', namespace: 'default', kind: 'Secret', group: '' }));
    expect(s.id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/); // a valid label value: 63 characters
    expect(s.id).toHaveLength(55);
  });

  it('refuses a stack name that cannot name a Secret', () => {
    expect(() => applySetFor('My_Stack')).toThrow(ApplySetError);
    expect(() => applySetFor('My_Stack')).toThrow(/stack name "My_Stack" cannot name its inventory Secret "kite-stack-My_Stack"/);
  });

  it('spells group-kinds as the annotation wants: Kind.group, core kinds bare', () => {
    expect(groupKindOf({ apiVersion: 'v1', kind: 'Service' })).toBe('Service');
    expect(groupKindOf({ apiVersion: 'apps/v1', kind: 'ReplicaSet' })).toBe('ReplicaSet.apps');
    expect(groupKindOf({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' })).toBe('Lease.coordination.k8s.io');
  });

  it('writes contains-group-kinds and additional-namespaces sorted, the parent namespace left out', () => {
    const state = stateFor([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'prod', name: 'api' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'prod', name: 'api' },
      { apiVersion: 'v1', kind: 'Namespace', name: 'prod' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'x' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'alpha', name: 'c' },
    ]);
    expect(state).toEqual({ groupKinds: ['ConfigMap', 'Namespace', 'ReplicaSet.apps', 'Service'], namespaces: ['alpha', 'prod'] });
    const p = parentManifest(applySetFor('shop'), state, '1.2.3');
    expect(p.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': applySetFor('shop').id });
    expect(p.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'kite/1.2.3',
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Namespace,ReplicaSet.apps,Service',
      'applyset.kubernetes.io/additional-namespaces': 'alpha,prod',
      'kite.dev/stack': 'shop',
    });
    expect(widen(state, { groupKinds: ['Secret', 'Service'], namespaces: ['zeta'] })).toEqual({
      groupKinds: ['ConfigMap', 'Namespace', 'ReplicaSet.apps', 'Secret', 'Service'],
      namespaces: ['alpha', 'prod', 'zeta'],
    });
  });
});

describe('decorate (pure)', () => {
  const set = applySetFor('shop');

  it('adds the part-of label and records the manifest as applied, without the record itself', () => {
    const input: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'prod', labels: { app: 'x' }, annotations: { note: 'hi' } }, data: { a: '1' } };
    const snapshot = structuredClone(input);
    const d = decorate(input, set);
    expect(input).toEqual(snapshot); // not mutated
    expect(d.metadata.labels).toEqual({ app: 'x', [APPLYSET_PART_OF_LABEL]: set.id });
    expect(Object.keys(d.metadata.annotations!)).toEqual(['note', LAST_APPLIED_ANNOTATION]);
    const record = d.metadata.annotations![LAST_APPLIED_ANNOTATION]!;
    expect(record).not.toContain('\n');
    expect(JSON.parse(record)).toEqual(withoutLastApplied(d));
    expect(lastAppliedOf(d)).toEqual(withoutLastApplied(d));
    // Decorating what kite applied gives the same thing again.
    expect(decorate(d, set)).toEqual(d);
    expect(decorate(withoutLastApplied(d), set)).toEqual(d);
  });

  it('leaves the record out when annotations would pass the 256 KiB limit', () => {
    const big = cm('big', 'prod', { blob: 'x'.repeat(270_000) });
    const d = decorate(big, set);
    expect(d.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBe(set.id);
    expect(d.metadata.annotations?.[LAST_APPLIED_ANNOTATION] === undefined).toBe(true);
    const fits = decorate(cm('fits', 'prod', { blob: 'x'.repeat(200_000) }), set);
    expect(fits.metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined).toBe(true);
    expect(lastAppliedOf(d)).toBeUndefined();
  });

  it('reads no record from a missing or edited annotation', () => {
    expect(lastAppliedOf(cm('c', 'p'))).toBeUndefined();
    expect(lastAppliedOf({ ...cm('c', 'p'), metadata: { name: 'c', annotations: { [LAST_APPLIED_ANNOTATION]: '{not json' } } })).toBeUndefined();
  });
});

describe('membership (pure): the part-of label is not enough, kite must have applied the object', () => {
  const set = applySetFor('shop');
  const partOf = { [APPLYSET_PART_OF_LABEL]: set.id };
  const manager = (name: string, operation = 'Update') => ({ manager: name, operation, apiVersion: 'v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {} });
  const owner = (kind: string, name: string) => ({ apiVersion: kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true });
  const obj = (kind: string, name: string, metadata: Partial<KubeObject['metadata']>): KubeObject => ({
    apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'v1',
    kind,
    metadata: { name, namespace: 'prod', ...metadata },
  });

  it('is a member: what kite applied (its field manager), with or without its record', () => {
    const applied = decorate(cm('c', 'prod'), set);
    expect(isMember({ ...applied, metadata: { ...applied.metadata, managedFields: [manager('kite', 'Apply')] } }, set)).toBe(true);
    // Over 256 KiB kite leaves its record out: the field manager says it all.
    expect(isMember(obj('ConfigMap', 'big', { labels: partOf, managedFields: [manager('kite', 'Apply'), manager('kubectl-edit')] }), set)).toBe(true);
    // A server that records no field managers: the record stands in.
    expect(isMember(applied, set)).toBe(true);
    // Another set's label, or none, is never a member.
    expect(isMember({ ...applied, metadata: { ...applied.metadata, labels: {} } }, set)).toBe(false);
    expect(isMember(decorate(cm('c', 'prod'), applySetFor('other')), set)).toBe(false);
  });

  it("is not a member: the endpoints controller's Endpoints, which copy the Service's labels", () => {
    // k/k pkg/controller/endpoint: `newEndpoints.Labels = service.Labels` (kubernetes#6482), written with Update.
    const labels = { ...partOf, app: 'web', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };
    expect(isMember(obj('Endpoints', 'web', { labels, managedFields: [manager('kube-controller-manager')] }), set)).toBe(false);
    // The local runtime's controllers name no field manager: no managedFields, and no record.
    expect(isMember(obj('Endpoints', 'web', { labels, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' } }), set)).toBe(false);
  });

  it('is not a member: EndpointSlices, which copy the labels (and, mirrored, the annotations with kite\'s record)', () => {
    const applied = decorate({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db', namespace: 'prod' }, subsets: [] } as KubeObject, set);
    const mirrored = obj('EndpointSlice', 'db-x7k2p', {
      labels: { ...applied.metadata.labels, 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' },
      annotations: applied.metadata.annotations!,
      ownerReferences: [owner('Endpoints', 'db')],
    });
    expect(isMember(mirrored, set)).toBe(false);
    expect(isMember({ ...mirrored, metadata: { ...mirrored.metadata, managedFields: [manager('endpointslicemirroring-controller')] } }, set)).toBe(false);
    const sliced = obj('EndpointSlice', 'web-abcde', { labels: { ...partOf, 'kubernetes.io/service-name': 'web' }, ownerReferences: [owner('Service', 'web')], managedFields: [manager('kube-controller-manager')] });
    expect(isMember(sliced, set)).toBe(false);
  });

  it('is not a member: pods made from a template that carries the label', () => {
    const pod = obj('Pod', 'api-x2bq9', { labels: { ...partOf, app: 'api' }, ownerReferences: [owner('ReplicaSet', 'api')], managedFields: [manager('kube-controller-manager'), manager('kubelet')] });
    expect(isMember(pod, set)).toBe(false);
    expect(isMember({ ...pod, metadata: { ...pod.metadata, managedFields: [] } }, set)).toBe(false);
  });

  it("is not a member: a Deployment's ReplicaSets (template labels plus pod-template-hash)", () => {
    const rs = obj('ReplicaSet', 'api-6d4cf56db6', { labels: { ...partOf, app: 'api', 'pod-template-hash': '6d4cf56db6' }, ownerReferences: [owner('Deployment', 'api')], managedFields: [manager('kube-controller-manager')] });
    expect(isMember(rs, set)).toBe(false);
  });

  it('is not a member: a copy someone applied with kubectl (label and record copied, kubectl the manager)', () => {
    const copied = decorate(cm('copy', 'prod'), set);
    expect(isMember({ ...copied, metadata: { ...copied.metadata, managedFields: [manager('kubectl-client-side-apply')] } }, set)).toBe(false);
  });
});

describe('against the local runtime', () => {
  let rt: TestRuntime;
  let client: KubeClient;

  beforeAll(async () => {
    rt = await startTestRuntime({ nodes: 1 });
    const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
    if (target instanceof KubeconfigError) throw target;
    client = new KubeClient(target);
    for (const ns of ['inv-a', 'inv-b']) await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(async () => {
    client?.close();
    await rt?.close();
  });

  const apply = (obj: KubeObject) => client.patch<KubeObject>(obj, obj.metadata.namespace, obj.metadata.name!, 'apply', obj, { fieldManager: FIELD_MANAGER, force: true });

  it('an ApplySet without a parent has no members', async () => {
    const inv = await readInventory(client, applySetFor('never-applied'));
    expect(inv).toMatchObject({ parent: undefined, members: [], state: { groupKinds: [], namespaces: [] }, unavailable: [] });
  });

  it('lists exactly the labelled members of the recorded kinds in the recorded namespaces', async () => {
    const set = applySetFor('inv');
    const other = applySetFor('inv-other');
    const members = [
      cm('one', 'inv-a'),
      cm('two', 'inv-b'),
      cm('three', 'default'),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inv-a' } } as KubeObject,
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'inv-a' }, spec: { replicas: 0, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } } } as KubeObject,
    ].map((o) => decorate(o, set));
    for (const m of members) await apply(m);
    // Not members: unlabelled, or another set's, or a kind/namespace the parent does not record.
    await apply(cm('stranger', 'inv-a'));
    await apply(decorate(cm('theirs', 'inv-a'), other));
    await apply(decorate({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unrecorded', namespace: 'inv-a' } } as KubeObject, set));
    await apply(decorate(cm('elsewhere', 'kube-system'), set));
    const w = await writeParent(client, set, stateFor(members.map(refOf)), { toolVersion: '0.0.1' });
    expect(w.written).toBe(true);
    expect(w.parent.metadata.annotations).toMatchObject({
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Namespace,ReplicaSet.apps',
      'applyset.kubernetes.io/additional-namespaces': 'inv-a,inv-b',
    });

    const inv = await readInventory(client, set);
    expect(inv.parent?.metadata.uid).toBe(w.parent.metadata.uid);
    expect(inv.members.map((m) => keyOf(refOf(m))).sort()).toEqual(members.map((m) => keyOf(refOf(m))).sort());
    for (const m of inv.members) {
      expect(m.apiVersion).toBeTruthy();
      expect(m.kind).toBeTruthy();
      expect(lastAppliedOf(m)).toEqual(withoutLastApplied(members.find((x) => keyOf(refOf(x)) === keyOf(refOf(m)))!));
    }

    // Writing the same state again writes nothing.
    const again = await writeParent(client, set, stateFor(members.map(refOf)), { toolVersion: '0.0.2', current: inv.parent });
    expect(again.written).toBe(false);
    expect(again.parent.metadata.resourceVersion).toBe(w.parent.metadata.resourceVersion);
  });

  it('refuses a parent another tool manages, or one with the wrong id', async () => {
    const set = applySetFor('foreign');
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: set.parent.name, namespace: 'default', labels: { 'applyset.kubernetes.io/id': set.id }, annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1.32.4', 'applyset.kubernetes.io/contains-group-kinds': '' } },
    });
    await expect(readInventory(client, set)).rejects.toThrow(
      'default/Secret/kite-stack-foreign is managed by "kubectl" (applyset.kubernetes.io/tooling: kubectl/v1.32.4), not kite: kite will not change another tool\'s ApplySet',
    );
    const plain = applySetFor('plain');
    await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: plain.parent.name, namespace: 'default' } });
    await expect(readInventory(client, plain)).rejects.toThrow(/is not an ApplySet parent \(no applyset\.kubernetes\.io\/id label\)/);
  });

  it('observe: members from the inventory, others by GET or (many of a kind) one LIST; absent ones left out', async () => {
    const set = applySetFor('obs');
    const inv = await readInventory(client, set);
    const many = Array.from({ length: 20 }, (_, i) => cm(`many-${i}`, 'inv-b'));
    for (const o of many.slice(0, 10)) await apply(o);
    await apply(cm('single', 'inv-a'));
    const refs = [...many, cm('single', 'inv-a'), cm('missing', 'inv-a')].map(refOf);
    const live = await observe(client, inv, refs);
    expect([...live.keys()].sort()).toEqual([...many.slice(0, 10), cm('single', 'inv-a')].map((o) => keyOf(refOf(o))).sort());
    expect(live.get(keyOf(refOf(cm('single', 'inv-a')))))?.toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
  });
  it('reads no controller-made copy of the label as a member: Endpoints, EndpointSlices, pods', async () => {
    const set = applySetFor('copies');
    const labels = { app: 'copies' };
    const svc = decorate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'inv-a', labels }, spec: { selector: labels, ports: [{ port: 80 }] } } as KubeObject, set);
    // A template that carries the part-of label, as a manifest copied from a live object might.
    const rs = decorate(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'inv-a' }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels: { ...labels, [APPLYSET_PART_OF_LABEL]: set.id } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } } } } as KubeObject,
      set,
    );
    const members = [svc, rs];
    for (const m of members) await apply(m);
    await writeParent(client, set, widen(stateFor(members.map(refOf)), { groupKinds: ['Endpoints', 'EndpointSlice.discovery.k8s.io', 'Pod'], namespaces: [] }), { toolVersion: '0.0.1' });
    const labelled = `${APPLYSET_PART_OF_LABEL}=${set.id}`;
    // The controllers copied the label: onto the Endpoints, their slices and the pods.
    await eventually(async () => (await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Endpoints' }, { namespace: 'inv-a', labelSelector: labelled })).items.length === 1, { what: 'labelled Endpoints' });
    await eventually(async () => (await client.list<KubeObject>({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, { namespace: 'inv-a', labelSelector: labelled })).items.length >= 1, { what: 'labelled EndpointSlices' });
    await eventually(async () => (await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Pod' }, { namespace: 'inv-a', labelSelector: labelled })).items.length === 2, { what: 'labelled pods' });

    const inv = await readInventory(client, set);
    expect(inv.members.map((m) => keyOf(refOf(m))).sort()).toEqual(members.map((m) => keyOf(refOf(m))).sort());
  });
});
