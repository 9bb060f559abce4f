/**
 * The API server's field manager: metadata.managedFields for server-side apply and for ordinary
 * writes, as k8s.io/apimachinery/pkg/util/managedfields/internal chains it (fieldmanager.go
 * NewDefaultFieldManager: last-applied updater → last-applied manager → skip-non-applied →
 * cap managers → build manager info → managed-fields updater → strip meta → structured merge),
 * around the structured-merge-diff core in ssa.ts.
 */
import { badRequest, PatchError } from './errors.ts';
import { clone, isObject, type JsonObject } from './json.ts';
import { keepLastAppliedInStep, KUBECTL_APPLIER, takeoverFromLastApplied } from './last-applied.ts';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeEntry,
  liveManagers,
  managedFieldsOf,
  managersForWrite,
  writeManagedFields,
  type ManagedFieldsEntry,
  type ManagedFieldsOperation,
} from './managed-fields.ts';
import { applyToManagers, describeConflicts, formatApplyConflictMessage, updateManagers, type ApplyConflict, type Writer } from './ssa.ts';
import { jsonEqual } from '../../../lib/api/equal.ts';
import { formatTime } from '../../../lib/api/time.ts';

export interface ApplyOptions {
  /** The `fieldManager` query parameter (required for apply). */
  manager: string;
  /** The `force` query parameter (`kubectl apply --server-side --force-conflicts`). */
  force?: boolean;
  kind: string;
  /** The resource's apiVersion; defaults to the applied object's. */
  apiVersion?: string;
  /** Timestamp for the managedFields entry (default: now). */
  now?: Date | string;
  /** '' (main resource, default) or 'status'. */
  subresource?: string;
}

export interface ApplyResult {
  ok: boolean;
  /** The merged object carrying the new metadata.managedFields (undefined when !ok). */
  object?: JsonObject;
  /** Empty when ok. For a 409: causes `{reason: 'FieldManagerConflict', message, field}`. */
  conflicts: ApplyConflict[];
  /** '' when ok; else the Status message (`Apply failed with 1 conflict: ...`). */
  message: string;
  /** The object did not exist (apply creates it: 201). */
  created: boolean;
  /** false for a no-op re-apply: `object` equals `live` (no write needed). */
  changed: boolean;
}

/** Owns what was there before the first apply to an object nobody tracked (skipnonapplied.go). */
const BEFORE_FIRST_APPLY = 'before-first-apply';

/** A write by an empty manager is recorded as this one (buildmanagerinfo.go). */
const UNKNOWN_MANAGER = 'unknown';

export function applyServerSideApply(live: unknown, applied: unknown, opts: ApplyOptions): ApplyResult {
  if (!opts.manager) {
    throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  if (!isObject(applied)) throw badRequest('error decoding YAML: the apply patch must be an object');
  if (live !== undefined && live !== null && !isObject(live)) throw badRequest('live object is not an object');
  const liveObj = isObject(live) ? live : undefined;
  const applier: Writer = {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion ?? str(applied.apiVersion) ?? str(liveObj?.apiVersion) ?? 'v1',
    subresource: opts.subresource ?? '',
    kind: opts.kind,
    time: formatTimeOf(opts.now),
  };

  const managers = decodeManagedFields(managedFieldsOf(liveObj));
  if (typeof managers === 'string') throw new PatchError(500, `failed to decode managed fields: ${managers}`);
  // Existing fields of an object nobody tracked yet belong to someone: not to the first applier.
  if (liveObj && managers.size === 0) {
    updateManagers({}, liveObj, managers, { ...applier, manager: BEFORE_FIRST_APPLY, operation: 'Update', subresource: '' });
  }

  // (an apply that conflicts leaves `managers` as they were, so it can be tried again forced)
  let outcome = applyToManagers(liveObj, applied, managers, applier, !!opts.force);
  if (outcome.conflicts && opts.manager === KUBECTL_APPLIER && liveObj) {
    // What client-side apply last set, and still holds, kubectl may take over (lastappliedmanager.go).
    const allowed = takeoverFromLastApplied(liveObj, applier.apiVersion, opts.kind);
    if (allowed) {
      const remaining = new Map([...outcome.conflicts].map(([id, set]) => [id, set.difference(allowed)] as const).filter(([, set]) => !set.isEmpty()));
      outcome = remaining.size === 0 ? applyToManagers(liveObj, applied, managers, applier, true) : { conflicts: remaining };
    }
  }
  if (outcome.conflicts) {
    const conflicts = describeConflicts(outcome.conflicts, managers);
    return { ok: false, conflicts, message: formatApplyConflictMessage(conflicts), created: false, changed: false };
  }

  const object = outcome.object;
  if (opts.manager === KUBECTL_APPLIER) keepLastAppliedInStep(object, applied);
  writeManagedFields(object, managers);
  // Only the applier's timestamp moved: nothing to write (IgnoreManagedFieldsTimestampsTransformer).
  if (liveObj && sameIgnoringTimes(liveObj, object)) return { ok: true, object: liveObj, conflicts: [], message: '', created: false, changed: false };
  return { ok: true, object, conflicts: [], message: '', created: liveObj === undefined, changed: true };
}

export interface UpdateManagerOptions {
  kind?: string;
  apiVersion?: string;
  /** '' (main resource, default) or 'status'. */
  subresource?: string;
}

/**
 * managedFields for an ordinary write (create / update / non-apply patch) of `next` over `prev`
 * (undefined for a create) by `manager`. The list goes on from the written one or the live one
 * (managersForWrite); an object whose list is then empty stays untracked unless this is its
 * create (skipnonapplied.go); the writer owns what it added or changed. `manager` undefined is
 * a write kite does not attribute (an in-process component): the list is only carried over.
 */
export function recordUpdateManager(
  prev: unknown,
  next: unknown,
  manager: string | undefined,
  operation: ManagedFieldsOperation = 'Update',
  time: Date | string = new Date(),
  opts: UpdateManagerOptions = {},
): JsonObject {
  if (!isObject(next)) throw badRequest('object is not an object');
  const prevObj = isObject(prev) ? prev : undefined;
  const subresource = opts.subresource ?? '';
  if (manager === undefined) {
    // The controllers' writes: most carry the live list or none, and must stay cheap.
    const carried = carryOver(prevObj, next, subresource);
    if (carried) return carried;
  }
  const nextObj = clone(next);
  const managers = managersForWrite(prevObj, nextObj, subresource);
  if (manager !== undefined && (managers.size > 0 || prevObj === undefined)) {
    const writer: Writer = {
      manager: manager || UNKNOWN_MANAGER,
      operation,
      apiVersion: opts.apiVersion ?? str(nextObj.apiVersion) ?? 'v1',
      subresource,
      kind: opts.kind ?? str(nextObj.kind) ?? '',
      time: formatTimeOf(time),
    };
    updateManagers(prevObj ?? {}, nextObj, managers, writer);
    capUpdateManagers(managers);
  }
  writeManagedFields(nextObj, managers);
  return nextObj;
}

/** `next` with the live list, when it sent none, the live one, or writes a subresource; else undefined. */
function carryOver(prev: JsonObject | undefined, next: JsonObject, subresource: string): JsonObject | undefined {
  const sent = managedFieldsOf(next);
  const live = managedFieldsOf(prev);
  if (sent !== undefined && !subresource && !jsonEqual(sent, live)) return undefined;
  if (sent === live) return next;
  const metadata = { ...(isObject(next.metadata) ? next.metadata : {}) };
  if (live === undefined) delete metadata.managedFields;
  else metadata.managedFields = live;
  return { ...next, metadata };
}

/** Parses metadata.managedFields into entries (an unreadable list reads as none). */
export function readManagedFields(obj: unknown): ManagedFieldsEntry[] {
  return [...liveManagers(obj).values()].map(encodeEntry);
}

/**
 * managerOrUserAgent's prefixFromUserAgent: the manager of a write that names none is its
 * User-Agent up to the first `/`, printable characters only, at most 128 bytes
 * (FieldManagerMaxLength).
 */
export function managerFromUserAgent(userAgent: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of userAgent.split('/')[0]!) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > 128) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** metav1.Time of `t` (now if absent); a string is already one. */
export function formatTimeOf(t: Date | string | undefined): string {
  return typeof t === 'string' ? t : formatTime(t ?? new Date());
}

function sameIgnoringTimes(a: JsonObject, b: JsonObject): boolean {
  const strip = (o: JsonObject) => {
    const meta = o.metadata as JsonObject | undefined;
    const list = managedFieldsOf(o)?.map((e) => (isObject(e) ? { ...e, time: undefined } : e));
    return { ...o, metadata: { ...meta, managedFields: list } };
  };
  return jsonEqual(strip(a), strip(b));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
