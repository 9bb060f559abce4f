/**
 * Apply: carries out a plan, exactly, in its order.
 *
 *  1. Refuses a plan that replaces objects unless `allowReplace` (nothing written).
 *  2. Checks the plan still holds (nothing written): every object it acts on is as it was when
 *     planned, and nothing joined the stack since. An object whose resourceVersion moved only
 *     because its status changed (a ReplicaSet counting ready pods) still holds; any other change
 *     — a field the plan changes, an annotation someone added — does not (live-hash.ts): a
 *     StalePlanError names the object and both versions.
 *  3. Widens the ApplySet parent to every group-kind and namespace of the objects written and of
 *     those about to be deleted (KEP-3659: widen first, narrow after pruning).
 *  4. In plan order, rank by rank, the writes of one rank in parallel (at most `concurrency` in
 *     flight; write-batches.ts): create → server-side apply (field manager `kite`, no force: a
 *     concurrent creator's conflicting fields make it a stale plan); update → server-side apply with force
 *     (kite owns what it declares; drift is restored) carrying the planned resourceVersion as a
 *     precondition; replace → DELETE (resourceVersion precondition, Foreground), wait until gone,
 *     then create; delete → DELETE (resourceVersion precondition, Background); adopt and move
 *     → as update (the object keeps its uid; an adopted RS/RC's running pods get the template
 *     stamp, they are not replaced). A precondition
 *     that fails on an object that changed only in status is retried at the new version.
 *  5. Narrows the parent to what the stack now has (or, for `kite destroy`, deletes it last).
 *
 * A failed write stops the run once the rest of its rank is done (each write of a rank is carried
 * out and reported): the result says what was applied, what failed, and what was not attempted, in
 * plan order. Errors before anything is written (refusal, stale plan, a foreign ApplySet parent)
 * are thrown instead. The `signal` (the caller's deadline, an interrupt, a lost lock) stops the
 * run too: no write starts after it, the wait for a replaced object to be gone ends, and the
 * result carries its reason as `stopped`. A write in flight is not cut off (each is one request).
 */
import type { KubeObject } from '../api/meta.ts';
import { KiteError } from '../errors.ts';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../kube/index.ts';
import {
  FIELD_MANAGER,
  applySetFor,
  isMember,
  keyOf,
  observe,
  readInventory,
  refOf,
  stateFor,
  widen,
  writeParent,
  type ApplySet,
  type Inventory,
  type ParentState,
} from './inventory.ts';
import { checkPlan, PlanFileError } from './plan-file.ts';
import { waitDeleted } from './deletion-wait.ts';
import { stopReason } from './stop.ts';
import { DEFAULT_APPLY_CONCURRENCY, runBatch, writeBatches } from './write-batches.ts';
import { liveHash } from './live-hash.ts';
import { writeAndRoll } from './rollout/apply-roll.ts';
import { refId, type ActionType, type ObjectRef, type Plan, type PlannedAction } from './plan.ts';

export interface ApplyOptions {
  /** Carry out `replace` actions (delete, then create); without it a plan with one is refused. */
  allowReplace?: boolean;
  /** Progress, as it happens. */
  onEvent?: (event: ApplyEvent) => void;
  /** Stops the run (see above); its reason becomes the result's `stopped`. */
  signal?: AbortSignal;
  /** Writes in flight at once within one rank (default DEFAULT_APPLY_CONCURRENCY). */
  concurrency?: number;
  /** `--no-roll`: ReplicaSets / ReplicationControllers are written, their pods left as they are (rollout/). */
  noRoll?: boolean;
}

export type ApplyEvent =
  /** Checking the plan against the cluster. */
  | { type: 'check'; total: number }
  /** An action begins (`index` counts the actions that write, from 0). */
  | { type: 'start'; ref: ObjectRef; action: ActionType; index: number; total: number }
  /** A replaced object is being deleted; apply waits until it is gone, and says for what (deletion-wait.ts). */
  | { type: 'waiting'; ref: ObjectRef; action: ActionType; message: string }
  | { type: 'done'; ref: ObjectRef; action: ActionType; index: number; total: number; resourceVersion?: string; elapsedMs: number }
  | { type: 'failed'; ref: ObjectRef; action: ActionType; error: Error }
  /** The ApplySet parent: widened before, narrowed after, deleted by destroy; `written` false if it was already current. */
  | { type: 'inventory'; phase: 'widen' | 'narrow' | 'delete'; ref: ObjectRef; written: boolean };

export interface ActionResult {
  ref: ObjectRef;
  action: ActionType;
  /** The object's resourceVersion after the write (absent for deletions). */
  resourceVersion?: string;
  elapsedMs: number;
}

export interface ApplyResult {
  /** Actions carried out, in order. */
  applied: ActionResult[];
  /** The first action (in plan order) or inventory write that failed; the run stopped after its rank. */
  failed?: { ref: ObjectRef; action?: ActionType; error: Error };
  /** Every action that failed, in plan order (the first is `failed`); absent if none did. */
  failures?: Array<{ ref: ObjectRef; action: ActionType; error: Error }>;
  /** Actions not attempted because of the failure or the stop. */
  skipped: ObjectRef[];
  /** The signal stopped the run early: its reason (deadline, interrupt, lost lock). */
  stopped?: Error;
  /** No-op actions (nothing to write). */
  unchanged: ObjectRef[];
}

/** One object the saved plan no longer describes. */
export interface StaleObject {
  ref: ObjectRef;
  /** changed: not as planned; created/deleted: (dis)appeared; joined: a new member of the stack; left: no longer a member. */
  what: 'changed' | 'created' | 'deleted' | 'joined' | 'left';
  /** The resourceVersion the plan was made against. */
  plannedResourceVersion?: string;
  /** The resourceVersion now. */
  liveResourceVersion?: string;
}

/** The cluster changed since the plan was made: planning again is needed. */
export class StalePlanError extends KiteError {
  constructor(readonly objects: StaleObject[]) {
    const [first, ...rest] = objects;
    const more = rest.length === 0 ? '' : `; also ${rest.slice(0, 5).map(describeStale).join('; ')}${rest.length > 5 ? `; and ${rest.length - 5} more` : ''}`;
    super(`stale plan: ${first ? describeStale(first) : 'the cluster changed since the plan was made'}${more}; run kite plan again`, {
      code: 'stale-plan',
      ...(first ? { object: refId(first.ref) } : {}),
    });
  }
}

function describeStale(s: StaleObject): string {
  const id = refId(s.ref);
  switch (s.what) {
    case 'changed':
      return `${id} changed since the plan was made (resourceVersion ${s.plannedResourceVersion ?? '?'}, now ${s.liveResourceVersion ?? '?'})`;
    case 'created':
      return `${id} was created since the plan was made (resourceVersion ${s.liveResourceVersion ?? '?'})`;
    case 'deleted':
      return `${id} was deleted since the plan was made (resourceVersion ${s.plannedResourceVersion ?? '?'})`;
    case 'joined':
      return `${id} joined the stack since the plan was made (resourceVersion ${s.liveResourceVersion ?? '?'})`;
    case 'left':
      return `${id} no longer belongs to the stack (resourceVersion ${s.plannedResourceVersion ?? '?'}, now ${s.liveResourceVersion ?? '?'})`;
  }
}

/** The plan replaces objects and the caller did not allow it (the one wording of this refusal). */
export class ReplaceNotAllowedError extends KiteError {
  constructor(readonly actions: PlannedAction[]) {
    const list = actions.map((a) => `${refId(a.ref)} (${a.reason ?? 'a field that cannot change in place'})`).join(', ');
    const one = actions.length === 1;
    super(`the plan replaces ${list}: deleting and recreating ${one ? 'it loses its' : 'them loses their'} live state; apply with --allow-replace to do it`, {
      code: 'replace-not-allowed',
      ...(one ? { object: refId(actions[0]!.ref) } : {}),
    });
  }
}

/** Refuses, before anything is written, a plan that replaces objects unless they may be. */
export function refuseReplace(plan: Plan, allowReplace: boolean | undefined): void {
  const replaced = plan.actions.filter((a) => a.action === 'replace');
  if (replaced.length > 0 && !allowReplace) throw new ReplaceNotAllowedError(replaced);
}

/** Retries of a write whose precondition failed on an object that changed only in status. */
const PRECONDITION_RETRIES = 5;

export async function applyPlan(plan: Plan, client: KubeClient, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const emit = (e: ApplyEvent) => {
    try {
      opts.onEvent?.(e);
    } catch {
      /* a progress printer must not stop an apply halfway */
    }
  };
  checkPlan(plan);
  const applySet = applySetFor(plan.stack);
  refuseReplace(plan, opts.allowReplace);

  const isParent = (ref: ObjectRef) => keyOf(ref) === keyOf(applySet.parent);
  const objectActions = plan.actions.filter((a) => !isParent(a.ref));
  const parentDelete = plan.actions.find((a) => isParent(a.ref) && a.action === 'delete');

  emit({ type: 'check', total: objectActions.length });
  const { inventory, live } = await check(client, applySet, objectActions);
  /** The resourceVersion each write must find (the planned one, or a newer one that changed only in status). */
  const expected = new Map<string, string>();
  for (const a of objectActions) {
    const rv = live.get(keyOf(a.ref))?.metadata.resourceVersion;
    if (rv) expected.set(keyOf(a.ref), rv);
  }

  const result: ApplyResult = { applied: [], skipped: [], unchanged: objectActions.filter((a) => a.action === 'no-op').map((a) => a.ref) };
  const writes = objectActions.filter((a) => a.action !== 'no-op');
  // Members of kinds the server no longer serves cannot be seen (nor pruned): their record stays.
  const keep: ParentState = { groupKinds: inventory.unavailable, namespaces: inventory.unavailable.length > 0 ? inventory.state.namespaces : [] };
  const after = widen(stateFor(writes.filter((a) => a.action !== 'delete').map((a) => a.ref).concat(result.unchanged)), keep);
  const during = widen(after, stateFor(writes.filter((a) => a.action === 'delete').map((a) => a.ref)));

  // Widen (or create) the parent before the first member is written. Nothing was written yet if it fails.
  let parent = inventory.parent;
  if (!parentDelete && (writes.length > 0 || result.unchanged.length > 0)) {
    const w = await writeParent(client, applySet, during, { toolVersion: plan.tool.version, current: parent });
    parent = w.parent;
    emit({ type: 'inventory', phase: 'widen', ref: applySet.parent, written: w.written });
  }

  const signal = opts.signal;
  const ctx: RunContext = { client, applySet, expected, emit, noRoll: !!opts.noRoll, ...(signal ? { signal } : {}) };
  const stopped = await writeAll(ctx, writes, opts.concurrency ?? DEFAULT_APPLY_CONCURRENCY, result);
  if (stopped) {
    if (parentDelete) result.skipped.push(parentDelete.ref);
    return result;
  }

  try {
    if (parentDelete) {
      const started = Date.now();
      if (parent) await deleteParent(client, applySet, parent);
      result.applied.push({ ref: parentDelete.ref, action: 'delete', elapsedMs: Date.now() - started });
      emit({ type: 'inventory', phase: 'delete', ref: applySet.parent, written: !!parent });
    } else if (parent) {
      const w = await writeParent(client, applySet, after, { toolVersion: plan.tool.version, current: parent });
      emit({ type: 'inventory', phase: 'narrow', ref: applySet.parent, written: w.written });
    }
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    result.failed = { ref: applySet.parent, ...(parentDelete ? { action: 'delete' as const } : {}), error };
    emit({ type: 'failed', ref: applySet.parent, action: parentDelete ? 'delete' : 'update', error });
  }
  return result;
}

// ---- the write loop --------------------------------------------------------------------------

/**
 * Writes `writes` batch by batch (write-batches.ts), each batch's writes in parallel. A failure
 * lets the rest of its batch finish, then stops the run; the signal stops it before the next write
 * starts. Fills `result` (applied and failures in plan order, skipped); true if the run stopped.
 */
async function writeAll(ctx: RunContext, writes: PlannedAction[], concurrency: number, result: ApplyResult): Promise<boolean> {
  const { signal, emit } = ctx;
  const batches = writeBatches(writes);
  let index = 0;
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    const first = index;
    index += batch.length;
    const outcomes = await runBatch(
      batch.map((a, i) => ({ a, i: first + i })),
      concurrency,
      () => signal?.aborted === true,
      async ({ a, i }) => {
        const started = Date.now();
        emit({ type: 'start', ref: a.ref, action: a.action, index: i, total: writes.length });
        try {
          const rv = await run(ctx, a);
          const r: ActionResult = { ref: a.ref, action: a.action, elapsedMs: Date.now() - started, ...(rv ? { resourceVersion: rv } : {}) };
          emit({ type: 'done', ref: a.ref, action: a.action, index: i, total: writes.length, ...(rv ? { resourceVersion: rv } : {}), elapsedMs: r.elapsedMs });
          return r;
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          emit({ type: 'failed', ref: a.ref, action: a.action, error });
          throw error;
        }
      },
    );
    // In the plan's order, whatever order they finished in.
    outcomes.forEach((o, i) => {
      const a = batch[i]!;
      if (o.status === 'done') result.applied.push(o.value);
      else if (o.status === 'failed') {
        const failure = { ref: a.ref, action: a.action, error: o.error };
        result.failed ??= failure;
        (result.failures ??= []).push(failure);
      } else result.skipped.push(a.ref);
    });
    if (result.failed || signal?.aborted) {
      result.skipped.push(...batches.slice(b + 1).flatMap((rest) => rest.map((a) => a.ref)));
      if (signal?.aborted) result.stopped = stopReason(signal);
      return true;
    }
  }
  return false;
}

// ---- the staleness check ---------------------------------------------------------------------

/** Reads the stack's members and the plan's objects; throws StalePlanError if the plan no longer holds. */
async function check(client: KubeClient, applySet: ApplySet, actions: PlannedAction[]): Promise<{ inventory: Inventory; live: Map<string, KubeObject> }> {
  const inventory = await readInventory(client, applySet);
  const live = await observe(
    client,
    inventory,
    actions.map((a) => a.ref),
  );
  const stale: StaleObject[] = [];
  const planned = new Set(actions.map((a) => keyOf(a.ref)));
  for (const m of inventory.members) {
    if (planned.has(keyOf(refOf(m))) || m.metadata.deletionTimestamp) continue;
    stale.push({ ref: refOf(m), what: 'joined', ...rv('liveResourceVersion', m.metadata.resourceVersion) });
  }
  for (const a of actions) {
    const l = live.get(keyOf(a.ref));
    const s = staleness(a, l, applySet);
    if (s) stale.push(s);
  }
  if (stale.length > 0) throw new StalePlanError(stale);
  return { inventory, live };
}

/** Whether one planned action still holds against the object as it is now. */
function staleness(a: PlannedAction, l: KubeObject | undefined, applySet: ApplySet): StaleObject | undefined {
  const base = { ref: a.ref, ...rv('plannedResourceVersion', a.liveResourceVersion), ...rv('liveResourceVersion', l?.metadata.resourceVersion) };
  if (a.action === 'create') return l ? { ...base, what: 'created' } : undefined;
  if (!l) return { ...base, what: 'deleted' };
  if (a.action === 'delete' && !isMember(l, applySet)) return { ...base, what: 'left' };
  return unchanged(a, l) ? undefined : { ...base, what: 'changed' };
}

/** The object is as the plan saw it: the same resourceVersion, or one that moved only with its status. */
function unchanged(a: PlannedAction, live: KubeObject): boolean {
  if (live.metadata.resourceVersion === a.liveResourceVersion) return true;
  return a.liveHash !== undefined && a.liveHash === liveHash(live);
}

function rv<K extends string>(key: K, value: string | undefined): { [k in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: string };
}

function desiredOf(a: PlannedAction): KubeObject {
  if (!a.desired) throw new PlanFileError(`the plan's ${a.action} of ${refId(a.ref)} has no desired manifest: the plan file is incomplete`);
  return a.desired as unknown as KubeObject;
}

// ---- the writes ------------------------------------------------------------------------------

interface RunContext {
  client: KubeClient;
  applySet: ApplySet;
  expected: Map<string, string>;
  emit: (e: ApplyEvent) => void;
  signal?: AbortSignal;
  noRoll: boolean;
}

/** Carries out one action; returns the new resourceVersion (writes) or undefined (deletions). */
async function run(ctx: RunContext, a: PlannedAction): Promise<string | undefined> {
  switch (a.action) {
    case 'create':
      return create(ctx, a);
    case 'update':
    case 'adopt': // kite's bookkeeping only; the stamp labels the running pods, nothing rolls
    case 'move':
      return writeAndRoll(ctx.client, a, () => update(ctx, a), {
        noRoll: ctx.noRoll,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (message) => ctx.emit({ type: 'waiting', ref: a.ref, action: a.action, message }),
      });
    case 'replace': {
      const uid = await remove(ctx, a, 'Foreground');
      try {
        await waitDeleted(ctx.client, a.ref, uid, {
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onWaiting: (message) => ctx.emit({ type: 'waiting', ref: a.ref, action: a.action, message }),
        });
      } catch (e) {
        throw new Error(`${(e as Error).message}; ${refId(a.ref)} was deleted but not created again`, { cause: e });
      }
      return create(ctx, a);
    }
    case 'delete':
      await remove(ctx, a, 'Background');
      return undefined;
    case 'no-op':
      return undefined;
  }
}

async function create(ctx: RunContext, a: PlannedAction): Promise<string | undefined> {
  const desired = desiredOf(a);
  const { resourceVersion: _none, ...metadata } = desired.metadata;
  try {
    // Server-side apply (not POST), so that kite's field manager owns the fields as an applier
    // and a later apply that drops a field removes it.
    const obj = await ctx.client.patch<KubeObject>(a.ref, a.ref.namespace, a.ref.name, 'apply', { ...desired, metadata }, { fieldManager: FIELD_MANAGER, force: false });
    return obj.metadata.resourceVersion;
  } catch (e) {
    if (!isConflict(e) && !isAlreadyExists(e)) throw e;
    const now = await ctx.client.get<KubeObject>(a.ref, a.ref.namespace, a.ref.name).catch(() => undefined);
    throw new StalePlanError([{ ref: a.ref, what: 'created', ...rv('liveResourceVersion', now?.metadata.resourceVersion) }]);
  }
}

async function update(ctx: RunContext, a: PlannedAction): Promise<string | undefined> {
  const desired = desiredOf(a);
  const key = keyOf(a.ref);
  for (let attempt = 0; ; attempt++) {
    const expected = ctx.expected.get(key) ?? a.liveResourceVersion;
    try {
      const body = { ...desired, metadata: { ...desired.metadata, ...(expected ? { resourceVersion: expected } : {}) } };
      const obj = await ctx.client.patch<KubeObject>(a.ref, a.ref.namespace, a.ref.name, 'apply', body, { fieldManager: FIELD_MANAGER, force: true });
      return obj.metadata.resourceVersion;
    } catch (e) {
      if (!isConflict(e) && !isNotFound(e)) throw e;
      await recheck(ctx, a, expected, attempt, (fresh) => unchanged(a, fresh));
    }
  }
}

/** DELETE with the expected resourceVersion as precondition; returns the uid of what was deleted (undefined if unknown or already gone). */
async function remove(ctx: RunContext, a: PlannedAction, propagationPolicy: 'Foreground' | 'Background'): Promise<string | undefined> {
  const key = keyOf(a.ref);
  const holds = (fresh: KubeObject) => (a.action !== 'delete' || isMember(fresh, ctx.applySet)) && unchanged(a, fresh);
  for (let attempt = 0; ; attempt++) {
    const expected = ctx.expected.get(key) ?? a.liveResourceVersion;
    try {
      const res = await ctx.client.delete(a.ref, a.ref.namespace, a.ref.name, {
        propagationPolicy,
        ...(expected ? { preconditions: { resourceVersion: expected } } : {}),
      });
      return (res as KubeObject).metadata?.uid ?? (res as { details?: { uid?: string } }).details?.uid;
    } catch (e) {
      if (isNotFound(e)) {
        if (a.action === 'delete') return undefined; // already gone: what the plan wanted
        throw new StalePlanError([{ ref: a.ref, what: 'deleted', ...rv('plannedResourceVersion', expected) }]);
      }
      if (!isConflict(e)) throw e;
      await recheck(ctx, a, expected, attempt, holds);
    }
  }
}

/**
 * A precondition failed: read the object again; if the action still holds against it (it changed
 * only in status), the next attempt expects its new resourceVersion; else the plan is stale.
 */
async function recheck(ctx: RunContext, a: PlannedAction, expected: string | undefined, attempt: number, holds: (fresh: KubeObject) => boolean): Promise<void> {
  let fresh: KubeObject | undefined;
  try {
    fresh = await ctx.client.get<KubeObject>(a.ref, a.ref.namespace, a.ref.name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const base = { ref: a.ref, ...rv('plannedResourceVersion', expected), ...rv('liveResourceVersion', fresh?.metadata.resourceVersion) };
  if (!fresh) throw new StalePlanError([{ ...base, what: 'deleted' }]);
  if (attempt >= PRECONDITION_RETRIES || !holds(fresh)) {
    throw new StalePlanError([{ ...base, what: a.action === 'delete' && !isMember(fresh, ctx.applySet) ? 'left' : 'changed' }]);
  }
  ctx.expected.set(keyOf(a.ref), fresh.metadata.resourceVersion!);
}

async function deleteParent(client: KubeClient, applySet: ApplySet, parent: KubeObject): Promise<void> {
  const ref = applySet.parent;
  try {
    await client.delete(ref, ref.namespace, ref.name, { preconditions: { uid: parent.metadata.uid!, resourceVersion: parent.metadata.resourceVersion! } });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
