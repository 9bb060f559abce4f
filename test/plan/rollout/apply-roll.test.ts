/**
 * Rollouts in apply, against the local runtime with real processes (the node-express-info
 * stand-in; tags :1 and :2 both run it through kite.images.yaml's repository entry): an image
 * change to an App replaces every pod within maxUnavailable, a new template whose readiness probe
 * fails stops with the probe's message while old pods keep serving, a stopped apply is continued
 * by the next, the plan counts the pods to roll, and --no-roll leaves them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../lib/constructs/app.ts';
import { Namespace } from '../../../lib/constructs/namespace.ts';
import { Stack } from '../../../lib/constructs/stack.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { isPodReady } from '../../../lib/api/pod-status.ts';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../../lib/kube/index.ts';
import { applyPlan, type ApplyResult } from '../../../lib/plan/apply.ts';
import { hasChanges, type Plan, type PlannedAction } from '../../../lib/plan/plan.ts';
import { planStack } from '../../../lib/plan/planner.ts';
import { renderPlan } from '../../../lib/plan/render.ts';
import { REASON_ROLLOUT_UNFINISHED } from '../../../lib/plan/rollout/plan-rolls.ts';
import { ROLLOUT_REPLICAS_ANNOTATION, TEMPLATE_HASH_LABEL } from '../../../lib/plan/rollout/template-hash.ts';
import { synthStack } from '../../../lib/synth/synth-stack.ts';
import type { AppProps } from '../../../lib/constructs/app.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../../runtime/harness.ts';

let rt: TestRuntime;
let client: KubeClient;

beforeAll(async () => {
  rt = await startTestRuntime({ simulate: false, nodes: 1, images: join(import.meta.dirname, '../../../kite.images.yaml') });
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new KubeClient(target);
}, 60_000);
afterAll(async () => {
  client?.close();
  await rt?.close();
});

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9' };
const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'roll', name: 'api' };
const PODS = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };

/** The stack: one App of 3 replicas, maxSurge 1 / maxUnavailable 1. */
function stack(props: Partial<AppProps>) {
  const s = new Stack('roll');
  new App(new Namespace(s, 'roll'), 'api', {
    image: 'jonbaier/node-express-info:1',
    replicas: 3,
    port: 8080,
    health: { path: '/status', periodSeconds: 1 },
    ...props,
    rollout: { maxSurge: 1, maxUnavailable: 1, ...props.rollout },
  });
  const { raws } = synthStack(s);
  return { name: 'roll', manifests: raws.map((r) => ({ object: r.value as KubeObject, origin: {} })) };
}
const plan = (props: Partial<AppProps>, noRoll = false) => planStack(stack(props), client, { ...OPTS, ...(noRoll ? { noRoll } : {}) });
const rsAction = (p: Plan): PlannedAction => p.actions.find((a) => a.ref.kind === 'ReplicaSet')!;

async function pods(): Promise<KubeObject[]> {
  const list = await client.list<KubeObject>(PODS, { namespace: 'roll' });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}
const hashOf = (o: KubeObject) => o.metadata.labels?.[TEMPLATE_HASH_LABEL];
async function rs(): Promise<KubeObject> {
  return client.get<KubeObject>(RS, 'roll', 'api');
}
async function templateHashNow(): Promise<string> {
  return (await rs()).spec!['template' as never]['metadata']['labels'][TEMPLATE_HASH_LABEL];
}
/** All 3 pods run the current template, are ready, and the ReplicaSet is back at 3. */
async function settled(): Promise<KubeObject[]> {
  return eventually(
    async () => {
      const [r, ps, hash] = await Promise.all([rs(), pods(), templateHashNow()]);
      const ok = ps.length === 3 && ps.every((p) => hashOf(p) === hash && isPodReady(p)) && (r.spec as { replicas: number }).replicas === 3;
      return ok ? ps : undefined;
    },
    { timeoutMs: 60_000, what: '3 ready pods of the current template' },
  );
}

/** Samples the ready pods (not being deleted) until stopped; returns the fewest seen. */
function sampleReady(): { stop: () => Promise<number> } {
  let min = Infinity;
  let running = true;
  const loop = (async () => {
    while (running) {
      const ready = (await pods()).filter(isPodReady).length;
      min = Math.min(min, ready);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return min;
    },
  };
}

function ok(r: ApplyResult): void {
  expect(r.failed?.error.message).toBeUndefined();
  expect(r.stopped).toBeUndefined();
}

describe('rollouts in apply', () => {
  it('an image change rolls every pod, never below replicas - maxUnavailable ready; the plan counts them; a re-plan is empty', async () => {
    ok(await applyPlan(await plan({}), client));
    const first = await settled();
    expect((await plan({})).actions.every((a) => a.action === 'no-op')).toBe(true);

    const p = await plan({ image: 'jonbaier/node-express-info:2' });
    const a = rsAction(p);
    expect(a.action).toBe('update');
    expect(a.rolls).toBe(3);
    expect(a.changes.map((c) => c.path)).toEqual(['spec.template.spec.containers[api].image']);
    expect(renderPlan(p, { color: false })).toMatch(/~ roll\/ReplicaSet\/api\s+update, rolls 3 pods\n\s+~ spec.template.spec.containers\[api\].image: jonbaier\/node-express-info:1 → jonbaier\/node-express-info:2/);
    expect(rsAction(await plan({ image: 'jonbaier/node-express-info:2' }, true)).rolls).toBeUndefined();

    const progress: string[] = [];
    const sampler = sampleReady();
    const r = await applyPlan(p, client, { onEvent: (e) => e.type === 'waiting' && progress.push(e.message) });
    const fewest = await sampler.stop();
    ok(r);
    const after = await settled();
    expect(after.every((x) => (x.spec as { containers: Array<{ image: string }> }).containers[0]!.image === 'jonbaier/node-express-info:2')).toBe(true);
    expect(after.map((x) => x.metadata.uid).filter((u) => first.some((f) => f.metadata.uid === u))).toEqual([]);
    expect(fewest).toBeGreaterThanOrEqual(2);
    expect(progress.some((m) => /^rolling \d\/3 updated, \d\/3 ready$/.test(m))).toBe(true);
    expect((await rs()).metadata.annotations?.[ROLLOUT_REPLICAS_ANNOTATION]).toBeUndefined();
    expect(hasChanges(await plan({ image: 'jonbaier/node-express-info:2' }))).toBe(false);
  }, 120_000);

  it("a new template whose readiness probe fails stops the roll with the probe's message; old pods keep serving", async () => {
    const before = await settled();
    const bad: Partial<AppProps> = {
      image: 'jonbaier/node-express-info:2',
      container: { readinessProbe: { httpGet: { path: '/nope', port: 'http' }, periodSeconds: 1 } },
      rollout: { progressDeadlineSeconds: 4 },
    };
    const r = await applyPlan(await plan(bad), client);
    expect(r.failed?.error.message).toMatch(/^rollout of roll\/ReplicaSet\/api stopped: pod api-\w+ not ready after 4s: Readiness probe failed: HTTP probe failed with statuscode: 404; 2 pods with the previous template keep serving$/);
    const oldHash = hashOf(before[0]!);
    const old = (await pods()).filter((x) => hashOf(x) === oldHash && isPodReady(x));
    expect(old.length).toBeGreaterThanOrEqual(2);
    for (const pod of old) {
      const ip = (pod.status as { podIP: string }).podIP;
      const res = await fetch(`http://${ip}:8080/status`);
      expect(res.status).toBe(200);
    }
  }, 120_000);

  it('an apply stopped mid-roll is continued by the next; --no-roll leaves the pods', async () => {
    // From the failed roll above: its pods are old now too.
    const stop = new AbortController();
    const r = await applyPlan(await plan({ image: 'jonbaier/node-express-info:1' }), client, {
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'waiting' && /^rolling [1-9]/.test(e.message)) stop.abort(new Error('killed mid-roll'));
      },
    });
    expect(r.stopped?.message ?? r.failed?.error.message).toMatch(/killed mid-roll/);
    const hash = await templateHashNow();
    expect((await pods()).some((x) => hashOf(x) !== hash)).toBe(true);

    const again = await plan({ image: 'jonbaier/node-express-info:1' });
    const a = rsAction(again);
    expect(a.action).toBe('update');
    expect(a.reason).toBe(REASON_ROLLOUT_UNFINISHED);
    expect(a.changes).toEqual([]); // the surge's replicas are the rollout's, not drift
    expect(a.rolls).toBeGreaterThan(0);
    ok(await applyPlan(again, client));
    await settled();
    expect(hasChanges(await plan({ image: 'jonbaier/node-express-info:1' }))).toBe(false);

    // --no-roll: the template is written, the pods stay; the next plan says they are to roll.
    const kept = await settled();
    ok(await applyPlan(await plan({ image: 'jonbaier/node-express-info:2' }, true), client, { noRoll: true }));
    expect((await pods()).map((x) => x.metadata.uid).sort()).toEqual(kept.map((x) => x.metadata.uid).sort());
    expect(rsAction(await plan({ image: 'jonbaier/node-express-info:2' })).rolls).toBe(3);
  }, 180_000);
});

describe('objects applied before kite stamped templates', () => {
  const legacy = (replicas: number) => ({
    name: 'legacy',
    manifests: [
      { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } }, origin: {} },
      {
        object: {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'old', namespace: 'legacy' },
          spec: {
            replicas,
            selector: { matchLabels: { app: 'old' } },
            template: { metadata: { labels: { app: 'old' } }, spec: { containers: [{ name: 'old', image: 'jonbaier/node-express-info:1', ports: [{ containerPort: 8080 }] }] } },
          },
        } as KubeObject,
        origin: {},
      },
    ],
  });
  const OLD = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'legacy', name: 'old' };
  const legacyPods = async () => (await client.list<KubeObject>(PODS, { namespace: 'legacy' })).items.filter((p) => !p.metadata.deletionTimestamp);

  it('are unchanged but for the stamp: no-op; an update for another reason stamps their pods without replacing them', async () => {
    ok(await applyPlan(await planStack(legacy(2), client, OPTS), client));
    // As an older kite left it: no hash on the template nor on the pods.
    await client.patch(OLD, 'legacy', 'old', 'json', [{ op: 'remove', path: `/spec/template/metadata/labels/${TEMPLATE_HASH_LABEL.replace('/', '~1')}` }]);
    const before = await eventually(
      async () => {
        const ps = await legacyPods();
        // Pods the controller made from the stamped template before the patch: replaced by unstamped ones.
        for (const p of ps.filter((x) => hashOf(x) !== undefined)) await client.delete(PODS, 'legacy', p.metadata.name!).catch(() => undefined);
        return ps.length === 2 && ps.every((p) => isPodReady(p) && hashOf(p) === undefined) ? ps : undefined;
      },
      { timeoutMs: 60_000, what: '2 ready pods without a hash' },
    );

    const same = await planStack(legacy(2), client, OPTS);
    expect(same.actions.filter((x) => x.action !== 'no-op')).toEqual([]);
    const p = await planStack(legacy(3), client, OPTS);
    const a = p.actions.find((x) => x.ref.kind === 'ReplicaSet')!;
    expect(a.changes.map((c) => c.path)).toEqual(['spec.replicas']);
    expect(a.rolls).toBeUndefined();
    ok(await applyPlan(p, client));
    const hash = (await client.get<KubeObject>(OLD, 'legacy', 'old')).spec!['template' as never]['metadata']['labels'][TEMPLATE_HASH_LABEL];
    const after = await eventually(
      async () => {
        const ps = await legacyPods();
        return ps.length === 3 && ps.every((x) => isPodReady(x) && hashOf(x) === hash) ? ps : undefined;
      },
      { timeoutMs: 60_000, what: '3 ready pods of the stamped template' },
    );
    for (const b of before) expect(after.map((x) => x.metadata.uid)).toContain(b.metadata.uid);
  }, 120_000);
});
