/**
 * A plan begun while the program's objects are still validated (PlanAhead: the inventory read,
 * each part's members diffed as it arrives) is exactly the plan planStack makes on its own.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { applyPlan } from '../../lib/plan/apply.ts';
import { applySetFor } from '../../lib/plan/inventory.ts';
import { PlanAhead } from '../../lib/plan/plan-ahead.ts';
import { stampedHash, stampTemplateHash } from '../../lib/plan/rollout/template-hash.ts';
import { planStack } from '../../lib/plan/planner.ts';
import type { StackManifests } from '../../lib/synth/manifest.ts';
import { runtimeForFile } from '../support/runtime-client.ts';

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9', now: new Date('2026-11-25T21:00:00Z') };
const cm = (name: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const stack = (objects: KubeObject[], name = 'ahead'): StackManifests => ({ name, manifests: objects.map((object) => ({ object, origin: {} })) });
const rs = (name: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } },
});

describe('PlanAhead', () => {
  const env = runtimeForFile({ nodes: 1 });

  it('plans as planStack alone does: unchanged, changed, drifted, new and pruned objects', async () => {
    const { rt, client } = env;
    const applied = stack([cm('same'), cm('edited'), cm('drifted'), cm('dropped')]);
    expect((await applyPlan(await planStack(applied, client, OPTS), client)).failed).toBeUndefined();
    const r = await rt.kubectl(['patch', 'configmap', 'drifted', '--type=merge', '-p', '{"data":{"k":"outside"}}']);
    expect(r.code, r.stderr).toBe(0);

    const next = stack([cm('same'), cm('edited', { k: 'new' }), cm('drifted'), cm('fresh')]);
    const alone = await planStack(next, client, OPTS);
    const objects = next.manifests.map((m) => m.object);
    const ahead = new PlanAhead(client, applySetFor('ahead'));
    ahead.add(objects.slice(0, 2));
    ahead.add(objects.slice(2));
    await ahead.settled();
    // Every member was planned ahead; the new object is left to planStack.
    expect([...ahead.planned.keys()]).toEqual(objects.slice(0, 3));
    const planned = await planStack(next, client, { ...OPTS, inventory: ahead.inventory, planned: ahead.planned });

    expect(planned).toEqual(alone);
    expect(planned.actions.map((a) => `${a.action} ${a.ref.name}`)).toEqual(['no-op same', 'update edited', 'update drifted', 'create fresh', 'delete dropped']);
    expect(planned.actions[2]!.changes).toMatchObject([{ path: 'data.k', before: 'outside', after: 'v', drift: { lastApplied: 'v' } }]);
  });

  it("stamps templates as planStack alone does, taking an unchanged template's hash from kite's record", async () => {
    const { rt, client } = env;
    const applied = stack([rs('same-rs', 'example/app:1'), rs('edited-rs', 'example/app:1'), rs('relabelled-rs', 'example/app:1')], 'ahead-rs');
    expect((await applyPlan(await planStack(applied, client, OPTS), client)).failed).toBeUndefined();
    // Someone changed the live template's hash label: the record no longer proves it, so it is hashed.
    const r = await rt.kubectl(['patch', 'replicaset', 'relabelled-rs', '--type=merge', '-p', '{"spec":{"template":{"metadata":{"labels":{"kite.dev/template-hash":"0000000000"}}}}}']);
    expect(r.code, r.stderr).toBe(0);

    const next = stack([rs('same-rs', 'example/app:1'), rs('edited-rs', 'example/app:2'), rs('relabelled-rs', 'example/app:1')], 'ahead-rs');
    const alone = await planStack(next, client, OPTS);
    const ahead = new PlanAhead(client, applySetFor('ahead-rs'));
    ahead.add(next.manifests.map((m) => m.object));
    await ahead.settled();
    const planned = await planStack(next, client, { ...OPTS, inventory: ahead.inventory, planned: ahead.planned });

    // The ReplicaSet controller may write a status between the two plans: what is live may move on.
    const actions = (p: typeof planned) => p.actions.map(({ liveResourceVersion: _rv, liveHash: _h, ...a }) => a);
    expect(actions(planned)).toEqual(actions(alone));
    expect(planned.actions.slice(0, 2).map((a) => `${a.action} ${a.ref.name}`)).toEqual(['no-op same-rs', 'update edited-rs']);
    // Each desired template carries its own template's hash.
    for (const m of next.manifests) {
      const a = planned.actions.find((x) => x.ref.name === m.object.metadata.name)!;
      expect(stampedHash(a.desired as unknown as KubeObject)).toBe(stampedHash(stampTemplateHash(m.object)));
    }
  });
});
