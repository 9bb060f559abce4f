import { describe, expect, it } from 'vitest';
import { KiteError } from '../../lib/errors.ts';
import { decorate, applySetFor, refOf } from '../../lib/plan/inventory.ts';
import { PlanFileError, checkPlan, planProblems } from '../../lib/plan/plan-file.ts';
import type { Plan, PlannedAction } from '../../lib/plan/plan.ts';

const applySet = applySetFor('shop');
const desired = decorate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'prod' }, data: { k: 'v' } }, applySet);
const create: PlannedAction = { ref: refOf(desired), action: 'create', changes: [], desired: desired as unknown as Record<string, unknown> };

function plan(edit: (p: Plan) => void = () => {}): Plan {
  const p: Plan = {
    formatVersion: 1,
    tool: { name: 'kite', version: '0.0.0' },
    stack: 'shop',
    target: { context: 'kite-local', server: 'https://127.0.0.1:1' },
    createdAt: '2026-11-25T21:00:00Z',
    applySet: { id: applySet.id, parent: applySet.parent },
    actions: [structuredClone(create)],
    summary: { add: 1, change: 0, replace: 0, destroy: 0, unchanged: 0, drifted: 0 },
  };
  edit(p);
  return p;
}

describe('a plan whose parts disagree', () => {
  it('has no problems as kite made it', () => {
    expect(planProblems(plan())).toEqual([]);
  });

  it('names the field a hand edit broke', () => {
    const field = (edit: (p: Plan) => void) => planProblems(plan(edit)).map((x) => x.field);
    expect(field((p) => (p.stack = 'other'))).toEqual(['stack']);
    expect(field((p) => (p.stack = 'No_Such'))).toEqual(['stack']);
    expect(field((p) => (p.applySet.id = 'applyset-x-v1'))).toEqual(['applySet.id']);
    expect(field((p) => (p.applySet.parent = { ...p.applySet.parent, name: 'x' }))).toEqual(['applySet.parent']);
    expect(field((p) => delete p.actions[0]!.desired)).toEqual(['actions.0.desired']);
    expect(field((p) => (p.actions[0]!.desired = { kind: 'ConfigMap' }))).toEqual(['actions.0.desired.metadata']);
    expect(field((p) => (p.actions[0]!.ref = { ...p.actions[0]!.ref, namespace: 'dev' }))).toEqual(['actions.0.desired']);
    expect(field((p) => (p.actions[0]!.desired = { ...desired, metadata: { ...desired.metadata, labels: {} } }))).toEqual(['actions.0.desired.metadata.labels']);
    // A delete needs no manifest.
    expect(field((p) => (p.actions[0] = { ref: create.ref, action: 'delete', changes: [] }))).toEqual([]);
  });

  it('is refused as a PlanFileError (a KiteError: exit 1) naming the file and the field', () => {
    let err: unknown;
    try {
      checkPlan(
        plan((p) => (p.stack = 'other')),
        'plan.json',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanFileError);
    expect(err).toBeInstanceOf(KiteError);
    expect(err).toMatchObject({ code: 'plan-file', path: 'plan.json', field: 'stack', name: 'PlanFileError' });
    expect((err as Error).message).toBe('plan.json: stack: "other" is not the stack the plan was made for (its ApplySet parent is default/Secret/kite-stack-shop): the file was edited');
  });
});
