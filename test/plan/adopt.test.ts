/**
 * Adoption and moves between stacks (lib/plan/adopt.ts): which changes are kite's bookkeeping,
 * how adopt and move actions read, and a move with a field change planned and applied against
 * the real local runtime.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { KubeClient } from '../../lib/kube/index.ts';
import { isBookkeeping } from '../../lib/plan/adopt.ts';
import { applyPlan } from '../../lib/plan/apply.ts';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_PART_OF_LABEL, applySetFor } from '../../lib/plan/inventory.ts';
import { hasChanges, PlanSchema, refId, type PlannedAction } from '../../lib/plan/plan.ts';
import { planStack } from '../../lib/plan/planner.ts';
import { renderPlan } from '../../lib/plan/render.ts';
import type { StackManifests } from '../../lib/synth/manifest.ts';
import { runtimeForFile } from '../support/runtime-client.ts';
import { planOf as plan } from './plan-fixture.ts';

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9', now: new Date('2026-12-07T19:00:00Z') };
const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const stack = (name: string, objects: KubeObject[], adoptFrom?: string[]): StackManifests => ({
  name,
  manifests: objects.map((object) => ({ object, origin: {} })),
  ...(adoptFrom ? { adoptFrom } : {}),
});
const line = (a: PlannedAction) => `${a.action} ${refId(a.ref)}`;

describe('bookkeeping changes (pure)', () => {
  it("are kite's labels and record only, also as a whole map on an object that had none", () => {
    expect(isBookkeeping({ path: `metadata.labels[${APPLYSET_PART_OF_LABEL}]`, op: 'add', after: 'applyset-x' })).toBe(true);
    expect(isBookkeeping({ path: 'spec.template.metadata.labels[kite.dev/template-hash]', op: 'add', after: '0123456789' })).toBe(true);
    expect(isBookkeeping({ path: 'metadata.labels', op: 'add', after: { [APPLYSET_PART_OF_LABEL]: 'applyset-x' } })).toBe(true);
    expect(isBookkeeping({ path: 'metadata.annotations', op: 'add', after: { 'kite.dev/last-applied': '{}' } })).toBe(true);
    expect(isBookkeeping({ path: 'metadata.labels', op: 'add', after: { [APPLYSET_PART_OF_LABEL]: 'applyset-x', app: 'api' } })).toBe(false);
    expect(isBookkeeping({ path: 'metadata.labels[app]', op: 'add', after: 'api' })).toBe(false);
    expect(isBookkeeping({ path: 'data.k', op: 'change', before: 'a', after: 'b' })).toBe(false);
  });
});

const api = { apiVersion: 'v1', kind: 'Service', namespace: 'prod', name: 'api' };
const web = { apiVersion: 'v1', kind: 'Service', namespace: 'prod', name: 'web' };

describe('rendering adopt and move (pure)', () => {
  it('says an adopt-only plan changes no object, and counts adopts and moves after the other changes', () => {
    const adopt: PlannedAction = { ref: api, action: 'adopt', changes: [], reason: 'exists, not created by kite: joins stack shop; no changes' };
    const only = renderPlan(plan([adopt], { adopt: 1 }), { color: false });
    expect(only).toMatch(/^ {2}→ prod\/Service\/api\s+adopt {3}\(exists, not created by kite: joins stack shop; no changes\)$/m);
    expect(only).toMatch(/^No changes to objects; 1 to adopt into stack shop\.$/m);
    expect(hasChanges(plan([adopt], { adopt: 1 }))).toBe(true);

    const move: PlannedAction = { ref: web, action: 'move', from: 'a', reason: 'from stack a', changes: [{ path: 'spec.ports[80].targetPort', op: 'change', before: 80, after: 8080 }] };
    const mixed = renderPlan(plan([adopt, move], { adopt: 1, move: 1, add: 1 }), { color: false });
    expect(mixed).toMatch(/^ {2}→ prod\/Service\/web\s+move {4}\(from stack a\)\n {6}~ spec\.ports\[80\]\.targetPort: 80 → 8080$/m);
    expect(mixed).toMatch(/^Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy; 1 to adopt, 1 to move\.$/m);
  });
});

describe('against the local runtime', () => {
  const env = runtimeForFile({ nodes: 1 });
  let client: KubeClient;
  beforeAll(() => {
    client = env.client;
  });

  it("moves a member of stack a with a field change into stack b: the uid stays, b's inventory records it, a no longer sees it", async () => {
    const applied = await applyPlan(await planStack(stack('a', [cm('moving', { k: 'v' }), cm('staying', { k: 'v' })]), client, OPTS), client);
    expect(applied.failed).toBeUndefined();
    const uid = (await client.get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default', 'moving')).metadata.uid;

    const b = stack('b', [cm('moving', { k: 'w' })], ['a', 'never-applied']);
    const moved = await planStack(b, client, OPTS);
    expect(moved.actions.map((a) => [line(a), a.from, a.reason, a.changes.map((c) => c.path)])).toEqual([['move default/ConfigMap/moving', 'a', 'from stack a', ['data.k']]]);
    expect(moved.summary).toMatchObject({ add: 0, change: 0, move: 1 });
    expect(PlanSchema.parse(JSON.parse(JSON.stringify(moved)))).toEqual(moved);

    const result = await applyPlan(moved, client);
    expect(result.failed).toBeUndefined();
    const live = await client.get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'default', 'moving');
    expect(live.metadata.uid).toBe(uid);
    expect(live.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBe(applySetFor('b').id);
    expect((live as unknown as { data: Record<string, string> }).data).toEqual({ k: 'w' });
    const parent = await client.get<KubeObject>({ apiVersion: 'v1', kind: 'Secret' }, 'default', 'kite-stack-b');
    expect(parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]).toBe('ConfigMap');

    expect((await planStack(b, client, OPTS)).actions.map(line)).toEqual(['no-op default/ConfigMap/moving']);
    // Stack a without it: nothing to delete, the moved object is no longer its member.
    expect((await planStack(stack('a', [cm('staying', { k: 'v' })]), client, OPTS)).actions.map(line)).toEqual(['no-op default/ConfigMap/staying']);
  });

  it('a move that also changes what cannot change in place is a replace that says it moves', async () => {
    const external = (host: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { type: 'ExternalName', externalName: host } });
    const clusterIp: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } };
    expect((await applyPlan(await planStack(stack('c', [external('db.example.com')]), client, OPTS), client)).failed).toBeUndefined();
    const p = await planStack(stack('d', [clusterIp], ['c']), client, OPTS);
    expect(p.actions.map((a) => [line(a), a.from])).toEqual([['replace default/Service/db', 'c']]);
    expect(p.actions[0]!.reason).toMatch(/; moves from stack c$/);
    expect(p.summary).toMatchObject({ replace: 1 });
  });
});
