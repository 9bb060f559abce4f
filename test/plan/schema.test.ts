// schema/plan-v1.schema.json: generated from PlanSchema, committed, and what `--output json` prints obeys it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { diffObject } from '../../lib/plan/diff.ts';
import { PLAN_FORMAT_VERSION, PlanSchema, type Plan } from '../../lib/plan/plan.ts';
import { renderPlanJson } from '../../lib/plan/render.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { PLAN_SCHEMA_PATH, planJsonSchema, planJsonSchemaText } from '../../scripts/plan-schema.ts';

const committed = () => readFileSync(PLAN_SCHEMA_PATH, 'utf8');

/** A plan as the planner makes it, with changes from diffObject (a replace, an update with drift, a secret). */
function samplePlan(): Plan {
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'api', namespace: 'prod' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'a:1' }] } } },
  };
  const live = structuredClone(rs) as Record<string, any>;
  live.spec.replicas = 2;
  live.metadata.resourceVersion = '7';
  const next = structuredClone(rs) as Record<string, any>;
  next.spec.selector.matchLabels.tier = 'web';
  next.spec.template.metadata.labels.tier = 'web';
  const d = diffObject({ desired: next as KubeObject, lastApplied: rs, live: live as KubeObject });
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'prod' }, data: { password: 'aHVudGVyMg==' } };
  const s = diffObject({ desired: { ...secret, data: { password: 'b3RoZXI=' } } as KubeObject, lastApplied: secret, live: secret });
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: { name: 'kite', version: '0.1.0' },
    stack: 'shop',
    target: { context: 'kite-local', server: 'https://127.0.0.1:6443' },
    createdAt: '2025-01-01T00:00:00.000Z',
    applySet: { id: 'applyset-x-v1', parent: { apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'kite-shop' } },
    actions: [
      { ref: { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'prod', name: 'api' }, action: d.replace ? 'replace' : 'update', changes: d.changes, reason: d.reason, liveResourceVersion: '7', desired: next },
      { ref: { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'db' }, action: 'update', changes: s.changes, desired: { ...secret, data: { password: 'b3RoZXI=' } } },
    ],
    summary: { add: 0, change: 1, replace: 1, destroy: 0, unchanged: 0, drifted: 0 },
  };
}

describe('plan JSON schema', () => {
  it('the committed schema/plan-v1.schema.json is what scripts/plan-schema.ts generates (run `npx tsx scripts/plan-schema.ts`)', () => {
    expect(committed()).toBe(planJsonSchemaText());
  });

  it('is versioned, identified and described', () => {
    const s = planJsonSchema();
    expect(s).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://kite.dev/schema/plan-v1.schema.json',
      title: expect.stringContaining('kite plan'),
      description: expect.any(String),
      type: 'object',
      additionalProperties: false,
    });
    expect((s.properties as any).formatVersion).toMatchObject({ type: 'number', const: PLAN_FORMAT_VERSION });
    // Every field of the plan and of its actions and changes is documented.
    const props = (node: any): Record<string, any> => node.properties;
    const action = props(s).actions.items;
    for (const [name, node] of [...Object.entries(props(s)), ...Object.entries(props(action)), ...Object.entries(props(action.properties.changes.items))]) {
      expect(node.description, name).toEqual(expect.any(String));
    }
    expect(s.required).toEqual(expect.arrayContaining(['formatVersion', 'actions', 'summary']));
  });

  it('a rendered JSON plan validates against PlanSchema and against the committed JSON Schema', () => {
    const plan = samplePlan();
    expect(plan.actions[0]!.action).toBe('replace');
    const printed = JSON.parse(renderPlanJson(plan));
    expect(PlanSchema.safeParse(printed).success).toBe(true);
    const fromFile = z.fromJSONSchema(JSON.parse(committed()));
    expect(fromFile.safeParse(printed).success).toBe(true);
    // …and the file's schema is not vacuous: it rejects what PlanSchema rejects.
    expect(fromFile.safeParse({ ...printed, formatVersion: 2 }).success).toBe(false);
    expect(fromFile.safeParse({ ...printed, extra: true }).success).toBe(false);
    expect(fromFile.safeParse({ ...printed, actions: [{ ...printed.actions[0], action: 'recreate' }] }).success).toBe(false);
    expect(JSON.stringify(printed)).not.toContain('aHVudGVyMg==');
    expect(JSON.stringify(printed)).not.toContain('b3RoZXI=');
  });
});
