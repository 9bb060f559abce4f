/**
 * The plan: data that `kite apply` consumes, `kite plan --out` saves and `--output json` prints.
 * The zod schema is the published contract (schema/plan-v1.schema.json is generated from it);
 * `formatVersion` changes only when a consumer would have to change.
 */
import { z } from 'zod';
import { formatObjectRef } from '../api/meta.ts';

export const PLAN_FORMAT_VERSION = 1;

export const ObjectRefSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/**
 * `adopt`: an object kite did not create, already as the program wants it, joins the stack (only
 * kite's bookkeeping is written). `move`: a member of another stack (`--adopt-from`) joins this
 * one, with any field changes. Both keep the object (its uid, its pods).
 */
export const ActionTypeSchema = z.enum(['create', 'update', 'delete', 'replace', 'no-op', 'adopt', 'move']);
export type ActionType = z.infer<typeof ActionTypeSchema>;

export const FieldChangeSchema = z.strictObject({
  /** Readable path; list items by their key: `spec.template.spec.containers[api].image`. */
  path: z.string(),
  op: z.enum(['add', 'change', 'remove']),
  /** The live value (absent for add). Secret values are replaced by "(sensitive)". */
  before: z.unknown().optional(),
  /** The value apply writes (absent for remove). */
  after: z.unknown().optional(),
  /**
   * Set when the live value is not what kite last applied: it was changed outside kite.
   * `lastApplied` is what kite had written; apply restores the program's value.
   */
  drift: z.strictObject({ lastApplied: z.unknown() }).optional(),
  /** The field cannot change in place: the object is replaced (deleted, then created). */
  forcesReplacement: z.boolean().optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const PlannedActionSchema = z.strictObject({
  ref: ObjectRefSchema,
  action: ActionTypeSchema,
  /** Field-level changes (update and replace; empty otherwise). */
  changes: z.array(FieldChangeSchema),
  /** Why, in a few words: `no longer in the program`, `spec.selector is immutable`. */
  reason: z.string().optional(),
  /**
   * With `no-op`: the object would be deleted (pruned, or by `kite destroy`) but is kept, `reason`
   * says why (a Namespace holding objects kite did not create; the inventory while one is kept).
   */
  kept: z.boolean().optional(),
  /** resourceVersion of the live object the plan was computed against. */
  liveResourceVersion: z.string().optional(),
  /**
   * Hash of that live object, its status and the server's bookkeeping left out (live-hash.ts):
   * apply refuses the plan if the object's resourceVersion moved and this changed.
   */
  liveHash: z.string().optional(),
  /** The manifest apply writes (create, update, replace; no-op too, so a saved plan can be re-checked), with kite's labels and annotations. */
  desired: z.record(z.string(), z.unknown()).optional(),
  /**
   * A ReplicaSet / ReplicationController update: how many of its running pods carry an older
   * template and are replaced by apply's rollout (lib/plan/rollout/); absent when none (or `--no-roll`).
   */
  rolls: z.number().int().optional(),
  /** With `move` (or a replace that moves it): the stack whose member the object was. */
  from: z.string().optional(),
});
export type PlannedAction = z.infer<typeof PlannedActionSchema>;

export const PlanSummarySchema = z.strictObject({
  add: z.number().int(),
  change: z.number().int(),
  replace: z.number().int(),
  destroy: z.number().int(),
  unchanged: z.number().int(),
  /** Objects whose only changes restore values changed outside kite. */
  drifted: z.number().int(),
  /** Objects that would be deleted but are kept (counted in `unchanged` too); absent when none. */
  kept: z.number().int().optional(),
  /** Objects kite did not create that join the stack unchanged (`adopt`); absent when none. */
  adopt: z.number().int().optional(),
  /** Members of another stack that move into this one (`move`); absent when none. */
  move: z.number().int().optional(),
});
export type PlanSummary = z.infer<typeof PlanSummarySchema>;

export const PlanSchema = z.strictObject({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  tool: z.strictObject({ name: z.literal('kite'), version: z.string() }),
  stack: z.string(),
  target: z.strictObject({ context: z.string(), server: z.string() }),
  createdAt: z.string(),
  /** The ApplySet (KEP-3659) that records the stack's members in the cluster. */
  applySet: z.strictObject({ id: z.string(), parent: ObjectRefSchema }),
  /** In apply order: namespaces, then Services and Endpoints, then workloads; deletions in reverse. */
  actions: z.array(PlannedActionSchema),
  summary: PlanSummarySchema,
});
export type Plan = z.infer<typeof PlanSchema>;

/** `prod/ReplicaSet/api` (or `Namespace/prod`): how objects are named in plans and messages. */
export const refId: (ref: ObjectRef) => string = formatObjectRef;

/** True if applying the plan would change anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.some((a) => a.action !== 'no-op');
}

/** The actions a reader must see: every change, and what is kept though it was to be deleted. */
export function shownActions(plan: Plan): PlannedAction[] {
  return plan.actions.filter((a) => a.action !== 'no-op' || a.kept);
}
