/**
 * metadata.managedFields <-> the managers the field manager works with, with the API server's
 * rules for which list a write goes on from (k8s.io/apimachinery/pkg/util/managedfields/
 * internal: managedfields.go DecodeManagedFields / encodeManagedFields, fieldmanager.go
 * decodeLiveOrNew / isResetManagedFields, capmanagers.go).
 */
import { FieldSet } from './fieldset.ts';
import { getOwn, isObject, type JsonObject, type JsonValue } from './json.ts';
import { jsonEqual } from '../../../lib/api/equal.ts';

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** metav1.ManagedFieldsEntry, in the API's field order. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface Manager {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  subresource: string;
  /** '' when the entry had none (Go's nil *metav1.Time). */
  time: string;
  set: FieldSet;
}

/** The managers of an object, by BuildManagerIdentifier's key. */
export type Managers = Map<string, Manager>;

/**
 * BuildManagerIdentifier: manager, operation, subresource, and for updaters the apiVersion too
 * (an applier keeps one entry whatever version it applies in).
 */
export function managerId(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource]);
}

/** metadata.managedFields of an object as given (undefined when absent or not a list). */
export function managedFieldsOf(obj: unknown): JsonValue[] | undefined {
  const meta = isObject(obj) ? getOwn(obj, 'metadata') : undefined;
  const list = isObject(meta) ? getOwn(meta, 'managedFields') : undefined;
  return Array.isArray(list) ? list : undefined;
}

/**
 * DecodeManagedFields: the whole list or an error (the reason). Every entry needs an operation
 * of Apply or Update, an apiVersion and fieldsType FieldsV1, and fields that parse.
 */
export function decodeManagedFields(list: readonly JsonValue[] | undefined): Managers | string {
  const out: Managers = new Map();
  for (const [i, e] of (list ?? []).entries()) {
    if (!isObject(e)) return `managed fields entry ${i} is not an object`;
    if (e.operation !== 'Apply' && e.operation !== 'Update') return 'operation must be `Apply` or `Update`';
    if (typeof e.apiVersion !== 'string' || e.apiVersion === '') return 'apiVersion must not be empty';
    if (e.fieldsType === undefined || e.fieldsType === '') return `missing fieldsType in managed fields entry ${i}`;
    if (e.fieldsType !== 'FieldsV1') return `invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`;
    const set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : FieldSet.parseFieldsV1(e.fieldsV1);
    if (!set) return `error decoding versioned set from managed fields entry ${i}`;
    const m: Manager = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      subresource: typeof e.subresource === 'string' ? e.subresource : '',
      time: typeof e.time === 'string' ? e.time : '',
      set,
    };
    out.set(managerId(m), m);
  }
  return out;
}

/** The live object's managers; an unreadable list counts as none (emptyManagedFieldsOnErr). */
export function liveManagers(live: unknown): Managers {
  const decoded = decodeManagedFields(managedFieldsOf(live));
  return typeof decoded === 'string' ? new Map() : decoded;
}

/**
 * decodeLiveOrNew: which managers an ordinary write goes on from. A subresource write keeps the
 * live ones; `[]` (or one empty entry) resets them; a list that does not decode, or decodes to
 * nothing, or is absent keeps the live ones (clients that do not know the field must not wipe
 * it); otherwise the written list replaces them.
 */
export function managersForWrite(live: unknown, next: unknown, subresource: string): Managers {
  if (subresource) return liveManagers(live);
  const sent = managedFieldsOf(next);
  if (sent !== undefined && isReset(sent)) return new Map();
  const decoded = decodeManagedFields(sent);
  if (typeof decoded === 'string' || decoded.size === 0) return liveManagers(live);
  return decoded;
}

function isReset(list: readonly JsonValue[]): boolean {
  return list.length === 0 || (list.length === 1 && jsonEqual(list[0], {}));
}

export function encodeEntry(m: Manager): ManagedFieldsEntry {
  const e = {
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: m.set.toFieldsV1(),
  } as ManagedFieldsEntry;
  if (m.subresource) e.subresource = m.subresource;
  return e;
}

/** Sets metadata.managedFields, sorted like sortEncodedManagedFields; none leaves no list. */
export function writeManagedFields(obj: JsonObject, managers: Managers): void {
  const entries = [...managers.values()].sort(
    (a, b) =>
      cmp(a.operation, b.operation) ||
      cmp(timeSeconds(a.time), timeSeconds(b.time)) ||
      cmp(a.manager, b.manager) ||
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.subresource, b.subresource),
  );
  let meta = getOwn(obj, 'metadata');
  if (!isObject(meta)) {
    if (entries.length === 0) return;
    meta = {};
    obj.metadata = meta;
  }
  if (entries.length === 0) delete meta.managedFields;
  else meta.managedFields = entries.map((e) => encodeEntry(e) as unknown as JsonObject);
}

/** DefaultMaxUpdateManagers (fieldmanager.go). */
const MAX_UPDATE_MANAGERS = 10;

/**
 * capUpdateManagers: beyond ten Update entries, the oldest are merged, per apiVersion, into one
 * `ancient-changes` entry.
 */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort(([ia, a], [ib, b]) => cmp(timeSeconds(a.time), timeSeconds(b.time)) || cmp(ia, ib));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, m] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    const bucketOf: Manager = { manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion, subresource: '', time: m.time, set: new FieldSet() };
    const bucketId = managerId(bucketOf);
    let bucket = managers.get(bucketId);
    if (!bucket) {
      bucket = { ...bucketOf, set: managers.get(first)!.set };
      managers.delete(first);
    }
    managers.set(bucketId, { ...bucket, set: m.set.union(bucket.set), time: m.time });
    managers.delete(id);
    length--;
  }
}

export function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function timeSeconds(t: string): number {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
