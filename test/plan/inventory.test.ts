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
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

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
});
