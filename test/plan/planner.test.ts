/**
 * The planner against the real local runtime: first plans, adoption of objects kite did not
 * create, refusing another stack's objects, pruning in reverse order, destroy, and planning a
 * 5,000-object stack within the time budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../lib/kube/index.ts';
import { applyPlan } from '../../lib/plan/apply.ts';
import { APPLYSET_PART_OF_LABEL, ApplySetError, FIELD_MANAGER, applySetFor, decorate, refOf, stateFor, writeParent } from '../../lib/plan/inventory.ts';
import { mapLimit, orderActions } from '../../lib/plan/order.ts';
import { PlanSchema, refId, type PlannedAction } from '../../lib/plan/plan.ts';
import { REASON_ADOPT, REASON_DRIFT, REASON_PARENT, REASON_PRUNE, planDestroy, planStack, summarize } from '../../lib/plan/planner.ts';
import { loadInput } from '../../lib/synth/load-input.ts';
import type { StackManifests } from '../../lib/synth/manifest.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9', now: new Date('2026-11-25T21:00:00Z') };

function stack(name: string, objects: KubeObject[]): StackManifests {
  return { name, manifests: objects.map((object) => ({ object, origin: {} })) };
}
const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, namespace: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const svc = (name: string, namespace: string, port = 80): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: [{ port }] },
});
const rs = (name: string, namespace: string, replicas = 0): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'example/app:1' }] } } },
});
const line = (a: PlannedAction) => `${a.action} ${refId(a.ref)}`;

describe('order and summary (pure)', () => {
  const r = (kind: string, name: string, apiVersion = 'v1') => ({ apiVersion, kind, name, namespace: kind === 'Namespace' ? undefined : 'p' });
  it('writes by rank in program order, then deletes in reverse rank', () => {
    const actions = [
      { ref: r('ConfigMap', 'cfg'), action: 'create' as const },
      { ref: r('ReplicaSet', 'old', 'apps/v1'), action: 'delete' as const },
      { ref: r('ReplicaSet', 'api', 'apps/v1'), action: 'update' as const },
      { ref: r('Service', 'api'), action: 'no-op' as const },
      { ref: r('Namespace', 'gone'), action: 'delete' as const },
      { ref: r('Endpoints', 'db'), action: 'create' as const },
      { ref: r('Pod', 'one'), action: 'replace' as const },
      { ref: r('Service', 'old'), action: 'delete' as const },
      { ref: r('Namespace', 'p'), action: 'create' as const },
      { ref: r('ConfigMap', 'old'), action: 'delete' as const },
    ];
    expect(orderActions(actions).map((a) => `${a.action} ${a.ref.kind}/${a.ref.name}`)).toEqual([
      'create Namespace/p',
      'no-op Service/api',
      'create Endpoints/db',
      'update ReplicaSet/api',
      'replace Pod/one',
      'create ConfigMap/cfg',
      'delete ConfigMap/old',
      'delete ReplicaSet/old',
      'delete Service/old',
      'delete Namespace/gone',
    ]);
  });

  it('counts drift-only updates as drifted, adoption and real edits as changes', () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'p' };
    const drift = { path: 'data.k', op: 'change' as const, before: 'b', after: 'a', drift: { lastApplied: 'a' } };
    const edit = { path: 'data.j', op: 'change' as const, before: 'b', after: 'c' };
    expect(
      summarize([
        { ref, action: 'create', changes: [] },
        { ref, action: 'update', changes: [drift] },
        { ref, action: 'update', changes: [drift, edit] },
        { ref, action: 'update', changes: [], reason: REASON_ADOPT },
        { ref, action: 'replace', changes: [edit] },
        { ref, action: 'delete', changes: [] },
        { ref, action: 'no-op', changes: [] },
      ]),
    ).toEqual({ add: 1, change: 2, replace: 1, destroy: 1, unchanged: 1, drifted: 1 });
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
  });
  afterAll(async () => {
    client?.close();
    await rt?.close();
  });

  it('first plan of the shop example: every object a create, in apply order, decorated', async () => {
    const loaded = await loadInput('examples/shop/stack.ts');
    expect(loaded.diagnostics).toEqual([]);
    const plan = await planStack(loaded.stacks[0]!, client, OPTS);
    expect(PlanSchema.parse(plan)).toEqual(plan);
    expect(plan).toMatchObject({
      formatVersion: 1,
      tool: { name: 'kite', version: '9.9.9' },
      stack: 'shop',
      target: { context: 'kite-test', server: 'https://127.0.0.1:1' },
      createdAt: '2026-11-25T21:00:00.000Z',
      applySet: { id: applySetFor('shop').id, parent: { apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'kite-stack-shop' } },
      summary: { add: 4, change: 0, replace: 0, destroy: 0, unchanged: 0, drifted: 0 },
    });
    expect(plan.actions.map(line)).toEqual(['create Namespace/prod', 'create prod/Service/api', 'create prod/Service/my-database', 'create prod/ReplicaSet/api']);
    for (const a of plan.actions) {
      expect(a.changes).toEqual([]);
      expect(a.liveResourceVersion).toBeUndefined();
      const d = a.desired as unknown as KubeObject;
      expect(d.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBe(plan.applySet.id);
      expect(JSON.parse(d.metadata.annotations!['kite.dev/last-applied']!).metadata.labels[APPLYSET_PART_OF_LABEL]).toBe(plan.applySet.id);
    }
  });

  it('puts namespaced objects without a namespace in the context namespace, as kubectl does', async () => {
    const loaded = await loadInput('test/fixtures/seed/node-js-rs.yaml');
    const plan = await planStack(loaded.stacks[0]!, client, OPTS);
    expect(plan.actions.map(line)).toEqual(['create default/ReplicaSet/node-js-rs']);
    expect((plan.actions[0]!.desired as unknown as KubeObject).metadata.namespace).toBe('default');
  });

  it('drops server-set metadata from a manifest copied out of a cluster, and any namespace of a cluster-scoped object', async () => {
    const copied = { ...cm('copied', 'default'), metadata: { name: 'copied', namespace: 'default', uid: 'abc', resourceVersion: '42', creationTimestamp: '2020-01-01T00:00:00Z', generation: 3 } };
    const nsWithNamespace = { ...ns('odd'), metadata: { name: 'odd', namespace: 'default' } };
    const plan = await planStack(stack('copied', [nsWithNamespace, copied]), client, OPTS);
    expect(plan.actions.map(line)).toEqual(['create Namespace/odd', 'create default/ConfigMap/copied']);
    const meta = (plan.actions[1]!.desired as unknown as KubeObject).metadata;
    expect(Object.keys(meta).sort()).toEqual(['annotations', 'labels', 'name', 'namespace']);
  });

  it('adopts an object it did not create that is as wanted, updates one that is not (saying it takes it over), and plans no-ops once applied', async () => {
    for (const [name, v] of [['handmade', 'v'], ['edited', 'old']] as const) {
      const r = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cm(name, 'default', { k: v })) });
      expect(r.code, r.stderr).toBe(0);
    }
    const s = stack('adopt', [cm('handmade', 'default', { k: 'v' }), cm('edited', 'default', { k: 'v' }), cm('fresh', 'default')]);
    const plan = await planStack(s, client, OPTS);
    const live = await client.get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default', 'handmade');
    expect(plan.actions.map((a) => [line(a), a.reason, a.changes.map((c) => c.path)])).toEqual([
      ['adopt default/ConfigMap/handmade', 'exists, not created by kite: joins stack adopt; no changes', []],
      ['update default/ConfigMap/edited', REASON_ADOPT, ['data.k']],
      ['create default/ConfigMap/fresh', undefined, []],
    ]);
    expect(plan.actions[0]!.liveResourceVersion).toBe(live.metadata.resourceVersion);
    expect(plan.summary).toMatchObject({ add: 1, change: 1, drifted: 0, adopt: 1 });
    const result = await applyPlan(plan, client);
    expect(result.failed).toBeUndefined();
    expect((await client.get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default', 'handmade')).metadata.uid).toBe(live.metadata.uid);
    const again = await planStack(s, client, OPTS);
    expect(again.actions.map(line)).toEqual(['no-op default/ConfigMap/handmade', 'no-op default/ConfigMap/edited', 'no-op default/ConfigMap/fresh']);
    expect(again.summary).toEqual({ add: 0, change: 0, replace: 0, destroy: 0, unchanged: 3, drifted: 0 });
  });

  it("refuses to plan another stack's objects, naming that stack", async () => {
    const theirs = stack('other', [cm('shared', 'default')]);
    expect((await applyPlan(await planStack(theirs, client, OPTS), client)).failed).toBeUndefined();
    const mine = stack('mine', [cm('shared', 'default'), cm('own', 'default')]);
    const err = await planStack(mine, client, OPTS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplySetError);
    expect((err as Error).message).toBe(
      'stack mine declares objects another ApplySet manages: default/ConfigMap/shared belongs to kite stack other (default/Secret/kite-stack-other). Remove them from one of the two, or move them into stack mine with --adopt-from (or Stack({ adoptFrom }))',
    );
  });

  it('refuses one object declared twice', async () => {
    await expect(planStack(stack('twice', [cm('a', 'default'), cm('a', 'default', { x: 'y' })]), client, OPTS)).rejects.toThrow('default/ConfigMap/a is declared twice in stack twice');
  });

  it('deletes members no longer in the program, in reverse order; never objects it did not create', async () => {
    const objects = [ns('prune'), svc('web', 'prune'), rs('web', 'prune'), cm('cfg', 'prune')];
    const first = await planStack(stack('prune', objects), client, OPTS);
    expect((await applyPlan(first, client)).failed).toBeUndefined();
    const r = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cm('kubectl-made', 'prune')) });
    expect(r.code, r.stderr).toBe(0);

    // The namespace holds an object kite did not create: deleting the namespace would delete it, so it is kept.
    const emptied = await planStack(stack('prune', []), client, OPTS);
    expect(emptied.actions.map((a) => [line(a), a.reason])).toEqual([
      ['no-op Namespace/prune', 'it holds 1 object kite did not create: prune/ConfigMap/kubectl-made; deleting it would delete them'],
      ['delete prune/ConfigMap/cfg', REASON_PRUNE],
      ['delete prune/ReplicaSet/web', REASON_PRUNE],
      ['delete prune/Service/web', REASON_PRUNE],
    ]);
    for (const a of emptied.actions) expect(a.liveResourceVersion).toMatch(/^\d+$/);
    expect(emptied.actions[0]!.kept).toBe(true);
    expect(emptied.summary).toMatchObject({ destroy: 3, add: 0, unchanged: 1, kept: 1 });

    const some = await planStack(stack('prune', [ns('prune'), svc('web', 'prune')]), client, OPTS);
    expect(some.actions.map(line)).toEqual(['no-op Namespace/prune', 'no-op prune/Service/web', 'delete prune/ConfigMap/cfg', 'delete prune/ReplicaSet/web']);
  });

  it('plans destroy: every member in reverse order, then the ApplySet parent', async () => {
    const keeping = await planDestroy('prune', client, OPTS);
    expect(keeping.actions.map((a) => [line(a), a.reason])).toEqual([
      ['no-op Namespace/prune', 'it holds 1 object kite did not create: prune/ConfigMap/kubectl-made; deleting it would delete them'],
      ['delete prune/ConfigMap/cfg', 'kite destroy'],
      ['delete prune/ReplicaSet/web', 'kite destroy'],
      ['delete prune/Service/web', 'kite destroy'],
      // no parent deletion: the stack still has its namespace, and says so
      ['no-op default/Secret/kite-stack-prune', "the stack's inventory (ApplySet parent), kept with Namespace/prune"],
    ]);
    expect(keeping.actions.filter((a) => a.kept).map(line)).toEqual(['no-op Namespace/prune', 'no-op default/Secret/kite-stack-prune']);
    const r = await rt.kubectl(['delete', 'configmap', 'kubectl-made', '-n', 'prune']);
    expect(r.code, r.stderr).toBe(0);
    const plan = await planDestroy('prune', client, OPTS);
    expect(plan.actions.map((a) => [line(a), a.reason])).toEqual([
      ['delete prune/ConfigMap/cfg', 'kite destroy'],
      ['delete prune/ReplicaSet/web', 'kite destroy'],
      ['delete prune/Service/web', 'kite destroy'],
      ['delete Namespace/prune', 'kite destroy'],
      ['delete default/Secret/kite-stack-prune', REASON_PARENT],
    ]);
    expect(plan.summary.destroy).toBe(5);
    expect((await planDestroy('never-applied', client, OPTS)).actions).toEqual([]);
  });

  it('says so when the only changes restore what was changed outside kite', async () => {
    const s = stack('drift', [cm('d', 'default', { k: 'v', other: 'x' })]);
    expect((await applyPlan(await planStack(s, client, OPTS), client)).failed).toBeUndefined();
    const r = await rt.kubectl(['patch', 'configmap', 'd', '--type=merge', '-p', '{"data":{"k":"changed"}}']);
    expect(r.code, r.stderr).toBe(0);
    const plan = await planStack(s, client, OPTS);
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ action: 'update', reason: REASON_DRIFT, changes: [{ path: 'data.k', op: 'change', before: 'changed', after: 'v', drift: { lastApplied: 'v' } }] });
    expect(plan.summary).toMatchObject({ change: 0, drifted: 1 });
  });

  it('plans a 5,000-object stack by listing, not by reading each object (timed by test/bench/plan.ts)', { timeout: 180_000 }, async () => {
    const name = 'big';
    const set = applySetFor(name);
    const objects: KubeObject[] = [ns('big-a'), ns('big-b')];
    for (let i = 0; i < 1000; i++) objects.push(svc(`s${i}`, i % 2 ? 'big-a' : 'big-b'));
    for (let i = 0; i < 1000; i++) objects.push(rs(`r${i}`, i % 2 ? 'big-a' : 'big-b'));
    for (let i = 0; objects.length < 5000; i++) objects.push(cm(`c${i}`, i % 2 ? 'big-a' : 'big-b', { index: String(i), text: 'lorem ipsum '.repeat(10) }));
    // Put the stack in place as kite's apply would (server-side apply of the decorated manifests), in parallel.
    const decorated = objects.map((o) => decorate(o, set));
    await writeParent(client, set, stateFor(decorated.map(refOf)), { toolVersion: '9.9.9' });
    for (const n of decorated.slice(0, 2)) await client.patch(n, undefined, n.metadata.name!, 'apply', n, { fieldManager: FIELD_MANAGER, force: true });
    await mapLimit(decorated.slice(2), 32, (o) => client.patch(o, o.metadata.namespace, o.metadata.name!, 'apply', o, { fieldManager: FIELD_MANAGER, force: true }));

    // Every request the planner makes, counted on the real client: reads per object would be thousands.
    const reads: string[] = [];
    const request = client.request.bind(client);
    client.request = (method, path, opts) => {
      if (method === 'GET') reads.push(path);
      return request(method, path, opts);
    };
    const plan = await planStack(stack(name, objects), client, OPTS).finally(() => {
      client.request = request;
    });
    expect(plan.actions).toHaveLength(5000);
    expect(plan.summary).toEqual({ add: 0, change: 0, replace: 0, destroy: 0, unchanged: 5000, drifted: 0 });
    expect(reads.length).toBeLessThan(20);

    // A first plan of as many objects (none exists) reads by LIST too.
    const fresh = objects.filter((o) => o.kind !== 'Namespace').map((o) => ({ ...o, metadata: { ...o.metadata, name: `new-${o.metadata.name}` } }));
    reads.length = 0;
    client.request = (method, path, opts) => {
      if (method === 'GET') reads.push(path);
      return request(method, path, opts);
    };
    const firstPlan = await planStack(stack('big-new', fresh), client, OPTS).finally(() => {
      client.request = request;
    });
    expect(firstPlan.summary.add).toBe(4998);
    expect(reads.length).toBeLessThan(20);
  });
});
