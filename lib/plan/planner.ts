/**
 * The planner: desired state (a stack's manifests) + what the cluster has → a Plan.
 *
 * Live objects are the stack's ApplySet members (read with one LIST per kind and namespace) plus
 * a lookup of each desired object that is not a member (a first apply, or an object kite did not
 * create, which kite then takes over). Each desired object is a create, an update, a replace or
 * a no-op according to the three-way diff (desired, last applied, live); an object kite did not
 * create that is already as wanted is an adopt, and a member of a stack named in `adoptFrom` a
 * move (adopt.ts); members no longer in the program are deleted. Nothing here writes.
 */
import type { KubeObject } from '../api/meta.ts';
import type { ApiResource, KubeClient } from '../kube/index.ts';
import type { StackManifests } from '../synth/manifest.ts';
import { adoptableSets, isBookkeeping, movableFrom, planMove, reasonJoin, withoutBookkeeping } from './adopt.ts';
import { diffObject } from './diff.ts';
import {
  APPLYSET_PART_OF_LABEL,
  ApplySetError,
  applySetFor,
  decorate,
  findParentOf,
  isMember,
  keyOf,
  LAST_APPLIED_ANNOTATION,
  lastAppliedOf,
  observe,
  readInventory,
  refOf,
  withoutLastApplied,
  type ApplySet,
  type Inventory,
} from './inventory.ts';
import { liveHash } from './live-hash.ts';
import { isHashChange, planRollouts } from './rollout/plan-rolls.ts';
import { stampedHash, stampTemplateHash, stampTemplateHashAs } from './rollout/template-hash.ts';
import { mapLimit, orderActions, orderDeletes } from './order.ts';
import {
  PLAN_FORMAT_VERSION,
  refId,
  type ActionType,
  type FieldChange,
  type ObjectRef,
  type Plan,
  type PlannedAction,
  type PlanSummary,
} from './plan.ts';

export interface PlanOptions {
  /** The kubeconfig context and server, recorded in the plan (a saved plan is applied only there). */
  context: string;
  server: string;
  /** kite's version, recorded in the plan and on the ApplySet parent. */
  toolVersion: string;
  /** When the plan is made (default: now). */
  now?: Date;
  /**
   * Record a hash of each live object (default true): what apply checks a plan against. Hashing
   * every object costs a third of planning, so a plan that is only shown as text goes without.
   */
  liveHashes?: boolean;
  /** The stack's inventory, if it is already being read (while the program's objects were validated). */
  inventory?: Promise<Inventory> | undefined;
  /** Objects already planned against that inventory, by manifest object (plan-ahead.ts). */
  planned?: ReadonlyMap<KubeObject, PlannedObject> | undefined;
  /** `--no-roll`: do not count the pods a rollout would replace (nor continue an unfinished one). */
  noRoll?: boolean;
  /** `--adopt-from`: stacks whose members this one takes over where it declares them (with the stack's own `adoptFrom`). */
  adoptFrom?: readonly string[];
}

/** Reasons, as plans print them. */
export const REASON_ADOPT = 'exists, not created by kite: kite takes it over';
export const REASON_PRUNE = 'no longer in the program';
export const REASON_DRIFT = 'changed outside kite: kite restores it';
export const REASON_DESTROY = 'kite destroy';
export const REASON_PARENT = "the stack's inventory (ApplySet parent), removed last";

/** What one desired object needs, given what is live. */
export interface ObjectPlan {
  action: ActionType;
  changes: FieldChange[];
  reason?: string;
  /** A no-op that was to be a deletion (see PlannedAction.kept). */
  kept?: boolean;
}

/**
 * One object's action: `desired` is the decorated manifest, `live` the object in the cluster (if
 * any). Used by the planner, and by apply to check that a saved plan still holds.
 */
export function planObject(desired: KubeObject, live: KubeObject | undefined, applySet: ApplySet): ObjectPlan {
  if (!live) return { action: 'create', changes: [] };
  const member = isMember(live, applySet);
  const want = withoutLastApplied(desired);
  const lastApplied = !member ? undefined : sameRecord(desired, live) ? want : lastAppliedOf(live);
  const diff = diffObject({
    desired: want,
    ...(lastApplied ? { lastApplied: lastApplied === want ? want : withoutLastApplied(lastApplied) } : {}),
    // The walk follows the program's keys, so the live record is never visited, except in the
    // live annotations shown whole when the program has none left: only then is a copy needed.
    live: want.metadata.annotations === undefined ? withoutLastApplied(live) : live,
  });
  if (diff.replace) {
    const why = diff.reason ?? 'a field that cannot change in place changed';
    return { action: 'replace', changes: diff.changes, reason: member ? why : `${why}; ${REASON_ADOPT}` };
  }
  if (!member) {
    // Only kite's bookkeeping differs: the object joins the stack as it is.
    if (withoutBookkeeping(diff.changes).length === 0) return { action: 'adopt', changes: [], reason: reasonJoin(applySet.stack) };
    // The stack label and kite's record are said by the reason; the template stamp stays for plan-rolls.ts.
    return { action: 'update', changes: diff.changes.filter((c) => !isBookkeeping(c) || isHashChange(c.path)), reason: REASON_ADOPT };
  }
  if (diff.changes.length === 0) return { action: 'no-op', changes: [] };
  return isDriftOnly(diff.changes) ? { action: 'update', changes: diff.changes, reason: REASON_DRIFT } : { action: 'update', changes: diff.changes };
}

/**
 * The live object's last-applied record is the very text the desired object carries: kite last
 * applied what the program wants now (the usual re-plan), so the record need not be parsed.
 */
function sameRecord(desired: KubeObject, live: KubeObject): boolean {
  const record = desired.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  return record !== undefined && record === live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
}

/** Every change only restores a value changed outside kite. */
export function isDriftOnly(changes: readonly FieldChange[]): boolean {
  return changes.length > 0 && changes.every((c) => c.drift !== undefined);
}

/** A desired object planned against a live one. */
export interface PlannedObject {
  desired: DesiredObject;
  live: KubeObject;
  plan: ObjectPlan;
}

export interface DesiredObject {
  ref: ObjectRef;
  /** The decorated manifest: ApplySet label and last-applied record added, namespace defaulted. */
  object: KubeObject;
}

/**
 * The stack's manifests as kite applies them (see prepareObject). Throws if one object is declared
 * twice. `ahead`: objects already prepared, by their manifest object.
 */
export async function prepareDesired(
  objects: readonly KubeObject[],
  client: KubeClient,
  applySet: ApplySet,
  ahead?: ReadonlyMap<KubeObject, PlannedObject>,
  /** The live object at a reference, if known (prepareObject). */
  liveOf?: (ref: ObjectRef) => KubeObject | undefined,
): Promise<DesiredObject[]> {
  const out: DesiredObject[] = [];
  const seen = new Set<string>();
  for (const original of objects) {
    let d = ahead?.get(original)?.desired;
    if (!d) {
      const r = client.knownResource(original);
      d = r ? prepareWith(original, r, client, applySet, liveOf) : await prepareObject(original, client, applySet, liveOf);
    }
    const key = keyOf(d.ref);
    if (seen.has(key)) throw new ApplySetError(`${refId(d.ref)} is declared twice in stack ${applySet.stack}`);
    seen.add(key);
    out.push(d);
  }
  return out;
}

/**
 * One manifest as kite applies it: a namespaced object without a namespace goes to the context's
 * namespace (as kubectl does), a cluster-scoped one loses any namespace; then decorated.
 */
export async function prepareObject(
  original: KubeObject,
  client: KubeClient,
  applySet: ApplySet,
  /** The live object at this reference, if known: spares hashing a template kite applied as it is. */
  liveOf?: (ref: ObjectRef) => KubeObject | undefined,
): Promise<DesiredObject> {
  const r = client.knownResource(original) ?? (await client.resourceFor(original));
  return prepareWith(original, r, client, applySet, liveOf);
}

/** prepareObject once the object's resource is known: nothing to wait for, once per object of a plan. */
export function prepareWith(
  original: KubeObject,
  r: ApiResource,
  client: KubeClient,
  applySet: ApplySet,
  liveOf?: (ref: ObjectRef) => KubeObject | undefined,
): DesiredObject {
  let obj = withoutServerFields(original);
  if (r.namespaced && !obj.metadata.namespace) obj = { ...obj, metadata: { ...obj.metadata, namespace: client.target.namespace || 'default' } };
  if (!r.namespaced && obj.metadata.namespace !== undefined) {
    const { namespace: _dropped, ...metadata } = obj.metadata;
    obj = { ...obj, metadata };
  }
  const live = liveOf?.(refOf(obj));
  // Before decorating, so the last-applied record has the hash too and a re-plan sees no change.
  const decorated = (live && decorateAsRecorded(obj, live, applySet)) ?? decorate(stampTemplateHash(obj), applySet);
  return { ref: refOf(decorated), object: decorated };
}

/**
 * The object stamped with the live object's template hash and decorated, if that gives exactly
 * the record kite left on the live object (the usual re-plan of an unchanged object). The record
 * is what kite applied, stamped with the hash of its own template; the same text means the same
 * template, so the hash is this template's too, without hashing it again (a canonical JSON and a
 * SHA-256 per ReplicaSet: a sixth of planning at thousands of objects). Anything else: undefined.
 */
function decorateAsRecorded(obj: KubeObject, live: KubeObject, applySet: ApplySet): KubeObject | undefined {
  const hash = stampedHash(live);
  const record = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (hash === undefined || record === undefined || live.apiVersion !== obj.apiVersion) return undefined;
  const decorated = decorate(stampTemplateHashAs(obj, hash), applySet);
  return decorated.metadata.annotations?.[LAST_APPLIED_ANNOTATION] === record ? decorated : undefined;
}

/** Metadata the server sets: meaningless in a desired manifest (one copied from `kubectl get -o yaml`), and refused in a write. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'managedFields'] as const;

function withoutServerFields(obj: KubeObject): KubeObject {
  if (!SERVER_METADATA.some((f) => obj.metadata[f] !== undefined)) return obj;
  const metadata = { ...obj.metadata };
  for (const f of SERVER_METADATA) delete metadata[f];
  return { ...obj, metadata };
}

/** The plan for a stack: what apply would do to make the cluster match it. */
export async function planStack(stack: StackManifests, client: KubeClient, opts: PlanOptions): Promise<Plan> {
  const applySet = applySetFor(stack.name);
  const hashes = opts.liveHashes ?? true;
  const objects = stack.manifests.map((m) => m.object);
  // The inventory first: an unchanged ReplicaSet's template hash comes from its live object (prepareObject).
  const reading = opts.inventory ?? readInventory(client, applySet);
  const members = await reading.then(
    (inv) => inv.members,
    () => [], // reported below, after the stack's own errors (an object declared twice)
  );
  let byKey: Map<string, KubeObject> | undefined;
  const liveOf = (ref: ObjectRef) => (byKey ??= new Map(members.map((m) => [keyOf(refOf(m)), m]))).get(keyOf(ref));
  const desired = await prepareDesired(objects, client, applySet, opts.planned, liveOf);
  const inventory = await reading;
  const live = await observe(
    client,
    inventory,
    desired.map((d) => d.ref),
  );

  const actions: PlannedAction[] = [];
  const foreign: Array<{ ref: ObjectRef; id: string }> = [];
  const movable = adoptableSets(stack.name, [...(stack.adoptFrom ?? []), ...(opts.adoptFrom ?? [])]);
  for (const [i, d] of desired.entries()) {
    const l = live.get(keyOf(d.ref));
    const otherSet = l?.metadata.labels?.[APPLYSET_PART_OF_LABEL];
    if (l && otherSet && otherSet !== applySet.id) {
      const from = movableFrom(l, movable);
      if (from !== undefined) {
        actions.push({ ...action(d.ref, planMove(d.object, l, from), l, hashes, d.object), from });
        continue;
      }
      foreign.push({ ref: d.ref, id: otherSet });
      continue;
    }
    const ahead = opts.planned?.get(objects[i]!);
    const p = ahead && ahead.live === l ? ahead.plan : planObject(d.object, l, applySet);
    actions.push(action(d.ref, p, l, hashes, d.object));
  }
  if (foreign.length > 0) throw await foreignError(client, applySet, foreign);

  const wanted = new Set(desired.map((d) => keyOf(d.ref)));
  const gone = inventory.members.filter((m) => !wanted.has(keyOf(refOf(m))) && !m.metadata.deletionTimestamp);
  actions.push(...(await deletions(client, applySet, gone, REASON_PRUNE, hashes)));
  if (!opts.noRoll) await planRollouts(client, actions, live);
  return makePlan(applySet, orderActions(actions), opts);
}

/** The plan for `kite destroy`: every member deleted, in reverse order, then the ApplySet parent. */
export async function planDestroy(stackName: string, client: KubeClient, opts: PlanOptions): Promise<Plan> {
  const applySet = applySetFor(stackName);
  const hashes = opts.liveHashes ?? true;
  const inventory = await readInventory(client, applySet);
  const members = inventory.members.filter((m) => !m.metadata.deletionTimestamp);
  const actions = orderActions(await deletions(client, applySet, members, REASON_DESTROY, hashes));
  // The parent goes last, unless a member is kept: then the stack still has it, and a later destroy finds it.
  const kept = actions.filter((a) => a.kept).map((a) => refId(a.ref));
  if (inventory.parent) {
    const p: ObjectPlan =
      kept.length === 0
        ? { action: 'delete', changes: [], reason: REASON_PARENT }
        : { action: 'no-op', changes: [], kept: true, reason: `the stack's inventory (ApplySet parent), kept with ${listed(kept, kept.length)}` };
    actions.push(action(applySet.parent, p, inventory.parent, hashes));
  }
  return makePlan(applySet, actions, opts);
}

/**
 * Deletions of these members, in reverse order — except a Namespace that holds objects kite did
 * not create (deleting it would delete them): it is kept, as a no-op saying why.
 */
async function deletions(client: KubeClient, applySet: ApplySet, members: readonly KubeObject[], reason: string, hashes: boolean): Promise<PlannedAction[]> {
  const out: PlannedAction[] = [];
  for (const m of orderDeletes(members.map((o) => ({ ref: refOf(o), o })))) {
    const foreign = m.ref.kind === 'Namespace' && m.ref.apiVersion === 'v1' ? await foreignContent(client, m.ref.name, applySet) : [];
    if (foreign.length === 0) {
      out.push(action(m.ref, { action: 'delete', changes: [], reason }, m.o, hashes));
      continue;
    }
    const n = `${foreign.length} ${foreign.length === 1 ? 'object' : 'objects'}`;
    const why = `it holds ${n} kite did not create: ${listed(foreign.map(refId), FOREIGN_SHOWN)}; deleting it would delete them`;
    out.push(action(m.ref, { action: 'no-op', changes: [], kept: true, reason: why }, m.o, hashes));
  }
  return out;
}

const FOREIGN_SHOWN = 3;

/** `a, b, c, and 2 more`: the first `shown` of the list. */
function listed(items: readonly string[], shown: number): string {
  return items.slice(0, shown).join(', ') + (items.length > shown ? `, and ${items.length - shown} more` : '');
}

/**
 * Objects in a namespace that this stack did not create and that no controller made on behalf of
 * something (ownerReferences, Events, Endpoints/EndpointSlices of Services, the default
 * ServiceAccount and root CA ConfigMap): what deleting the namespace would destroy.
 */
export async function foreignContent(client: KubeClient, namespace: string, applySet: ApplySet): Promise<ObjectRef[]> {
  const table = await client.discover();
  const seen = new Set<string>();
  const kinds = table.resources.filter((r) => {
    if (!r.namespaced || !r.verbs.includes('list') || !r.preferred || AUTOMATIC_GROUPS.has(r.group)) return false;
    if (seen.has(r.kind)) return false; // one version of a kind (extensions/v1beta1 ReplicaSet is apps/v1's)
    seen.add(r.kind);
    return !AUTOMATIC_KINDS.has(r.kind);
  });
  const found = await mapLimit(kinds, 16, async (r) => {
    try {
      const list = await client.list<KubeObject>(
        { apiVersion: r.apiVersion, kind: r.kind, plural: r.plural, namespaced: true },
        { namespace, labelSelector: `${APPLYSET_PART_OF_LABEL}!=${applySet.id}`, limit: 100 },
      );
      return list.items.filter((o) => !isAutomatic(r.kind, o)).map((o) => ({ apiVersion: r.apiVersion, kind: r.kind, namespace, name: o.metadata.name ?? '' }));
    } catch {
      return []; // not allowed to list it: nothing known
    }
  });
  return found.flat();
}

const AUTOMATIC_KINDS = new Set(['Event', 'EndpointSlice']);
/** Read-only views of other objects (pod metrics), not objects anyone created. */
const AUTOMATIC_GROUPS = new Set(['metrics.k8s.io']);

function isAutomatic(kind: string, o: KubeObject): boolean {
  const m = o.metadata;
  if ((m.ownerReferences?.length ?? 0) > 0) return true;
  if (kind === 'Endpoints') return m.labels?.['endpoints.kubernetes.io/managed-by'] !== undefined || m.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] !== undefined;
  if (kind === 'ServiceAccount') return m.name === 'default';
  if (kind === 'ConfigMap') return m.name === 'kube-root-ca.crt';
  if (kind === 'Secret') return (o as { type?: unknown }).type === 'kubernetes.io/service-account-token';
  return false;
}

function action(ref: ObjectRef, p: ObjectPlan, live: KubeObject | undefined, hash: boolean, desired?: KubeObject): PlannedAction {
  const a: PlannedAction = { ref, action: p.action, changes: p.changes };
  if (p.reason) a.reason = p.reason;
  if (p.kept) a.kept = true;
  if (live?.metadata.resourceVersion) a.liveResourceVersion = live.metadata.resourceVersion;
  if (live && hash) a.liveHash = liveHash(live);
  if (desired && p.action !== 'delete') a.desired = desired as unknown as Record<string, unknown>;
  return a;
}

function makePlan(applySet: ApplySet, actions: PlannedAction[], opts: PlanOptions): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: { name: 'kite', version: opts.toolVersion },
    stack: applySet.stack,
    target: { context: opts.context, server: opts.server },
    createdAt: (opts.now ?? new Date()).toISOString(),
    applySet: { id: applySet.id, parent: applySet.parent },
    actions,
    summary: summarize(actions),
  };
}

/** Terraform's counts, plus unchanged, drift-only updates and kept objects. */
export function summarize(actions: readonly PlannedAction[]): PlanSummary {
  const s: PlanSummary = { add: 0, change: 0, replace: 0, destroy: 0, unchanged: 0, drifted: 0 };
  for (const a of actions) {
    if (a.kept) s.kept = (s.kept ?? 0) + 1;
    if (a.action === 'create') s.add++;
    else if (a.action === 'replace') s.replace++;
    else if (a.action === 'delete') s.destroy++;
    else if (a.action === 'no-op') s.unchanged++;
    else if (a.action === 'adopt') s.adopt = (s.adopt ?? 0) + 1;
    else if (a.action === 'move') s.move = (s.move ?? 0) + 1;
    else if (a.reason !== REASON_ADOPT && isDriftOnly(a.changes)) s.drifted++;
    else s.change++;
  }
  return s;
}

async function foreignError(client: KubeClient, applySet: ApplySet, foreign: Array<{ ref: ObjectRef; id: string }>): Promise<ApplySetError> {
  const lines: string[] = [];
  for (const f of foreign) {
    const owner = (await findParentOf(client, f.id)) ?? `ApplySet ${f.id}`;
    lines.push(`${refId(f.ref)} belongs to ${owner}`);
  }
  return new ApplySetError(
    `stack ${applySet.stack} declares objects another ApplySet manages: ${lines.join('; ')}. Remove them from one of the two, or move them into stack ${applySet.stack} with --adopt-from (or Stack({ adoptFrom }))`,
  );
}
