/**
 * The structured-merge-diff part of server-side apply (sigs.k8s.io/structured-merge-diff's
 * Updater), on decoded managers; field-manager.ts wraps it in the API server's field manager.
 *
 * applyToManagers(live, config, managers, applier):
 *   1. merged = live ⊕ config: maps merge key by key, associative lists (`+listType=map`)
 *      merge items by their list-map keys, sets by value, atomic lists/maps are replaced;
 *      list order follows structured-merge-diff (config order, live-only items kept in place);
 *   2. the applier's set becomes exactly the fields present in `config`;
 *   3. prune: fields the applier owned before, no longer applies, and nobody else owns are
 *      removed from the object;
 *   4. conflicts: fields another manager (Apply or Update) owns whose value this apply adds or
 *      changes. Without `force` the apply fails with the conflict list; with `force` the
 *      fields move to the applier. Fields merely co-set to the same value become shared.
 *
 * updateManagers(prev, next, managers, writer): the writer takes ownership of every field it
 * added or changed (always forced), fields that disappeared leave every manager.
 *
 * Fields never tracked: apiVersion, kind, metadata.{name,namespace,uid,resourceVersion,
 * generation,creationTimestamp,deletionTimestamp,deletionGracePeriodSeconds,selfLink,
 * managedFields}; `status` on the main resource of kinds with a status subresource (and only
 * `status` when `subresource: 'status'`).
 */
import { badRequest } from './errors.ts';
import { FieldSet, fieldPE, indexPE, keyPE, pathToString, valuePE, type PathElement } from './fieldset.ts';
import { jsonEqual as deepEqual } from '../../../lib/api/equal.ts';
import { clone, getOwn, hasOwn, isObject, setOwn, type JsonObject, type JsonValue } from './json.ts';
import { cmp, managerId, type Manager, type Managers, type ManagedFieldsOperation } from './managed-fields.ts';
import {
  fieldOf,
  ObjectMetaSchema,
  ssaListType,
  ssaMapKeys,
  type FieldSchema,
  type MapKey,
  type TypeSchema,
} from './schema.ts';
import { schemaForKind, STATUS_SUBRESOURCE_KINDS } from './kind-schemas.ts';

/** Who writes, and what: the identity of a managedFields entry plus the kind written. */
export interface Writer {
  manager: string;
  operation: ManagedFieldsOperation;
  /** The resource's apiVersion (group/version). */
  apiVersion: string;
  /** '' (main resource) or 'status'. */
  subresource: string;
  kind: string;
  /** metav1.Time of the write. */
  time: string;
}

export interface ApplyConflict {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  subresource?: string;
  /** fieldpath string, e.g. `.spec.replicas`, `.spec.containers[name="nginx"].image` */
  field: string;
  /** StatusCause message, e.g. `conflict with "kubectl-client-side-apply" using v1` */
  message: string;
}

/** The merged object, or the fields of each other manager (by id) the apply would change. */
export type ApplyOutcome = { object: JsonObject; conflicts?: undefined } | { object?: undefined; conflicts: Map<string, FieldSet> };

const IGNORED_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
];

/**
 * Updater.Apply: merges `applied` into `live` (undefined for a create) for `applier`. On success
 * `managers` is updated in place (the applier's entry stamped `applier.time`); with conflicts and
 * no `force` nothing changes.
 */
export function applyToManagers(live: JsonObject | undefined, applied: JsonObject, managers: Managers, applier: Writer, force: boolean): ApplyOutcome {
  const { kind, subresource } = applier;
  const schema = schemaFor(kind);
  const config = configView(stripNulls(clone(applied)) as JsonObject, kind, subresource);
  const id = managerId(applier);
  const previous = managers.get(id);

  // 1+2: merge, and the applier's new set (strict: list items must carry their keys).
  const newSet = new FieldSet();
  collectFields(project(config, kind, subresource), schema, newSet, { markMaps: false, strict: true, path: [] });
  // (merge into a copy: pruning edits `merged` in place and `live` must stay pristine)
  const merged = ssaMerge(clone(live ?? {}), config, undefined, schema) as JsonObject;

  // 3: prune what the applier dropped and nobody else owns.
  if (previous) {
    let keep = newSet;
    for (const [mid, m] of managers) if (mid !== id) keep = keep.union(m.set);
    pruneObject(merged, previous.set, keep, schema, new Set());
  }

  // 4: conflicts with the other managers.
  const diff = compareObjects(project(live ?? {}, kind, subresource), project(merged, kind, subresource), schema);
  const changed = diff.added.union(diff.modified);
  const conflicts = new Map<string, FieldSet>();
  for (const [mid, m] of managers) {
    if (mid === id) continue;
    const c = m.set.intersection(changed);
    if (!c.isEmpty()) conflicts.set(mid, c);
  }
  if (conflicts.size > 0 && !force) return { conflicts };

  for (const [mid, m] of managers) {
    if (mid === id) continue;
    m.set = m.set.difference(conflicts.get(mid)).difference(diff.removed);
    if (m.set.isEmpty()) managers.delete(mid);
  }
  if (newSet.isEmpty()) managers.delete(id);
  else managers.set(id, { manager: applier.manager, operation: 'Apply', apiVersion: applier.apiVersion, subresource, time: applier.time, set: newSet });
  return { object: merged };
}

/**
 * Updater.Update: `writer` owns every field it added or changed relative to `prev` ({} for a
 * create), taken from whoever owned it; fields that disappeared leave every manager. The
 * writer's entry is stamped only when it took something (managedFieldsUpdater).
 */
export function updateManagers(prev: JsonObject, next: JsonObject, managers: Managers, writer: Writer): void {
  const { kind, subresource } = writer;
  const diff = compareObjects(project(prev, kind, subresource), project(next, kind, subresource), schemaFor(kind));
  const changed = diff.added.union(diff.modified);
  const id = managerId(writer);
  for (const [mid, m] of managers) {
    if (mid === id) continue;
    m.set = m.set.difference(changed).difference(diff.removed);
    if (m.set.isEmpty()) managers.delete(mid);
  }
  const existing = managers.get(id);
  const own = (existing?.set ?? new FieldSet()).union(changed).difference(diff.removed);
  if (own.isEmpty()) {
    managers.delete(id);
    return;
  }
  const time = changed.isEmpty() && existing ? existing.time : writer.time;
  managers.set(id, { manager: writer.manager, operation: writer.operation, apiVersion: writer.apiVersion, subresource, time, set: own });
}

/** Every field an applied configuration sets (typed.ToFieldSet), for the last-applied manager. */
export function fieldSetOf(obj: JsonObject, kind: string): FieldSet {
  const set = new FieldSet();
  collectFields(project(obj, kind, ''), schemaFor(kind), set, { markMaps: false, strict: false, path: [] });
  return set;
}

/** The fields added, modified or removed from `a` to `b` (typed.Compare). */
export function changedFields(a: JsonObject, b: JsonObject, kind: string): FieldSet {
  const diff = compareObjects(project(a, kind, ''), project(b, kind, ''), schemaFor(kind));
  return diff.added.union(diff.modified).union(diff.removed);
}

/** The conflicts as the API server reports them: one per field, sorted by manager and field. */
export function describeConflicts(conflicts: Map<string, FieldSet>, managers: Managers): ApplyConflict[] {
  const out: ApplyConflict[] = [];
  for (const [mid, set] of conflicts) for (const p of set.paths()) out.push(conflictFor(managers.get(mid)!, p));
  return out.sort((a, b) => (a.manager === b.manager ? cmp(a.field, b.field) : cmp(a.manager, b.manager)));
}

/** The Status message of an apply conflict (k8s.io/apiserver internal.NewConflictError). */
export function formatApplyConflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: ${c.message}: ${c.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const head = c.message.replace(/^conflict with/, 'conflicts with');
    const list = byManager.get(head) ?? [];
    list.push(c.field);
    byManager.set(head, list);
  }
  const lines: string[] = [];
  for (const head of [...byManager.keys()].sort()) {
    lines.push(`${head}:`);
    for (const f of byManager.get(head)!) lines.push(`- ${f}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

function conflictFor(m: Manager, path: PathElement[]): ApplyConflict {
  let who = JSON.stringify(m.manager);
  if (m.subresource) who += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') who += ` using ${m.apiVersion}`;
  const c: ApplyConflict = {
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    field: pathToString(path),
    message: `conflict with ${who}`,
  };
  if (m.subresource) c.subresource = m.subresource;
  return c;
}

// --- object views ---------------------------------------------------------------------------

function schemaFor(kind: string): TypeSchema {
  // Unknown kinds (custom resources) still get SSA: maps are granular, lists atomic.
  return schemaForKind(kind) ?? { name: kind || 'Object', fields: { metadata: { type: ObjectMetaSchema } } };
}

/** The applied config as it is merged: nulls gone, server-owned metadata and status dropped. */
function configView(cfg: JsonObject, kind: string, subresource: string): JsonObject {
  const meta = getOwn(cfg, 'metadata');
  if (isObject(meta)) {
    for (const k of IGNORED_METADATA) if (k !== 'name' && k !== 'namespace') delete meta[k];
  }
  if (subresource === 'status') {
    const out: JsonObject = {};
    if (hasOwn(cfg, 'status')) out.status = cfg.status!;
    return out;
  }
  if (STATUS_SUBRESOURCE_KINDS.has(kind)) delete cfg.status;
  return cfg;
}

/** The part of an object whose fields are tracked. */
function project(obj: JsonObject, kind: string, subresource: string): JsonObject {
  const out: JsonObject = {};
  if (subresource === 'status') {
    if (hasOwn(obj, 'status')) out.status = obj.status!;
    return out;
  }
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && STATUS_SUBRESOURCE_KINDS.has(kind)) continue;
    const v = obj[k]!;
    if (k === 'metadata' && isObject(v)) {
      const m: JsonObject = {};
      for (const mk of Object.keys(v)) if (!IGNORED_METADATA.includes(mk)) setOwn(m, mk, v[mk]!);
      if (Object.keys(m).length > 0) out.metadata = m;
      continue;
    }
    setOwn(out, k, v);
  }
  return out;
}

function stripNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else v[k] = stripNulls(v[k]!);
    }
  }
  return v;
}

// --- field sets of objects ------------------------------------------------------------------

interface CollectOptions {
  /** Own granular maps themselves (`.`), as update managers do when they add a map. */
  markMaps: boolean;
  /** Reject list items without their keys / with duplicate keys (applied configs). */
  strict: boolean;
  path: PathElement[];
}

function isAtomic(field: FieldSchema | undefined, type: TypeSchema | undefined): boolean {
  return field?.atomic === true || type?.atomic === true;
}

/** The path element of a list item; undefined when a keyed item lacks a key field. */
function itemPE(item: JsonValue, listType: 'map' | 'set', keys: MapKey[]): PathElement | undefined {
  if (listType === 'set') return valuePE(item);
  if (!isObject(item) || keys.length === 0) return undefined;
  const key: Record<string, JsonValue> = {};
  for (const k of keys) {
    const v = getOwn(item, k.name);
    if (v !== undefined && v !== null) key[k.name] = v;
    else if (k.default !== undefined) key[k.name] = k.default;
    else return undefined;
  }
  return keyPE(key);
}

/** Path elements of a list's items (index elements for unkeyable items of live data). */
function listPEs(list: JsonValue[], field: FieldSchema | undefined, listType: 'map' | 'set', opts?: CollectOptions): PathElement[] {
  const keys = ssaMapKeys(field);
  const seen = new Set<PathElement>();
  return list.map((item, i) => {
    const pe = itemPE(item, listType, keys);
    if (opts?.strict) {
      const where = `${pathToString(opts.path)}: element ${i}`;
      if (pe === undefined) {
        const missing = keys.find((k) => !isObject(item) || getOwn(item, k.name) === undefined)?.name ?? '?';
        throw badRequest(
          `${where}: associative list with keys has an element that omits key field ${JSON.stringify(missing)} (and doesn't have default value)`,
        );
      }
      if (seen.has(pe)) throw badRequest(`${pathToString(opts.path)}: duplicate entries for key ${pathToString([pe])}`);
      seen.add(pe);
    }
    return pe ?? indexPE(i);
  });
}

/** Adds every field of object `obj` to `set` (the object itself is not a member). */
function collectFields(obj: JsonObject, type: TypeSchema, set: FieldSet, opts: CollectOptions): void {
  for (const k of Object.keys(obj)) {
    const f = fieldOf(type, k);
    const pe = fieldPE(k);
    collect(obj[k]!, f, f?.type, set.child(pe), { ...opts, path: [pe] });
  }
}

/** Adds every field of `v` (at `node`) to the set. */
function collect(
  v: JsonValue,
  field: FieldSchema | undefined,
  type: TypeSchema | undefined,
  node: FieldSet,
  opts: CollectOptions,
): void {
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0 || isAtomic(field, type)) {
      node.member = true;
      return;
    }
    if (opts.markMaps && field?.granularMap) node.member = true;
    for (const k of keys) {
      const f = fieldOf(type, k);
      const pe = fieldPE(k);
      collect(v[k]!, f, f?.type, node.child(pe), { ...opts, path: [...opts.path, pe] });
    }
    return;
  }
  if (Array.isArray(v)) {
    const lt = ssaListType(field);
    if (lt === 'atomic' || v.length === 0) {
      node.member = true;
      return;
    }
    const pes = listPEs(v, field, lt, opts);
    v.forEach((item, i) => {
      const child = node.child(pes[i]!);
      child.member = true;
      if (lt === 'map' && isObject(item)) {
        for (const k of Object.keys(item)) {
          const f = fieldOf(field?.type, k);
          const pe = fieldPE(k);
          collect(item[k]!, f, f?.type, child.child(pe), { ...opts, path: [...opts.path, pes[i]!, pe] });
        }
      }
    });
    return;
  }
  node.member = true;
}

interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

function compareObjects(a: JsonObject, b: JsonObject, schema: TypeSchema): Comparison {
  const res: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareValue(a, b, undefined, schema, [], res);
  return res;
}

function nodeAt(set: FieldSet, path: PathElement[]): FieldSet {
  let n = set;
  for (const pe of path) n = n.child(pe);
  return n;
}

function compareValue(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  field: FieldSchema | undefined,
  type: TypeSchema | undefined,
  path: PathElement[],
  res: Comparison,
): void {
  if (a === undefined && b === undefined) return;
  const opts: CollectOptions = { markMaps: true, strict: false, path };
  if (a === undefined) {
    collect(b!, field, type, nodeAt(res.added, path), opts);
    return;
  }
  if (b === undefined) {
    collect(a, field, type, nodeAt(res.removed, path), opts);
    return;
  }
  if (isObject(a) && isObject(b) && !isAtomic(field, type) && Object.keys(a).length + Object.keys(b).length > 0) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const f = fieldOf(type, k);
      compareValue(getOwn(a, k), getOwn(b, k), f, f?.type, [...path, fieldPE(k)], res);
    }
    return;
  }
  const lt = ssaListType(field);
  if (Array.isArray(a) && Array.isArray(b) && lt !== 'atomic' && a.length + b.length > 0) {
    const ia = indexList(a, field, lt);
    const ib = indexList(b, field, lt);
    for (const [pe, item] of ia) {
      if (ib.has(pe)) continue;
      collectItem(item, field, lt, nodeAt(res.removed, [...path, pe]));
    }
    for (const [pe, item] of ib) {
      const before = ia.get(pe);
      const p = [...path, pe];
      if (before === undefined) {
        collectItem(item, field, lt, nodeAt(res.added, p));
      } else if (lt === 'map') {
        if (isObject(before) && isObject(item)) {
          const keys = new Set([...Object.keys(before), ...Object.keys(item)]);
          for (const k of keys) {
            const f = fieldOf(field?.type, k);
            compareValue(getOwn(before, k), getOwn(item, k), f, f?.type, [...p, fieldPE(k)], res);
          }
        } else if (!deepEqual(before, item)) {
          res.modified.insert(p);
        }
      }
    }
    return;
  }
  if (!deepEqual(a, b)) res.modified.insert(path);
}

function indexList(list: JsonValue[], field: FieldSchema | undefined, lt: 'map' | 'set'): Map<PathElement, JsonValue> {
  const pes = listPEs(list, field, lt);
  const m = new Map<PathElement, JsonValue>();
  pes.forEach((pe, i) => {
    if (!m.has(pe)) m.set(pe, list[i]!);
  });
  return m;
}

function collectItem(item: JsonValue, field: FieldSchema | undefined, lt: 'map' | 'set', node: FieldSet): void {
  node.member = true;
  if (lt === 'map' && isObject(item)) {
    for (const k of Object.keys(item)) {
      const f = fieldOf(field?.type, k);
      collect(item[k]!, f, f?.type, node.child(fieldPE(k)), { markMaps: true, strict: false, path: [] });
    }
  }
}

// --- merge & prune --------------------------------------------------------------------------

function ssaMerge(lhs: JsonValue | undefined, rhs: JsonValue, field: FieldSchema | undefined, type: TypeSchema | undefined): JsonValue {
  if (isObject(rhs)) {
    if (!isObject(lhs) || isAtomic(field, type)) return rhs;
    const out: JsonObject = { ...lhs };
    for (const k of Object.keys(rhs)) {
      const f = fieldOf(type, k);
      setOwn(out, k, ssaMerge(getOwn(lhs, k), rhs[k]!, f, f?.type));
    }
    return out;
  }
  if (Array.isArray(rhs)) {
    const lt = ssaListType(field);
    if (lt === 'atomic' || !Array.isArray(lhs)) return rhs;
    return mergeList(lhs, rhs, field, lt);
  }
  return rhs;
}

/** structured-merge-diff's mergingWalker.visitListItems ordering. */
function mergeList(lhs: JsonValue[], rhs: JsonValue[], field: FieldSchema | undefined, lt: 'map' | 'set'): JsonValue[] {
  const lhsPEs = listPEs(lhs, field, lt);
  const rhsPEs = listPEs(rhs, field, lt);
  const observedLHS = new Map<PathElement, JsonValue>();
  lhsPEs.forEach((pe, i) => {
    if (!observedLHS.has(pe)) observedLHS.set(pe, lhs[i]!);
  });
  const observedRHS = new Map<PathElement, JsonValue>();
  rhsPEs.forEach((pe, i) => observedRHS.set(pe, rhs[i]!));
  const sharedOrder = rhsPEs.filter((pe) => observedLHS.has(pe));
  let nextShared = sharedOrder.shift();
  const mergedRHS = new Set<PathElement>();
  const out: JsonValue[] = [];
  const mergeItem = (pe: PathElement): JsonValue => {
    const l = observedLHS.get(pe);
    const r = observedRHS.get(pe)!;
    return lt === 'map' ? ssaMerge(l, r, field, field?.type) : r;
  };

  let lI = 0;
  let rI = 0;
  while (lI < lhs.length || rI < rhs.length) {
    if (lI < lhs.length && rI < rhs.length) {
      const pe = lhsPEs[lI]!;
      if (pe === rhsPEs[rI]) {
        mergedRHS.add(pe);
        out.push(mergeItem(pe));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedRHS.has(pe) && nextShared !== undefined && nextShared !== pe) {
        lI++; // shared item, but not the one we want in this round
        continue;
      }
    }
    if (lI < lhs.length) {
      const pe = lhsPEs[lI]!;
      if (!observedRHS.has(pe)) {
        out.push(lhs[lI]!);
        lI++;
        continue;
      }
      if (mergedRHS.has(pe)) {
        lI++;
        continue;
      }
    }
    if (rI < rhs.length) {
      const pe = rhsPEs[rI]!;
      mergedRHS.add(pe);
      out.push(mergeItem(pe));
      rI++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

function size(v: JsonValue | undefined): number {
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return -1;
}

/**
 * Removes from `obj` the members of `rm` that nobody in `keep` owns (a node with owned
 * descendants stays, minus its un-owned parts). Containers emptied by the removal go too.
 * `protectedKeys`: key fields of a list item that stays.
 */
function pruneObject(obj: JsonObject, rm: FieldSet, keep: FieldSet | undefined, type: TypeSchema | undefined, protectedKeys: Set<string>): void {
  for (const [pe, rmChild] of rm.children) {
    if (!pe.startsWith('f:')) continue;
    const name = pe.slice(2);
    if (!hasOwn(obj, name) || protectedKeys.has(name)) continue;
    const keepChild = keep?.get(pe);
    if (rmChild.member && (!keepChild || keepChild.isEmpty())) {
      delete obj[name];
      continue;
    }
    const v = obj[name]!;
    const before = size(v);
    const f = fieldOf(type, name);
    if (isObject(v)) pruneObject(v, rmChild, keepChild, f?.type, new Set());
    else if (Array.isArray(v)) pruneList(v, rmChild, keepChild, f);
    if (before > 0 && size(obj[name]) === 0 && !keepChild?.member) delete obj[name];
  }
}

function pruneList(list: JsonValue[], rm: FieldSet, keep: FieldSet | undefined, field: FieldSchema | undefined): void {
  const lt = ssaListType(field);
  if (lt === 'atomic') return;
  const pes = listPEs(list, field, lt);
  const keyNames = new Set(ssaMapKeys(field).map((k) => k.name));
  for (let i = list.length - 1; i >= 0; i--) {
    const pe = pes[i]!;
    const rmChild = rm.get(pe);
    if (!rmChild) continue;
    const keepChild = keep?.get(pe);
    const item = list[i]!;
    if (rmChild.member && (!keepChild || keepChild.isEmpty())) list.splice(i, 1);
    else if (lt === 'map' && isObject(item)) pruneObject(item, rmChild, keepChild, field?.type, keyNames);
  }
}
