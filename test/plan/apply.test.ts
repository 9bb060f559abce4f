/**
 * plan → apply → plan again, against the real local runtime (simulated nodes), one stack through
 * its life: creation, a no-op re-plan that writes nothing, an edit, pruning next to an object
 * kubectl made, drift, a replacement, stale saved plans, the lock, interop with
 * `kubectl apply --prune --applyset`, a failed run, and destroy.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { KubeClient, KubeconfigError, isNotFound, loadKubeconfig } from '../../lib/kube/index.ts';
import { ReplaceNotAllowedError, StalePlanError, applyPlan, type ApplyEvent, type ApplyResult } from '../../lib/plan/apply.ts';
import { applySetFor, lastAppliedOf } from '../../lib/plan/inventory.ts';
import { LockedError, acquireLock, forceUnlock } from '../../lib/plan/lock.ts';
import { InterruptedError } from '../../lib/plan/stop.ts';
import { PlanSchema, hasChanges, refId, type ObjectRef, type Plan } from '../../lib/plan/plan.ts';
import { REASON_DRIFT, REASON_PRUNE, planDestroy, planStack } from '../../lib/plan/planner.ts';
import type { StackManifests } from '../../lib/synth/manifest.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

let rt: TestRuntime;
let client: KubeClient;

beforeAll(async () => {
  rt = await startTestRuntime();
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new KubeClient(target);
});
afterAll(async () => {
  client?.close();
  await rt?.close();
});

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9' };

function stack(name: string, objects: KubeObject[]): StackManifests {
  return { name, manifests: objects.map((object) => ({ object, origin: {} })) };
}
const cm = (name: string, namespace: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

interface WebOptions {
  replicas?: number;
  port?: number;
  settings?: boolean;
  tier?: boolean;
}
/** The stack under test: namespace `web`, two Services, a ReplicaSet, a ConfigMap. */
function web(o: WebOptions = {}): KubeObject[] {
  const labels: Record<string, string> = o.tier ? { app: 'api', tier: 'web' } : { app: 'api' };
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'web' }, spec: { selector: { app: 'api' }, ports: [{ port: o.port ?? 80, targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'web' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'api', namespace: 'web' },
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'example/api:1', ports: [{ containerPort: 8080 }] }] } },
      },
    },
  ];
  if (o.settings ?? true) objects.push(cm('settings', 'web', { mode: 'fast' }));
  return objects;
}
const planWeb = (o: WebOptions = {}) => planStack(stack('web', web(o)), client, OPTS);

const line = (a: { action: string; ref: ObjectRef }) => `${a.action} ${refId(a.ref)}`;
const changed = (p: Plan) => p.actions.filter((a) => a.action !== 'no-op');

const REFS = {
  ns: { apiVersion: 'v1', kind: 'Namespace', name: 'web' },
  api: { apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'api' },
  db: { apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'db' },
  rs: { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'web', name: 'api' },
  settings: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'settings' },
  parent: applySetFor('web').parent,
} satisfies Record<string, ObjectRef>;

async function get(ref: ObjectRef): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(ref, ref.namespace, ref.name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
async function rv(ref: ObjectRef): Promise<string | undefined> {
  return (await get(ref))?.metadata.resourceVersion;
}
/** The ReplicaSet has settled: the controller saw its spec and every replica is ready. */
async function settled(replicas: number): Promise<KubeObject> {
  return eventually(
    async () => {
      const o = await get(REFS.rs);
      const status = (o?.status ?? {}) as Record<string, unknown>;
      const spec = (o?.spec ?? {}) as Record<string, unknown>;
      return (
        o &&
        spec.replicas === replicas &&
        status.observedGeneration === o.metadata.generation &&
        status.replicas === replicas &&
        (status.readyReplicas ?? 0) === replicas &&
        (status.availableReplicas ?? 0) === replicas &&
        o
      );
    },
    { timeoutMs: 20_000, what: `ReplicaSet web/api with ${replicas} ready replicas` },
  );
}
function events(): { list: ApplyEvent[]; onEvent: (e: ApplyEvent) => void; lines: () => string[] } {
  const list: ApplyEvent[] = [];
  return {
    list,
    onEvent: (e) => list.push(e),
    lines: () => list.map((e) => (e.type === 'inventory' ? `inventory ${e.phase}${e.written ? '' : ' (current)'}` : e.type === 'check' ? 'check' : `${e.type} ${refId(e.ref)}`)),
  };
}
function ok(r: ApplyResult): ApplyResult {
  if (r.failed) throw r.failed.error;
  return r;
}
const saved = (p: Plan): Plan => PlanSchema.parse(JSON.parse(JSON.stringify(p)));

describe('a stack through its life', () => {
  it('first plan: every object a create; apply writes the parent first, then each in order', async () => {
    const plan = await planWeb();
    expect(plan.actions.map(line)).toEqual(['create Namespace/web', 'create web/Service/api', 'create web/Service/db', 'create web/ReplicaSet/api', 'create web/ConfigMap/settings']);
    expect(plan.summary).toEqual({ add: 5, change: 0, replace: 0, destroy: 0, unchanged: 0, drifted: 0 });
    const ev = events();
    // One write at a time, so the events read in a fixed order (apply-concurrency.test.ts: a rank's writes in parallel).
    const result = ok(await applyPlan(plan, client, { onEvent: ev.onEvent, concurrency: 1 }));
    expect(result.applied.map(line)).toEqual(plan.actions.map(line));
    expect(result.skipped).toEqual([]);
    expect(result.applied.every((a) => /^\d+$/.test(a.resourceVersion ?? ''))).toBe(true);
    expect(ev.lines()).toEqual([
      'check',
      'inventory widen',
      ...plan.actions.flatMap((a) => [`start ${refId(a.ref)}`, `done ${refId(a.ref)}`]),
      'inventory narrow (current)',
    ]);

    const parent = (await get(REFS.parent))!;
    expect(parent.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': plan.applySet.id });
    expect(parent.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'kite/9.9.9',
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Namespace,ReplicaSet.apps,Service',
      'applyset.kubernetes.io/additional-namespaces': 'web',
      'kite.dev/stack': 'web',
    });
    const rs = (await get(REFS.rs))!;
    expect(rs.metadata.labels?.['applyset.kubernetes.io/part-of']).toBe(plan.applySet.id);
    expect(lastAppliedOf(rs)).toMatchObject({ kind: 'ReplicaSet', spec: { replicas: 2 } });
    // Created by server-side apply: kite's field manager owns the fields as an applier.
    expect((rs.metadata.managedFields ?? []).map((f) => `${f.manager}/${f.operation}`)).toContain('kite/Apply');
  });

  it('plans zero changes right after, and applying that plan writes nothing (not even the parent)', async () => {
    await settled(2);
    const plan = await planWeb();
    expect(hasChanges(plan)).toBe(false);
    expect(plan.summary).toEqual({ add: 0, change: 0, replace: 0, destroy: 0, unchanged: 5, drifted: 0 });
    for (const a of plan.actions) expect(a.liveResourceVersion).toMatch(/^\d+$/);
    const before = await Promise.all(Object.values(REFS).map(rv));
    const ev = events();
    const result = ok(await applyPlan(plan, client, { onEvent: ev.onEvent }));
    expect(result.applied).toEqual([]);
    expect(result.unchanged.map(refId)).toEqual(plan.actions.map((a) => refId(a.ref)));
    expect(ev.lines()).toEqual(['check', 'inventory widen (current)', 'inventory narrow (current)']);
    expect(await Promise.all(Object.values(REFS).map(rv))).toEqual(before);
  });

  it('an edit (replicas) is one update', async () => {
    const plan = await planWeb({ replicas: 3 });
    expect(changed(plan).map(line)).toEqual(['update web/ReplicaSet/api']);
    expect(changed(plan)[0]!.changes).toEqual([{ path: 'spec.replicas', op: 'change', before: 2, after: 3 }]);
    expect(plan.summary).toEqual({ add: 0, change: 1, replace: 0, destroy: 0, unchanged: 4, drifted: 0 });
    const result = ok(await applyPlan(plan, client));
    expect(result.applied.map(line)).toEqual(['update web/ReplicaSet/api']);
    expect(((await get(REFS.rs))!.spec as { replicas: number }).replicas).toBe(3);
    await settled(3);
  });

  it('an object removed from the program is deleted; an object kubectl made beside it is never touched', async () => {
    const r = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cm('kubectl-made', 'web', { owner: 'someone else' })) });
    expect(r.code, r.stderr).toBe(0);
    const bystander = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'kubectl-made' };
    const bystanderRv = await rv(bystander);

    const plan = await planWeb({ replicas: 3, settings: false });
    expect(changed(plan).map((a) => [line(a), a.reason])).toEqual([['delete web/ConfigMap/settings', REASON_PRUNE]]);
    expect(plan.actions.map((a) => refId(a.ref))).not.toContain('web/ConfigMap/kubectl-made');
    const ev = events();
    const result = ok(await applyPlan(plan, client, { onEvent: ev.onEvent }));
    expect(result.applied.map(line)).toEqual(['delete web/ConfigMap/settings']);
    expect(ev.lines()).toEqual(['check', 'inventory widen (current)', 'start web/ConfigMap/settings', 'done web/ConfigMap/settings', 'inventory narrow']);
    expect(await get(REFS.settings)).toBeUndefined();
    expect(await rv(bystander)).toBe(bystanderRv);
    // Narrowed after pruning: no ConfigMap member is left.
    expect((await get(REFS.parent))!.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe('Namespace,ReplicaSet.apps,Service');
    expect((await planWeb({ replicas: 3, settings: false })).summary).toMatchObject({ unchanged: 4, destroy: 0 });
  });

  it('`kubectl scale` out of band is drift: the plan restores the program value, and says so', async () => {
    const r = await rt.kubectl(['scale', 'rs', 'api', '-n', 'web', '--replicas=5']);
    expect(r.code, r.stderr).toBe(0);
    const plan = await planWeb({ replicas: 3, settings: false });
    expect(changed(plan)).toEqual([
      expect.objectContaining({
        action: 'update',
        reason: REASON_DRIFT,
        ref: REFS.rs,
        changes: [{ path: 'spec.replicas', op: 'change', before: 5, after: 3, drift: { lastApplied: 3 } }],
      }),
    ]);
    expect(plan.summary).toMatchObject({ change: 0, drifted: 1 });
    ok(await applyPlan(plan, client));
    expect(((await get(REFS.rs))!.spec as { replicas: number }).replicas).toBe(3);
    await settled(3);
    expect(hasChanges(await planWeb({ replicas: 3, settings: false }))).toBe(false);
  });

  it('an immutable change is a replace: refused without allowReplace (nothing written), done with it', async () => {
    const before = (await get(REFS.rs))!;
    const plan = await planWeb({ replicas: 3, settings: false, tier: true });
    expect(changed(plan).map((a) => [line(a), a.reason])).toEqual([['replace web/ReplicaSet/api', 'spec.selector is immutable']]);
    expect(changed(plan)[0]!.changes.some((c) => c.forcesReplacement)).toBe(true);
    expect(plan.summary).toMatchObject({ replace: 1, change: 0 });

    const refused = await applyPlan(plan, client).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReplaceNotAllowedError);
    expect((refused as Error).message).toBe(
      'the plan replaces web/ReplicaSet/api (spec.selector is immutable): deleting and recreating it loses its live state; apply with --allow-replace to do it',
    );
    const still = (await get(REFS.rs))!;
    expect([still.metadata.uid, still.metadata.generation]).toEqual([before.metadata.uid, before.metadata.generation]);

    const ev = events();
    const result = ok(await applyPlan(plan, client, { allowReplace: true, onEvent: ev.onEvent }));
    expect(result.applied.map(line)).toEqual(['replace web/ReplicaSet/api']);
    expect(ev.lines()).toContain('waiting web/ReplicaSet/api');
    const after = (await get(REFS.rs))!;
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect((after.spec as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'api', tier: 'web' } });
    await settled(3);
    expect(hasChanges(await planWeb({ replicas: 3, settings: false, tier: true }))).toBe(false);
  });

  it('a saved plan whose object changed since is refused as stale, before anything is written', async () => {
    const current = { replicas: 3, settings: false, tier: true };
    const plan = saved(await planWeb({ ...current, port: 8080, replicas: 4 }));
    expect(changed(plan).map(line)).toEqual(['update web/Service/api', 'update web/ReplicaSet/api']);
    const planned = plan.actions.find((a) => a.ref.kind === 'ReplicaSet')!.liveResourceVersion!;
    const [serviceRv, parentRv] = [await rv(REFS.api), await rv(REFS.parent)];

    const r = await rt.kubectl(['scale', 'rs', 'api', '-n', 'web', '--replicas=6']);
    expect(r.code, r.stderr).toBe(0);
    const err = await applyPlan(plan, client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StalePlanError);
    const stale = (err as StalePlanError).objects;
    expect(stale).toEqual([{ ref: REFS.rs, what: 'changed', plannedResourceVersion: planned, liveResourceVersion: expect.stringMatching(/^\d+$/) }]);
    expect((err as Error).message).toBe(
      `stale plan: web/ReplicaSet/api changed since the plan was made (resourceVersion ${planned}, now ${stale[0]!.liveResourceVersion}); run kite plan again`,
    );
    // Nothing written: the Service, ordered before the ReplicaSet, still has its old port.
    expect(await rv(REFS.api)).toBe(serviceRv);
    expect(await rv(REFS.parent)).toBe(parentRv);
    expect(((await get(REFS.api))!.spec as { ports: Array<{ port: number }> }).ports[0]!.port).toBe(80);

    // Back to the program's state.
    ok(await applyPlan(await planWeb(current), client));
    await settled(3);
  });

  it('a saved plan still holds when an object changed only in status (its resourceVersion moved)', async () => {
    const plan = saved(await planWeb({ replicas: 2, settings: false, tier: true }));
    const serviceAction = plan.actions.find((a) => refId(a.ref) === 'web/Service/api')!;
    expect(serviceAction.action).toBe('no-op');
    const r = await rt.kubectl(['patch', 'svc', 'api', '-n', 'web', '--subresource=status', '--type=merge', '-p', '{"status":{"conditions":[{"type":"example.com/Checked","status":"True","reason":"Checked","message":"","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}']);
    expect(r.code, r.stderr).toBe(0);
    expect(await rv(REFS.api)).not.toBe(serviceAction.liveResourceVersion);
    const result = ok(await applyPlan(plan, client));
    expect(result.applied.map(line)).toEqual(['update web/ReplicaSet/api']);
    await settled(2);
  });

  it('a saved plan is stale when anything but status changed: an annotation someone added, even on an object the plan leaves alone', async () => {
    const current = { replicas: 2, settings: false, tier: true };
    const plan = saved(await planWeb({ ...current, replicas: 3 }));
    expect(changed(plan).map(line)).toEqual(['update web/ReplicaSet/api']);
    const dbAction = plan.actions.find((a) => refId(a.ref) === 'web/Service/db')!;
    expect(dbAction).toMatchObject({ action: 'no-op', liveHash: expect.stringMatching(/^sha256:/) });
    const rsBefore = await rv(REFS.rs);

    const r = await rt.kubectl(['annotate', 'svc', 'db', '-n', 'web', 'team=payments']);
    expect(r.code, r.stderr).toBe(0);
    const err = await applyPlan(plan, client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StalePlanError);
    expect((err as StalePlanError).objects).toEqual([{ ref: REFS.db, what: 'changed', plannedResourceVersion: dbAction.liveResourceVersion, liveResourceVersion: expect.stringMatching(/^\d+$/) }]);
    expect(await rv(REFS.rs)).toBe(rsBefore); // nothing written

    // Planned again, the annotation (not kite's) is no change, and the plan applies.
    const fresh = await planWeb({ ...current, replicas: 3 });
    expect(changed(fresh).map(line)).toEqual(['update web/ReplicaSet/api']);
    ok(await applyPlan(saved(fresh), client));
    expect((await get(REFS.db))!.metadata.annotations?.team).toBe('payments');
    ok(await applyPlan(await planWeb(current), client));
    await settled(2);
  });

  it('a saved plan is stale if an object it creates appeared, or one it acts on was deleted or joined the stack', async () => {
    const current = { replicas: 2, settings: false, tier: true };
    const withSettings = saved(await planWeb({ ...current, settings: true }));
    const r = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cm('settings', 'web', { mode: 'someone elses' })) });
    expect(r.code, r.stderr).toBe(0);
    const err = await applyPlan(withSettings, client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StalePlanError);
    expect((err as Error).message).toMatch(/^stale plan: web\/ConfigMap\/settings was created since the plan was made \(resourceVersion \d+\); run kite plan again$/);
    expect((await rt.kubectl(['delete', 'configmap', 'settings', '-n', 'web'])).code).toBe(0);

    const plain = saved(await planWeb(current));
    // Another run of the stack adds a member meanwhile.
    ok(await applyPlan(await planStack(stack('web', [...web(current), cm('extra', 'web')]), client, OPTS), client));
    const joined = await applyPlan(plain, client).catch((e: unknown) => e);
    expect(joined).toBeInstanceOf(StalePlanError);
    expect((joined as Error).message).toMatch(/^stale plan: web\/ConfigMap\/extra joined the stack since the plan was made \(resourceVersion \d+\); run kite plan again$/);
    ok(await applyPlan(await planWeb(current), client));
    expect(await get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'extra' })).toBeUndefined();
  });

  it('two applies of the stack at once: one fails fast with the lock error naming the holder', async () => {
    const current = { replicas: 2, settings: false, tier: true };
    // Each run holds its lock until the other run got its answer (so the two surely overlap).
    const answered = [deferred(), deferred()];
    const run = async (i: number, holder: string) => {
      let lock;
      try {
        lock = await acquireLock(client, 'web', { holder });
      } catch (e) {
        answered[i]!.resolve();
        throw e;
      }
      answered[i]!.resolve();
      try {
        await Promise.race([answered[1 - i]!.promise, new Promise((r) => setTimeout(r, 10_000))]);
        return ok(await applyPlan(await planWeb(current), client));
      } finally {
        await lock.release();
      }
    };
    const results = await Promise.allSettled([run(0, 'alice@laptop (pid 4242)'), run(1, 'bob@ci (pid 7)')]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(LockedError);
    const winner = results[0]!.status === 'fulfilled' ? 'alice@laptop (pid 4242)' : 'bob@ci (pid 7)';
    expect((failed[0]!.reason as Error).message).toMatch(
      new RegExp(`^stack web is locked by ${winner.replace(/[()]/g, '\\$&')} since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(Lease default/kite-lock-web\\); if that run is dead, run with --force-unlock$`),
    );
  });

  it('a lock left by a dead run blocks until force-unlocked', async () => {
    await acquireLock(client, 'web', { holder: 'crashed@host (pid 99)' });
    await expect(acquireLock(client, 'web', { holder: 'me' })).rejects.toThrow(/^stack web is locked by crashed@host \(pid 99\) since /);
    expect(await forceUnlock(client, 'web')).toMatchObject({ holder: 'crashed@host (pid 99)' });
    const lock = await acquireLock(client, 'web', { holder: 'me' });
    await lock.release();
  });

  it('a failed write stops the run after its rank: the result says what was applied and what failed', async () => {
    const objects = [cm('first', 'web'), cm('orphan', 'no-such-namespace'), cm('third', 'web')];
    const plan = await planStack(stack('partial', objects), client, OPTS);
    expect(plan.actions.map(line)).toEqual(['create web/ConfigMap/first', 'create no-such-namespace/ConfigMap/orphan', 'create web/ConfigMap/third']);
    const ev = events();
    const result = await applyPlan(plan, client, { onEvent: ev.onEvent });
    // The rest of the failed write's rank is carried out (apply-concurrency.test.ts: later ranks are not).
    expect(result.applied.map(line)).toEqual(['create web/ConfigMap/first', 'create web/ConfigMap/third']);
    expect(result.failed?.ref).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'no-such-namespace', name: 'orphan' });
    expect(result.failed?.error.message).toMatch(/namespaces "no-such-namespace" not found/);
    expect(result.failures?.map((f) => refId(f.ref))).toEqual(['no-such-namespace/ConfigMap/orphan']);
    expect(result.skipped).toEqual([]);
    expect(ev.lines()).toContain('failed no-such-namespace/ConfigMap/orphan');
    expect(ev.lines().filter((l) => l.startsWith('inventory narrow'))).toEqual([]);
    // The parent stays widened: the next plan still sees the members that were created.
    const next = await planStack(stack('partial', []), client, OPTS);
    expect(next.actions.map(line)).toEqual(['delete web/ConfigMap/first', 'delete web/ConfigMap/third']);
    ok(await applyPlan(next, client));
  });

  it('a stop signal ends the run before the next write: the result carries its reason and what was not attempted', async () => {
    const plan = await planStack(stack('stopped', [cm('one', 'web'), cm('two', 'web'), cm('three', 'web')]), client, OPTS);
    const ctl = new AbortController();
    const result = await applyPlan(plan, client, {
      signal: ctl.signal,
      concurrency: 1, // one write at a time: "the next write" is the second (apply-concurrency.test.ts: several in flight)
      onEvent: (e) => {
        if (e.type === 'done') ctl.abort(new InterruptedError('SIGINT'));
      },
    });
    expect(result.applied.map(line)).toEqual(['create web/ConfigMap/one']);
    expect(result.failed).toBeUndefined();
    expect(result.stopped).toBeInstanceOf(InterruptedError);
    expect(result.skipped.map(refId)).toEqual(['web/ConfigMap/two', 'web/ConfigMap/three']);
    expect(await get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'two' })).toBeUndefined();
    // The parent was widened before the first write: the next plan still sees what was created.
    const next = await planStack(stack('stopped', []), client, OPTS);
    expect(next.actions.map(line)).toEqual(['delete web/ConfigMap/one']);
    ok(await applyPlan(next, client));
  });

  it('interoperates with kubectl: `kubectl apply --prune --applyset=secret/kite-stack-<stack>` prunes kite members', async () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'interop-x' } } as KubeObject,
      cm('x-cm', 'interop-x'),
      cm('interop-a', 'default'),
      cm('interop-b', 'default'),
    ];
    ok(await applyPlan(await planStack(stack('interop', objects), client, OPTS), client));
    const made = await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(cm('bystander', 'default')) });
    expect(made.code, made.stderr).toBe(0);

    const dir = await mkdtemp(join(tmpdir(), 'kite-applyset-'));
    const previous = process.env.KUBECTL_APPLYSET;
    process.env.KUBECTL_APPLYSET = 'true';
    try {
      // kubectl applies only objects of the parent's namespace (and cluster-scoped ones): keep the
      // namespace and interop-a; interop-b and (in the additional namespace) x-cm are left out.
      await writeFile(join(dir, 'namespace.json'), JSON.stringify(objects[0]));
      await writeFile(join(dir, 'interop-a.json'), JSON.stringify(cm('interop-a', 'default')));
      const args = ['apply', '--prune', '--applyset=secret/kite-stack-interop', '-n', 'default', '-f', dir];
      // kubectl refuses an ApplySet of other tooling, as KEP-3659 requires (kite refuses kubectl's likewise).
      const refused = await rt.kubectl(args);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toBe('error: ApplySet parent object "secrets./kite-stack-interop" already exists and is managed by tooling "kite" instead of "kubectl"\n');

      // Handed over to kubectl, kubectl recognises kite's id, group-kinds, namespaces and member labels.
      const handover = await rt.kubectl(['annotate', 'secret', 'kite-stack-interop', '-n', 'default', '--overwrite', 'applyset.kubernetes.io/tooling=kubectl/v1.32.4']);
      expect(handover.code, handover.stderr).toBe(0);
      const pruned = await rt.kubectl(args);
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(pruned.stdout).toMatch(/^configmap\/interop-b pruned$/m);
      expect(pruned.stdout).toMatch(/^configmap\/x-cm pruned$/m);
      const has = async (ns: string, name: string) => (await get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name })) !== undefined;
      expect(await has('default', 'interop-b')).toBe(false);
      expect(await has('interop-x', 'x-cm')).toBe(false);
      expect(await has('default', 'interop-a')).toBe(true);
      expect(await has('default', 'bystander')).toBe(true);
      expect(await get({ apiVersion: 'v1', kind: 'Namespace', name: 'interop-x' })).toBeDefined();

      // Now kubectl's, the set is refused by kite in turn.
      await expect(planStack(stack('interop', objects), client, OPTS)).rejects.toThrow(
        /^default\/Secret\/kite-stack-interop is managed by "kubectl" \(applyset\.kubernetes\.io\/tooling: kubectl\/v1\.32\.4[^)]*\), not kite: kite will not change another tool's ApplySet$/,
      );
    } finally {
      if (previous === undefined) delete process.env.KUBECTL_APPLYSET;
      else process.env.KUBECTL_APPLYSET = previous;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('destroy removes the stack in reverse order and its parent last; a namespace holding others\' objects is kept', async () => {
    const keeping = await planDestroy('web', client, OPTS);
    expect(keeping.actions.map(line)).toEqual(['no-op Namespace/web', 'delete web/ReplicaSet/api', 'delete web/Service/api', 'delete web/Service/db', 'no-op default/Secret/kite-stack-web']);
    expect(keeping.actions[0]).toMatchObject({ kept: true, reason: 'it holds 1 object kite did not create: web/ConfigMap/kubectl-made; deleting it would delete them' });
    expect(keeping.actions[4]).toMatchObject({ kept: true, reason: "the stack's inventory (ApplySet parent), kept with Namespace/web" });
    expect(keeping.summary).toMatchObject({ destroy: 3, unchanged: 2, kept: 2 });
    const first = ok(await applyPlan(keeping, client));
    expect(first.applied.map(line)).toEqual(['delete web/ReplicaSet/api', 'delete web/Service/api', 'delete web/Service/db']);
    expect(await get(REFS.ns)).toBeDefined();
    expect((await get(REFS.parent))!.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe('Namespace');

    expect((await rt.kubectl(['delete', 'configmap', 'kubectl-made', '-n', 'web'])).code).toBe(0);
    const plan = await planDestroy('web', client, OPTS);
    expect(plan.actions.map(line)).toEqual(['delete Namespace/web', 'delete default/Secret/kite-stack-web']);
    const result = ok(await applyPlan(plan, client));
    expect(result.applied.map(line)).toEqual(['delete Namespace/web', 'delete default/Secret/kite-stack-web']);
    expect(await get(REFS.parent)).toBeUndefined();
    await eventually(async () => (await get(REFS.ns)) === undefined, { what: 'namespace web gone' });
    expect((await planDestroy('web', client, OPTS)).actions).toEqual([]);
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
