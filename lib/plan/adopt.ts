/**
 * Taking objects over without recreating them.
 *
 * Adoption: an object in the cluster that no stack of kite's has (created by kubectl, by hand, by
 * another tool) and that already is what the program wants — only kite's bookkeeping would be
 * written: the ApplySet part-of label, the `kite.dev/last-applied` record, the template-hash stamp
 * — is an `adopt` (Terraform's import), not an update. With real field changes it stays an update
 * (or replace) whose reason says kite takes it over.
 *
 * Moving (Terraform's `moved`, for stacks): a member of a stack named in `adoptFrom` that this
 * stack declares is a `move`; apply relabels it into this stack, so the other stack no longer sees
 * it (and never prunes it).
 */
import type { KubeObject } from '../api/meta.ts';
import { diffObject } from './diff.ts';
import { APPLYSET_PART_OF_LABEL, applySetFor, appliedByKite, LAST_APPLIED_ANNOTATION, lastAppliedOf, withoutLastApplied } from './inventory.ts';
import type { FieldChange } from './plan.ts';
import { isHashChange } from './rollout/plan-rolls.ts';
import { TEMPLATE_HASH_LABEL } from './rollout/template-hash.ts';

/** Why an object is adopted, as plans print it. */
export function reasonJoin(stack: string): string {
  return `exists, not created by kite: joins stack ${stack}; no changes`;
}

/** Why an object moves, as plans print it. */
export function reasonMove(from: string): string {
  return `from stack ${from}`;
}

/**
 * A change kite's own bookkeeping makes: which stack the object is in (the part-of label), what kite
 * applied (its record), which template it runs (the hash stamp). On an object with no labels (or
 * annotations) at all, the change is the whole map, holding only those.
 */
export function isBookkeeping(c: FieldChange): boolean {
  if (isPartOfChange(c) || isHashChange(c.path)) return true;
  if (c.op !== 'add' || !isPlainMap(c.after)) return false;
  const keys = Object.keys(c.after);
  if (c.path === 'metadata.labels') return keys.every((k) => k === APPLYSET_PART_OF_LABEL);
  if (c.path === 'spec.template.metadata.labels') return keys.every((k) => k === TEMPLATE_HASH_LABEL);
  if (c.path === 'metadata.annotations') return keys.every((k) => k === LAST_APPLIED_ANNOTATION);
  return false;
}

/** The stack label itself (moving changes it; adopting adds it). */
export function isPartOfChange(c: FieldChange): boolean {
  return c.path.startsWith('metadata.labels[') && c.path.includes(APPLYSET_PART_OF_LABEL);
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The changes a user must see: kite's bookkeeping left out. */
export function withoutBookkeeping(changes: readonly FieldChange[]): FieldChange[] {
  return changes.filter((c) => !isBookkeeping(c));
}

/** The stacks of `adoptFrom` by their ApplySet id (what a member's part-of label says); this stack itself left out. */
export function adoptableSets(stack: string, adoptFrom: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of adoptFrom ?? []) if (name !== stack) out.set(applySetFor(name).id, name);
  return out;
}

/**
 * The stack (of `sets`) whose member `live` is, if any: labelled part-of it and written by kite
 * (a controller's copy of a label is no membership: see inventory.ts isMember).
 */
export function movableFrom(live: KubeObject, sets: ReadonlyMap<string, string>): string | undefined {
  const id = live.metadata.labels?.[APPLYSET_PART_OF_LABEL];
  if (id === undefined || !appliedByKite(live)) return undefined;
  return sets.get(id);
}

export interface MovePlan {
  action: 'move' | 'replace';
  changes: FieldChange[];
  reason: string;
}

/**
 * A member of stack `from` that this stack declares: three-way diff against what kite applied
 * there (so drift reads as drift), the change of stack label aside.
 */
export function planMove(desired: KubeObject, live: KubeObject, from: string): MovePlan {
  const lastApplied = lastAppliedOf(live);
  const diff = diffObject({
    desired: withoutLastApplied(desired),
    ...(lastApplied ? { lastApplied: withoutLastApplied(lastApplied) } : {}),
    live: withoutLastApplied(live),
  });
  const changes = diff.changes.filter((c) => !isPartOfChange(c));
  if (diff.replace) return { action: 'replace', changes, reason: `${diff.reason ?? 'a field that cannot change in place changed'}; moves ${reasonMove(from)}` };
  return { action: 'move', changes, reason: reasonMove(from) };
}
