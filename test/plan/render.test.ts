// renderPlan / renderPlanJson: the issue's plan, golden, with and without colour.
import { describe, expect, it } from 'vitest';
import { PlanSchema, type Plan } from '../../lib/plan/plan.ts';
import { createSummary, formatValue, renderPlan, renderPlanJson } from '../../lib/plan/render.ts';
import { planOf as plan } from './plan-fixture.ts';

const ref = (kind: string, name: string, apiVersion = kind === 'ReplicaSet' ? 'apps/v1' : 'v1') => ({ apiVersion, kind, namespace: 'prod', name });

const RS_API = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api', namespace: 'prod' },
  spec: {
    replicas: 5,
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'jonbaier/node-express-info:latest' }] } },
  },
};


/** The plan of the issue's example, built by hand. */
const ISSUE_PLAN = plan(
  [
    { ref: { apiVersion: 'v1', kind: 'Namespace', name: 'prod' }, action: 'no-op', changes: [], liveResourceVersion: '12' },
    {
      ref: ref('Service', 'my-database'),
      action: 'create',
      changes: [],
      desired: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-database', namespace: 'prod' }, spec: { type: 'ExternalName', externalName: 'database.company.com' } },
    },
    {
      ref: ref('ReplicaSet', 'api'),
      action: 'update',
      changes: [
        { path: 'spec.replicas', op: 'change', before: 3, after: 5 },
        { path: 'spec.template.spec.containers[api].resources.requests.cpu', op: 'change', before: '250m', after: '500m' },
      ],
      liveResourceVersion: '40',
      desired: RS_API,
    },
    { ref: ref('Service', 'old-cache'), action: 'delete', changes: [], reason: 'no longer in the program', liveResourceVersion: '41' },
    {
      ref: ref('Service', 'legacy'),
      action: 'replace',
      changes: [{ path: 'spec.type', op: 'change', before: 'ExternalName', after: 'ClusterIP', forcesReplacement: true }],
      reason: 'spec.type ExternalName → ClusterIP',
      liveResourceVersion: '42',
      desired: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'prod' }, spec: { ports: [{ port: 80 }] } },
    },
    {
      ref: ref('ReplicaSet', 'worker'),
      action: 'update',
      changes: [{ path: 'spec.replicas', op: 'change', before: 2, after: 4, drift: { lastApplied: 4 } }],
      liveResourceVersion: '43',
    },
  ],
  { add: 1, change: 1, replace: 1, destroy: 1, unchanged: 1, drifted: 1 },
);

const GOLDEN = `kite will perform these actions on context kite-local (stack shop):

  + prod/Service/my-database            create  (ExternalName → database.company.com)
  ~ prod/ReplicaSet/api                 update
      ~ spec.replicas: 3 → 5
      ~ spec.template.spec.containers[api].resources.requests.cpu: 250m → 500m
  - prod/Service/old-cache              delete  (no longer in the program)
 -/+ prod/Service/legacy                replace (spec.type ExternalName → ClusterIP)
  ! prod/ReplicaSet/worker              drift   spec.replicas changed outside kite: 2 (was 4)

Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy, 1 drifted.
`;

const G = (s: string) => `\x1b[32m${s}\x1b[0m`;
const Y = (s: string) => `\x1b[33m${s}\x1b[0m`;
const R = (s: string) => `\x1b[31m${s}\x1b[0m`;
const M = (s: string) => `\x1b[35m${s}\x1b[0m`;
const CY = (s: string) => `\x1b[36m${s}\x1b[0m`;

const GOLDEN_COLOR = `kite will perform these actions on context kite-local (stack shop):

  ${G('+')} prod/Service/my-database            create  (ExternalName → database.company.com)
  ${Y('~')} prod/ReplicaSet/api                 update
      ${Y('~')} spec.replicas: 3 → 5
      ${Y('~')} spec.template.spec.containers[api].resources.requests.cpu: 250m → 500m
  ${R('-')} prod/Service/old-cache              delete  (no longer in the program)
 ${M('-/+')} prod/Service/legacy                replace (spec.type ExternalName → ClusterIP)
  ${CY('!')} prod/ReplicaSet/worker              drift   spec.replicas changed outside kite: 2 (was 4)

Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy, 1 drifted.
`;

describe('renderPlan', () => {
  it('prints the issue\'s plan (golden, no colour)', () => {
    expect(renderPlan(ISSUE_PLAN, { color: false })).toBe(GOLDEN);
  });

  it('prints the issue\'s plan (golden, colour)', () => {
    expect(renderPlan(ISSUE_PLAN, { color: true })).toBe(GOLDEN_COLOR);
  });

  it('no colour escape codes at all without color', () => {
    expect(renderPlan(ISSUE_PLAN, { color: false })).not.toMatch(/\x1b/);
  });

  it('says so when there is nothing to do', () => {
    const p = plan([{ ref: ref('ReplicaSet', 'api'), action: 'no-op', changes: [] }], { unchanged: 1 });
    expect(renderPlan(p, { color: false })).toBe('No changes. The cluster matches stack shop.\n');
    expect(renderPlan(plan([]), { color: true })).toBe('No changes. The cluster matches stack shop.\n');
  });

  it('lists what is kept though it was to be deleted: a plan that keeps something is not "No changes"', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', name: 'prod' };
    const parent = { apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'kite-stack-shop' };
    const p = plan(
      [
        { ref: ns, action: 'no-op', changes: [], kept: true, reason: 'it holds 1 object kite did not create: prod/ConfigMap/x; deleting it would delete them' },
        { ref: parent, action: 'no-op', changes: [], kept: true, reason: "the stack's inventory (ApplySet parent), kept with Namespace/prod" },
      ],
      { unchanged: 2, kept: 2 },
    );
    expect(renderPlan(p, { color: false })).toBe(`kite will perform these actions on context kite-local (stack shop):

  ~ Namespace/prod                      kept    (it holds 1 object kite did not create: prod/ConfigMap/x; deleting it would delete them)
  ~ default/Secret/kite-stack-shop      kept    (the stack's inventory (ApplySet parent), kept with Namespace/prod)

Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 2 kept.
`);
  });

  it('no drift count when nothing drifted; the action column widens for long ids', () => {
    const long = 'a-very-long-replicaset-name-for-the-column';
    const p = plan([{ ref: ref('ReplicaSet', long), action: 'create', changes: [], desired: { ...RS_API, metadata: { name: long, namespace: 'prod' } } }], { add: 1 });
    expect(renderPlan(p, { color: false })).toBe(`kite will perform these actions on context kite-local (stack shop):

  + prod/ReplicaSet/${long}  create  (5 replicas of jonbaier/node-express-info:latest)

Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy.
`);
  });

  it('updates: adds, removes, drift among ordinary changes; replace lists the other changes', () => {
    const p = plan(
      [
        {
          ref: ref('ReplicaSet', 'api'),
          action: 'update',
          changes: [
            { path: 'metadata.labels[app.kubernetes.io/version]', op: 'add', after: '1.2' },
            { path: 'spec.replicas', op: 'change', before: 2, after: 3, drift: { lastApplied: 3 } },
            { path: 'spec.template.spec.containers[api].env[DEBUG]', op: 'remove', before: { name: 'DEBUG', value: '1' } },
            { path: 'spec.template.spec.containers[api].env[MODE]', op: 'add', after: { name: 'MODE', value: 'fast' }, drift: { lastApplied: { name: 'MODE', value: 'fast' } } },
          ],
        },
        {
          ref: ref('ReplicaSet', 'worker'),
          action: 'replace',
          reason: 'spec.selector is immutable',
          changes: [
            { path: 'spec.selector.matchLabels.tier', op: 'add', after: 'web', forcesReplacement: true },
            { path: 'spec.template.metadata.labels.tier', op: 'add', after: 'web' },
          ],
        },
      ],
      { change: 1, replace: 1 },
    );
    expect(renderPlan(p, { color: false })).toBe(`kite will perform these actions on context kite-local (stack shop):

  ~ prod/ReplicaSet/api                 update
      + metadata.labels[app.kubernetes.io/version]: "1.2"
      ! spec.replicas changed outside kite: 2 (was 3)
      - spec.template.spec.containers[api].env[DEBUG]: {"name":"DEBUG","value":"1"}
      ! spec.template.spec.containers[api].env[MODE] removed outside kite (was {"name":"MODE","value":"fast"})
 -/+ prod/ReplicaSet/worker             replace (spec.selector is immutable)
      + spec.selector.matchLabels.tier: web  # forces replacement
      + spec.template.metadata.labels.tier: web

Plan: 0 to add, 1 to change, 1 to replace, 0 to destroy.
`);
  });

  it('several drifted fields of one object are listed under it', () => {
    const p = plan(
      [
        {
          ref: ref('ReplicaSet', 'worker'),
          action: 'update',
          changes: [
            { path: 'metadata.labels.team', op: 'change', before: 'ops', after: 'shop', drift: { lastApplied: 'shop' } },
            { path: 'spec.replicas', op: 'change', before: 2, after: 4, drift: { lastApplied: 4 } },
          ],
        },
      ],
      { drifted: 1 },
    );
    expect(renderPlan(p, { color: false }).split('\n').slice(2, 5)).toEqual([
      '  ! prod/ReplicaSet/worker              drift',
      '      ! metadata.labels.team changed outside kite: ops (was shop)',
      '      ! spec.replicas changed outside kite: 2 (was 4)',
    ]);
  });

  it('secret values print as (sensitive)', () => {
    const p = plan([{ ref: ref('Secret', 'db'), action: 'update', changes: [{ path: 'data.password', op: 'change', before: '(sensitive)', after: '(sensitive)' }] }], { change: 1 });
    expect(renderPlan(p, { color: false })).toContain('      ~ data.password: (sensitive) → (sensitive)\n');
  });
});

describe('values and summaries', () => {
  it('strings bare unless ambiguous, objects as compact JSON, long values cut', () => {
    expect(formatValue('250m')).toBe('250m');
    expect(formatValue('')).toBe('""');
    expect(formatValue('3')).toBe('"3"');
    expect(formatValue('true')).toBe('"true"');
    expect(formatValue(' padded')).toBe('" padded"');
    expect(formatValue('a → b')).toBe('"a → b"');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(['--port', '80'])).toBe('["--port","80"]');
    expect(formatValue({ cpu: '1' })).toBe('{"cpu":"1"}');
    expect(formatValue('x'.repeat(100), 20)).toBe(`${'x'.repeat(19)}…`);
    expect(formatValue('(sensitive)')).toBe('(sensitive)');
  });

  it('one-line summaries of what is created', () => {
    expect(createSummary({ kind: 'Service', spec: { type: 'ExternalName', externalName: 'database.company.com' } })).toBe('ExternalName → database.company.com');
    expect(createSummary({ kind: 'Service', spec: { ports: [{ port: 80 }] } })).toBe('ClusterIP 80/TCP');
    expect(createSummary({ kind: 'Service', spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] } })).toBe('LoadBalancer 80/TCP, 53/UDP');
    expect(createSummary(RS_API)).toBe('5 replicas of jonbaier/node-express-info:latest');
    expect(createSummary({ kind: 'ReplicationController', spec: { replicas: 1, template: { spec: { containers: [{ image: 'a:1' }, { image: 'b:2' }] } } } })).toBe('1 replica of a:1, b:2');
    expect(createSummary({ kind: 'Pod', spec: { containers: [{ image: 'kuard-amd64:blue' }] } })).toBe('kuard-amd64:blue');
    expect(createSummary({ kind: 'Endpoints', subsets: [{ addresses: [{ ip: '192.168.0.1' }], ports: [{ port: 3306 }] }] })).toBe('192.168.0.1:3306');
    expect(createSummary({ kind: 'Secret', data: { a: 'x', b: 'y' } })).toBe('Opaque, 2 keys');
    expect(createSummary({ kind: 'Namespace' })).toBe('');
  });
});

describe('renderPlanJson', () => {
  it('is pretty JSON of the plan that parses back with PlanSchema', () => {
    const text = renderPlanJson(ISSUE_PLAN);
    expect(text.endsWith('}\n')).toBe(true);
    expect(PlanSchema.parse(JSON.parse(text))).toEqual(ISSUE_PLAN);
  });

  it('has a stable key order whatever order the plan was built in', () => {
    const shuffle = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(shuffle) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, k === 'desired' ? x : shuffle(x)])) : v;
    expect(renderPlanJson(shuffle(ISSUE_PLAN) as Plan)).toBe(renderPlanJson(ISSUE_PLAN));
    expect(Object.keys(JSON.parse(renderPlanJson(shuffle(ISSUE_PLAN) as Plan)))).toEqual(['formatVersion', 'tool', 'stack', 'target', 'createdAt', 'applySet', 'actions', 'summary']);
  });

  it('never prints Secret values, not even in the manifest apply writes', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'prod', annotations: { 'kite.dev/last-applied': '{"data":{"password":"aHVudGVyMg=="}}' } },
      data: { password: 'aHVudGVyMg==' },
      stringData: { token: 'plain-text-token' },
    };
    const p = plan([{ ref: ref('Secret', 'db'), action: 'create', changes: [], desired: secret }], { add: 1 });
    const text = renderPlanJson(p);
    expect(text).not.toContain('aHVudGVyMg==');
    expect(text).not.toContain('plain-text-token');
    const back = PlanSchema.parse(JSON.parse(text));
    expect(back.actions[0]!.desired).toMatchObject({ data: { password: '(sensitive)' }, stringData: { token: '(sensitive)' } });
    // The plan itself (what apply uses) is untouched.
    expect(p.actions[0]!.desired).toBe(secret);
    expect(secret.data.password).toBe('aHVudGVyMg==');
  });
});

describe('renderPlan: reasons the planner gives', () => {
  it('an update with a reason (taking over an object kite did not create) says why', () => {
    const p = plan(
      [{ ref: ref('Service', 'db'), action: 'update', reason: 'exists, not created by kite: kite takes it over', changes: [{ path: 'metadata.labels[app.kubernetes.io/managed-by]', op: 'add', after: 'kite' }] }],
      { change: 1 },
    );
    expect(renderPlan(p, { color: false }).split('\n').slice(2, 4)).toEqual([
      '  ~ prod/Service/db                     update  (exists, not created by kite: kite takes it over)',
      '      + metadata.labels[app.kubernetes.io/managed-by]: kite',
    ]);
  });

  it('a drift-only update shows the drift, not the planner\'s reason', () => {
    const p = plan([{ ref: ref('ReplicaSet', 'worker'), action: 'update', reason: 'changed outside kite: kite restores it', changes: [{ path: 'spec.replicas', op: 'change', before: 2, after: 4, drift: { lastApplied: 4 } }] }], { drifted: 1 });
    expect(renderPlan(p, { color: false }).split('\n')[2]).toBe('  ! prod/ReplicaSet/worker              drift   spec.replicas changed outside kite: 2 (was 4)');
  });
});
