/**
 * Strategic merge patch (`application/strategic-merge-patch+json`): the server half of
 * k8s.io/apimachinery/pkg/util/strategicpatch (StrategicMergeMapPatch with
 * MergeParallelList=true, IgnoreUnmatchedNulls=true), ported function by function so that
 * list ordering matches upstream exactly (normalizeElementOrder / mergeSortedSlice and the
 * insertion sort behind Go's sort.SliceStable).
 *
 * Semantics, per field (schema.ts):
 *   - maps/structs merge recursively; `null` deletes a key;
 *   - lists with `patchStrategy:"merge"` merge items by their merge key (or, for lists of
 *     primitives, as a de-duplicated union); all other lists are replaced;
 *   - directives: `$patch: replace|delete|merge` in maps and in list items,
 *     `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`.
 *
 * Deliberate differences from upstream (all "cleaner result" cases, never a different merge):
 *   - a value added where the target has none is itself run through the merge (so directives
 *     and nulls nested inside it are applied/stripped instead of leaking into the object);
 *   - `$patch: replace` on a map the target lacks sets the map (upstream drops it);
 *   - `$patch: merge` is accepted as a no-op (upstream rejects it);
 *   - unknown `$`-directives are rejected (upstream would store them as fields);
 *   - a list the schema does not know as mergeable, but for which the patch carries
 *     `$setElementOrder/`, `$deleteFromPrimitiveList/` or `$patch` items (i.e. the client's
 *     schema says "merge"), is merged with the merge key those directives reveal instead of
 *     being replaced by the partial list.
 *
 * Go slice aliasing is reproduced on purpose: upstream's list merge deletes items by shifting
 * the live list's backing array and appends new items into the freed capacity, and the
 * *same* array is then read back as "the live order" when applying `$setElementOrder`. That
 * is observable (e.g. live [1,4], patch deletes 1 and adds 2,3 with order [2,3] gives
 * [4,2,3], not [2,3,4]), so lists carry Go-like (buffer, len, cap) views with the capacity
 * JSON decoding would give them (see GoSlice).
 *
 * Inputs are never mutated: target and patch are deep-copied first.
 */
import { badRequest, invalid, PatchError } from './errors.ts';
import { clone, getOwn, goFormat, hasOwn, isObject, setOwn, type JsonObject, type JsonValue } from './json.ts';
import { fieldOf, type TypeSchema } from './schema.ts';
import { schemaForKind } from './kind-schemas.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// apimachinery/pkg/util/mergepatch error texts
const ERR_BAD_JSON_DOC = 'invalid JSON document';
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';

export const SMP_UNSUPPORTED_MESSAGE =
  'the body of the request was in an unknown format - accepted media types include: ' +
  'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

/**
 * Applies a strategic merge patch to `target` for a built-in `kind` ('Pod', 'ReplicaSet', ...)
 * or an explicit schema. Throws PatchError (415 for kinds without a schema, like upstream does
 * for custom resources; 400/422 for bad patches).
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, kind: string | TypeSchema): JsonObject {
  const schema = typeof kind === 'string' ? schemaForKind(kind) : kind;
  if (!schema) throw new PatchError(415, SMP_UNSUPPORTED_MESSAGE);
  if (!isObject(patch)) throw badRequest(ERR_BAD_JSON_DOC);
  if (target !== undefined && target !== null && !isObject(target)) throw badRequest(ERR_BAD_JSON_DOC);
  const original: JsonObject = isObject(target) ? clone(target) : {};
  return mergeMap(original, clone(patch), schema);
}

// --- types & small helpers ------------------------------------------------------------------

type ElemKind = 'map' | 'slice' | 'string' | 'number' | 'boolean' | 'null';

interface ListMeta {
  merge: boolean;
  /** '' for lists of primitives */
  mergeKey: string;
  elem: TypeSchema | undefined;
}

/**
 * A Go slice over a shared backing array: `buf[0:len]` with capacity `cap`. Only the operations
 * upstream performs on the live list are modelled (index write, append, delete-by-shift).
 */
interface GoSlice {
  buf: JsonValue[];
  len: number;
  cap: number;
}

/** The slice encoding/json produces for a decoded array (appends from `make([]any, 0)`). */
function goSliceOf(list: JsonValue[]): GoSlice {
  let cap = 0;
  while (cap < list.length) cap = growCap(cap, cap + 1);
  return { buf: list, len: list.length, cap };
}

/** runtime.growslice for []interface{} (16-byte elements; power-of-two size classes). */
function growCap(oldCap: number, newLen: number): number {
  const doubleCap = oldCap + oldCap;
  if (newLen > doubleCap) return newLen;
  if (oldCap < 256) return doubleCap;
  let c = oldCap;
  while (c < newLen) c += Math.floor((c + 3 * 256) / 4);
  return c;
}

function view(s: GoSlice): JsonValue[] {
  return s.buf.slice(0, s.len);
}

function goAppend(s: GoSlice, v: JsonValue): GoSlice {
  if (s.len < s.cap) {
    s.buf[s.len] = v;
    return { buf: s.buf, len: s.len + 1, cap: s.cap };
  }
  const buf = s.buf.slice(0, s.len);
  buf.push(v);
  return { buf, len: s.len + 1, cap: growCap(s.cap, s.len + 1) };
}

function kindOf(v: JsonValue): ElemKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return '<nil>';
}

function errBadArgType(expected: string, actual: unknown): PatchError {
  return invalid(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

function errNoMergeKey(m: JsonObject, key: string): PatchError {
  return invalid(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

function errBadPatchType(t: unknown, m: JsonObject): PatchError {
  return invalid(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw badRequest(ERR_BAD_PRIMITIVE_LIST);
    if (prefix === SET_ELEMENT_ORDER) throw badRequest(ERR_BAD_SET_ELEMENT_ORDER);
    throw badRequest(`fail to find unknown prefix ${JSON.stringify(prefix)} in ${s}`);
  }
  return s.slice(slash + 1);
}

/**
 * Merge metadata for list field `key`: from the schema, or inferred from the directives the
 * client put next to it (only ever when the schema does not already say "merge").
 */
function listMeta(schema: TypeSchema | undefined, key: string, hints: Map<string, string>): ListMeta {
  const f = fieldOf(schema, key);
  if (f?.list === 'merge' && f.mergeKey) return { merge: true, mergeKey: f.mergeKey, elem: f.type };
  if (f?.list === 'set') return { merge: true, mergeKey: '', elem: undefined };
  const hinted = hints.get(key);
  if (hinted !== undefined) return { merge: true, mergeKey: hinted, elem: f?.type };
  return { merge: false, mergeKey: '', elem: f?.type };
}

/** field -> merge key ('' for primitives) as revealed by SMP directives in this patch map. */
function inferHints(patch: JsonObject): Map<string, string> {
  const hints = new Map<string, string>();
  for (const key of Object.keys(patch)) {
    const v = patch[key];
    if (key.startsWith(`${SET_ELEMENT_ORDER}/`) && Array.isArray(v) && v.length > 0) {
      const name = key.slice(SET_ELEMENT_ORDER.length + 1);
      if (v.every((x) => !isObject(x) && !Array.isArray(x))) {
        hints.set(name, '');
      } else {
        const k = singleKey(v.map((x) => (isObject(x) ? Object.keys(x) : [])));
        if (k !== undefined) hints.set(name, k);
      }
    } else if (key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)) {
      hints.set(key.slice(DELETE_FROM_PRIMITIVE_LIST.length + 1), '');
    } else if (Array.isArray(v) && !key.startsWith('$')) {
      const directiveItems = v.filter((x): x is JsonObject => isObject(x) && hasOwn(x, DIRECTIVE));
      if (directiveItems.length > 0 && !hints.has(key)) {
        const k = singleKey(directiveItems.map((x) => Object.keys(x).filter((n) => n !== DIRECTIVE)));
        if (k !== undefined) hints.set(key, k);
      }
    }
  }
  return hints;
}

function singleKey(keyLists: string[][]): string | undefined {
  let found: string | undefined;
  for (const keys of keyLists) {
    if (keys.length !== 1) return undefined;
    if (found === undefined) found = keys[0];
    else if (found !== keys[0]) return undefined;
  }
  return found;
}

// --- maps -----------------------------------------------------------------------------------

/** mergeMap: merges `patch` into `original` (both owned by us; `original` is modified). */
function mergeMap(original: JsonObject, patch: JsonObject, schema: TypeSchema | undefined): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      // Replace the whole map with the patch (itself merged into nothing, to apply any
      // directives it contains).
      delete patch[DIRECTIVE];
      return mergeMap({}, patch, schema);
    }
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw errBadPatchType(directive, patch);
    delete patch[DIRECTIVE];
  }

  const hints = inferHints(patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema, hints);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey]!;
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
      if (patchV !== null && !Array.isArray(patchV)) throw badRequest(ERR_BAD_PRIMITIVE_LIST);
    } else if (rawKey.startsWith('$')) {
      throw badRequest(`unknown strategic merge patch directive ${JSON.stringify(rawKey)}`);
    }

    if (patchV === null) {
      if (hasOwn(original, k)) delete original[k];
      continue;
    }

    if (!hasOwn(original, k)) {
      if (!isDeleteList) {
        const v = freshValue(patchV, schema, k, hints);
        if (v !== undefined) setOwn(original, k, v);
      }
      continue;
    }

    const originalV = original[k]!;
    const ok = kindOf(originalV);
    if (ok !== kindOf(patchV)) {
      if (!isDeleteList) {
        const v = freshValue(patchV, schema, k, hints);
        if (v === undefined) delete original[k];
        else setOwn(original, k, v);
      }
      continue;
    }

    if (ok === 'map') {
      const f = fieldOf(schema, k);
      const merged = f?.replace
        ? freshValue(patchV, schema, k, hints)
        : mergeMap(originalV as JsonObject, patchV as JsonObject, f?.type);
      if (merged === undefined) delete original[k];
      else setOwn(original, k, merged);
    } else if (ok === 'slice') {
      setOwn(
        original,
        k,
        mergeSliceHandler(goSliceOf(originalV as JsonValue[]), patchV as JsonValue[], listMeta(schema, k, hints), isDeleteList),
      );
    } else if (!isDeleteList) {
      setOwn(original, k, patchV);
    }
  }
  return original;
}

/**
 * A patch value for a key the original lacks (or holds with another type): apply it to
 * "nothing" so directives and nulls inside it take effect. undefined = do not set the key.
 */
function freshValue(v: JsonValue, schema: TypeSchema | undefined, key: string, hints: Map<string, string>): JsonValue | undefined {
  if (isObject(v)) {
    if (hasOwn(v, DIRECTIVE) && v[DIRECTIVE] === 'delete') return undefined;
    return mergeMap({}, v, fieldOf(schema, key)?.type);
  }
  if (Array.isArray(v)) return mergeSliceHandler(goSliceOf([]), v, listMeta(schema, key, hints), false);
  return v;
}

/** applyRetainKeysDirective: clear keys of `original` not listed in `$retainKeys`. */
function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  const retain = new Set<JsonValue>(list);
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retain.has(k)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) {
    if (!retain.has(k)) delete original[k];
  }
}

/**
 * mergePatchIntoOriginal: handles every `$setElementOrder/<list>` directive, merging the
 * list's patch (if any) and then ordering the result: $setElementOrder > patch order > live
 * order. The list's patch is removed from `patch` so it is not merged twice.
 */
function mergePatchIntoOriginal(
  original: JsonObject,
  patch: JsonObject,
  schema: TypeSchema | undefined,
  hints: Map<string, string>,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw badRequest(ERR_BAD_SET_ELEMENT_ORDER);
    const originalKey = extractKey(key, SET_ELEMENT_ORDER);

    let foundOriginal = hasOwn(original, originalKey) && original[originalKey] !== null;
    const foundPatch = hasOwn(patch, originalKey);
    let originalSlice = goSliceOf([]);
    let patchFieldValue: JsonValue[] = [];
    if (foundOriginal) {
      const v = original[originalKey];
      if (!Array.isArray(v)) {
        // The live value is not a list (corrupt or different type): let the plain merge
        // below replace it.
        foundOriginal = false;
      } else {
        originalSlice = goSliceOf(v);
      }
    }
    if (foundPatch) {
      const v = patch[originalKey];
      if (v === null) continue; // the list is being deleted; ordering is moot
      if (!Array.isArray(v)) throw errBadArgType('[]interface {}', v);
      patchFieldValue = v;
    }

    const meta = listMeta(schema, originalKey, hints);
    if (!meta.merge) continue; // ordering a list we replace wholesale: nothing to do

    validatePatchWithSetOrderList(patchFieldValue, setOrder, meta.mergeKey);

    let merged: JsonValue[];
    if (foundOriginal && !foundPatch) merged = view(originalSlice);
    else if (!foundOriginal && foundPatch) merged = mergeSlice(goSliceOf([]), patchFieldValue, meta.elem, meta.mergeKey, false);
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalSlice, patchFieldValue, meta, false);
    else continue;

    if (merged.length > 0) {
      // Read *after* the merge: the merge may have rewritten the shared backing array.
      const originalFieldValue = view(originalSlice);
      const [patchItems, serverOnlyItems] =
        meta.mergeKey === ''
          ? partitionPrimitivesByPresentInList(merged, setOrder)
          : partitionMapsByPresentInList(merged, setOrder, meta.mergeKey);
      const kind = sliceElementType([originalFieldValue, patchFieldValue]);
      merged = normalizeElementOrder(patchItems, serverOnlyItems, setOrder, originalFieldValue, meta.mergeKey, kind);
    }
    setOwn(original, originalKey, merged);
    delete patch[originalKey];
  }
}

/**
 * validatePatchWithSetOrderList: the relative order of the items in the patch list must match
 * the `$setElementOrder` list, and patch items must be a subset of it (deletions ignored).
 */
function validatePatchWithSetOrderList(patchList: JsonValue[], setOrderList: JsonValue[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDeleteList = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let patchIndex = 0;
  let setOrderIndex = 0;
  while (patchIndex < nonDeleteList.length && setOrderIndex < setOrderList.length) {
    const item = nonDeleteList[patchIndex]!;
    if (isObject(item) && hasOwn(item, DIRECTIVE)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(item, setOrderList[setOrderIndex]!, mergeKey)) patchIndex++;
    setOrderIndex++;
  }
  if (patchIndex < nonDeleteList.length && setOrderIndex >= setOrderList.length) {
    throw invalid(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(setOrderList)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isObject(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isObject(right)) throw errBadArgType('map[string]interface {}', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

// --- lists ----------------------------------------------------------------------------------

function mergeSliceHandler(original: GoSlice, patch: JsonValue[], meta: ListMeta, isDeleteList: boolean): JsonValue[] {
  if (meta.merge || isDeleteList) return mergeSlice(original, patch, meta.elem, meta.mergeKey, isDeleteList);
  // Atomic list: the patch list replaces the original (directive items dropped, nulls inside
  // objects discarded).
  const out: JsonValue[] = [];
  for (const v of patch) {
    if (isObject(v)) {
      if (hasOwn(v, DIRECTIVE)) continue;
      out.push(mergeMap({}, v, meta.elem));
    } else {
      out.push(v);
    }
  }
  return out;
}

/** mergeSlice: merges two lists with the merge strategy. */
function mergeSlice(
  original: GoSlice,
  patch: JsonValue[],
  elem: TypeSchema | undefined,
  mergeKey: string,
  isDeleteList: boolean,
): JsonValue[] {
  if (original.len === 0 && patch.length === 0) return view(original);
  const kind = sliceElementType([view(original), patch]);

  let merged: JsonValue[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(view(original), patch);
    // both := append(original, patch...); deduplicateScalars(both) works in place.
    let both: GoSlice;
    if (original.len + patch.length <= original.cap) {
      patch.forEach((v, i) => (original.buf[original.len + i] = v));
      both = { buf: original.buf, len: original.len + patch.length, cap: original.cap };
    } else {
      const buf = [...view(original), ...patch];
      both = { buf, len: buf.length, cap: buf.length };
    }
    merged = deduplicateScalars(both);
  } else {
    if (!mergeKey) throw invalid('cannot merge lists without merge key for type map');
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey, elem);
    merged = view(mergeSliceWithoutSpecialElements(original, patch, mergeKey, elem));
  }

  // enforce the order
  const [patchItems, serverOnlyItems] =
    mergeKey === '' ? partitionPrimitivesByPresentInList(merged, patch) : partitionMapsByPresentInList(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnlyItems, patch, view(original), mergeKey, kind);
}

/**
 * mergeSliceWithSpecialElements: applies `$patch: delete` items (removing every match) and
 * `$patch: replace` (the list becomes the patch's plain items). Returns the updated original
 * and the patch without special items.
 */
function mergeSliceWithSpecialElements(
  original: GoSlice,
  patch: JsonValue[],
  mergeKey: string,
  elem: TypeSchema | undefined,
): [GoSlice, JsonValue[]] {
  const plain: JsonValue[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!hasOwn(m, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = m[DIRECTIVE];
    switch (directive) {
      case 'delete': {
        if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
        original = deleteMatchingEntries(original, mergeKey, m[mergeKey]!);
        break;
      }
      case 'replace':
        replace = true; // keep scanning to prune the other $patch items
        break;
      case 'merge': {
        const rest: JsonObject = { ...m };
        delete rest[DIRECTIVE];
        plain.push(rest);
        break;
      }
      default:
        throw errBadPatchType(directive, m);
    }
  }
  if (replace) return [goSliceOf(plain.map((v) => mergeMap({}, v as JsonObject, elem))), []];
  return [original, plain];
}

/** Deletes every match by shifting the backing array left: append(s[:i], s[i+1:]...). */
function deleteMatchingEntries(original: GoSlice, mergeKey: string, mergeValue: JsonValue): GoSlice {
  let len = original.len;
  const buf = original.buf;
  for (;;) {
    const idx = findMapInSliceBasedOnKeyValue(buf.slice(0, len), mergeKey, mergeValue);
    if (idx < 0) break;
    for (let i = idx; i < len - 1; i++) buf[i] = buf[i + 1]!;
    len--;
  }
  return { buf, len, cap: original.cap };
}

function mergeSliceWithoutSpecialElements(
  original: GoSlice,
  patch: JsonValue[],
  mergeKey: string,
  elem: TypeSchema | undefined,
): GoSlice {
  let out = original;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const idx = findMapInSliceBasedOnKeyValue(view(out), mergeKey, m[mergeKey]!);
    if (idx >= 0) out.buf[idx] = mergeMap(out.buf[idx] as JsonObject, m, elem);
    else out = goAppend(out, mergeMap({}, m, elem));
  }
  return out;
}

function findMapInSliceBasedOnKeyValue(list: JsonValue[], key: string, value: JsonValue): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw invalid(`value for key ${i} is not a map.`);
    if (hasOwn(item, key) && item[key] === value) return i;
  }
  return -1;
}

function deleteFromSlice(current: JsonValue[], toDelete: JsonValue[]): JsonValue[] {
  const del = new Set<JsonValue>(toDelete);
  return current.filter((v) => !del.has(v));
}

/** Go's deduplicateScalars, in place, including how it reorders (last item into the hole). */
function deduplicateScalars(s: GoSlice): JsonValue[] {
  const b = s.buf;
  let length = s.len - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (b[i] === b[j]) {
        b[j] = b[length]!;
        length--;
        j--;
      }
    }
  }
  return b.slice(0, length + 1);
}

function sliceElementType(slices: JsonValue[][]): ElemKind {
  let prev: ElemKind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const t = kindOf(v);
      if (prev === undefined) {
        prev = t;
        if (prev === 'slice') throw invalid(ERR_NO_LIST_OF_LISTS);
      } else if (prev !== t) {
        throw invalid(`list element types are not identical: ${goFormat(slices)}`);
      }
    }
  }
  if (prev === undefined) throw invalid('no elements in any of the given slices');
  return prev;
}

// --- ordering -------------------------------------------------------------------------------

function partitionPrimitivesByPresentInList(original: JsonValue[], partitionBy: JsonValue[]): [JsonValue[], JsonValue[]] {
  const inPatch = new Set<JsonValue>(partitionBy);
  const patch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of original) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMapsByPresentInList(original: JsonValue[], partitionBy: JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const patch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of original) {
    if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const found = findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey]!) >= 0;
    (found ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/**
 * normalizeElementOrder: sorts `patch` by `patchOrder` and `serverOnly` by `serverOrder`, then
 * interleaves them (mergeSortedSlice).
 */
function normalizeElementOrder(
  patch: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
  kind: ElemKind,
): JsonValue[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/**
 * mergeSortedSlice: inserts each item of `left` (server-only) into `right` (patch items),
 * keeping both relative orders; an item goes before the first `right` item it precedes in the
 * live list (items unknown to the live list keep their place).
 */
function mergeSortedSlice(
  left: JsonValue[],
  right: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
  kind: ElemKind,
): JsonValue[] {
  const size = left.length + right.length;
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k < size; k++) {
    if (i >= left.length && j < right.length) {
      out.push(right[j++]!);
    } else if (j >= right.length && i < left.length) {
      out.push(left[i++]!);
    } else {
      const li = index(serverOrder, left[i]!, mergeKey, kind);
      const ri = index(serverOrder, right[j]!, mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

function index(list: JsonValue[], value: JsonValue, mergeKey: string, kind: ElemKind): number {
  const get =
    kind === 'map'
      ? (item: JsonValue): JsonValue | undefined => (isObject(item) ? (getOwn(item, mergeKey) ?? null) : null)
      : (item: JsonValue): JsonValue | undefined => item;
  const want = get(value);
  for (let i = 0; i < list.length; i++) {
    if (get(list[i]!) === want) return i;
  }
  return -1;
}

/** normalizeSliceOrder: sort `toSort` by `order` (delete directives go last). */
function normalizeSliceOrder(toSort: JsonValue[], order: JsonValue[], mergeKey: string, kind: ElemKind): JsonValue[] {
  let items = [...toSort];
  let toDelete: JsonValue[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  // Go's sort.SliceStable with this (non-strict) comparator is an insertion sort for the list
  // sizes that occur here; replicate it exactly so ties resolve like upstream.
  const less = (a: JsonValue, b: JsonValue): boolean => {
    const ia = index(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = index(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (let x = 1; x < items.length; x++) {
    for (let y = x; y > 0 && less(items[y]!, items[y - 1]!); y--) {
      const t = items[y]!;
      items[y] = items[y - 1]!;
      items[y - 1] = t;
    }
  }
  return [...items, ...toDelete];
}

function validateMergeKeyInLists(mergeKey: string, ...lists: JsonValue[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) throw errBadArgType('map[string]interface {}', item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(list: JsonValue[]): [JsonValue[], JsonValue[]] {
  const nonDelete: JsonValue[] = [];
  const toDelete: JsonValue[] = [];
  for (const v of list) {
    if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
    (hasOwn(v, DIRECTIVE) && v[DIRECTIVE] === 'delete' ? toDelete : nonDelete).push(v);
  }
  return [nonDelete, toDelete];
}
