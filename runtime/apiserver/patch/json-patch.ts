/**
 * JSON Patch, RFC 6902 (`application/json-patch+json`), with JSON Pointers per RFC 6901.
 *
 * Operations: add, remove, replace, move, copy, test; `-` appends to an array; `~1`/`~0`
 * unescape to `/`/`~` (in that order); unrecognised members of an operation are ignored
 * (RFC 6902 §4). The patch is atomic: any failing operation throws and nothing is returned.
 *
 * Error messages follow evanphx/json-patch (v4, what the Kubernetes API server uses), e.g.
 * `replace operation does not apply: doc is missing path: /spec/foo: missing value`.
 * Where evanphx v4 is laxer than the RFC we follow the RFC (and say so in the message):
 *   - `replace` of a missing object member fails (v4 silently adds it);
 *   - negative array indices and pointers not starting with `/` are rejected;
 *   - `add`/`replace`/`test` without a `value` member fail.
 */
import { badRequest, invalid, PatchError } from './errors.ts';
import { jsonEqual as deepEqual } from '../../../lib/api/equal.ts';
import { clone, getOwn, hasOwn, isObject, setOwn, type JsonObject, type JsonValue } from './json.ts';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test' | string;
  path: string;
  value?: unknown;
  from?: string;
}

/** The API server refuses JSON patches with more operations than this (413). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | JsonValue[];

export function applyJsonPatch(target: unknown, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(ops)} into Go value of type jsonpatch.Patch`);
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      413,
      `The allowed number of operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  const state = { doc: clone(target as JsonValue) };
  for (const op of ops) {
    if (!isObject(op)) {
      throw badRequest(`json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`);
    }
    applyOne(state, op);
  }
  return state.doc;
}

function applyOne(state: { doc: JsonValue }, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': {
      const path = requirePath(op, 'path', kind);
      add(state, path, requireValue(op, kind), kind);
      return;
    }
    case 'remove': {
      const path = requirePath(op, 'path', kind);
      remove(state, path, `remove operation does not apply: doc is missing path: "${path}"`, `error in remove for path: '${path}'`);
      return;
    }
    case 'replace': {
      const path = requirePath(op, 'path', kind);
      const value = requireValue(op, kind);
      const tokens = parsePointer(path, kind);
      if (tokens.length === 0) {
        state.doc = value;
        return;
      }
      const { parent, key } = resolveParent(state.doc, tokens);
      if (parent === undefined) throw missing(`replace operation does not apply: doc is missing path: ${path}`);
      if (Array.isArray(parent)) {
        const idx = arrayIndex(key);
        if (idx === undefined || idx >= parent.length) {
          throw missing(`replace operation does not apply: doc is missing key: ${path}`);
        }
        parent[idx] = value;
      } else {
        if (!hasOwn(parent, key)) throw missing(`replace operation does not apply: doc is missing key: ${path}`);
        setOwn(parent, key, value);
      }
      return;
    }
    case 'move': {
      const from = requirePath(op, 'from', kind);
      const path = requirePath(op, 'path', kind);
      const fromTokens = parsePointer(from, kind);
      const pathTokens = parsePointer(path, kind);
      if (fromTokens.length < pathTokens.length && fromTokens.every((t, i) => t === pathTokens[i])) {
        throw invalid(`move operation does not apply: from path ${from} is a proper prefix of path ${path}`);
      }
      if (from === path) {
        get(state.doc, from, `move operation does not apply: doc is missing from path: ${from}`);
        return;
      }
      const value = remove(
        state,
        from,
        `move operation does not apply: doc is missing from path: ${from}`,
        `error in move for path: '${from}'`,
      );
      add(state, path, value, kind);
      return;
    }
    case 'copy': {
      const from = requirePath(op, 'from', kind);
      const path = requirePath(op, 'path', kind);
      const value = get(state.doc, from, `copy operation does not apply: doc is missing from path: ${from}`);
      add(state, path, clone(value), kind);
      return;
    }
    case 'test': {
      const path = requirePath(op, 'path', kind);
      const expected = requireValue(op, kind);
      const tokens = parsePointer(path, kind);
      let actual: JsonValue | undefined;
      if (tokens.length === 0) {
        actual = state.doc;
      } else {
        const { parent, key } = resolveParent(state.doc, tokens);
        if (parent === undefined) throw missing(`test operation does not apply: is missing path: ${path}`);
        actual = childOf(parent, key);
      }
      if (actual === undefined || !deepEqual(actual, expected)) {
        throw invalid(`testing value ${path} failed: test failed`);
      }
      return;
    }
    default:
      throw invalid(`Unexpected kind: ${kind}`);
  }
}

function add(state: { doc: JsonValue }, path: string, value: JsonValue, kind: string): void {
  const tokens = parsePointer(path, kind);
  if (tokens.length === 0) {
    state.doc = value;
    return;
  }
  const { parent, key } = resolveParent(state.doc, tokens);
  const what = kind === 'add' ? `add operation does not apply: doc is missing path: "${path}"` : `${kind} operation does not apply: doc is missing destination path: ${path}`;
  if (parent === undefined) throw missing(what);
  if (Array.isArray(parent)) {
    const prefix = kind === 'add' ? `error in add for path: '${path}'` : `error in ${kind} for path: '${path}'`;
    if (key === '-') {
      parent.push(value);
      return;
    }
    const idx = arrayIndex(key);
    if (idx === undefined) throw invalid(`${prefix}: value was not a proper array index: '${key}'`);
    if (idx > parent.length) throw invalid(`${prefix}: Unable to access invalid index: ${idx}: invalid index referenced`);
    parent.splice(idx, 0, value);
    return;
  }
  setOwn(parent, key, value);
}

/** Removes and returns the value at `path`. */
function remove(state: { doc: JsonValue }, path: string, missingPath: string, prefix: string): JsonValue {
  const tokens = parsePointer(path, 'remove');
  if (tokens.length === 0) throw missing(missingPath);
  const { parent, key } = resolveParent(state.doc, tokens);
  if (parent === undefined) throw missing(missingPath);
  if (Array.isArray(parent)) {
    const idx = arrayIndex(key);
    if (idx === undefined || idx >= parent.length) {
      throw invalid(`${prefix}: Unable to access invalid index: ${key}: invalid index referenced`);
    }
    return parent.splice(idx, 1)[0]!;
  }
  if (!hasOwn(parent, key)) throw missing(`${prefix}: Unable to remove nonexistent key: ${key}`);
  const v = parent[key]!;
  delete parent[key];
  return v;
}

function get(doc: JsonValue, path: string, missingPath: string): JsonValue {
  const tokens = parsePointer(path, 'copy');
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens);
  if (parent === undefined) throw missing(missingPath);
  const v = childOf(parent, key);
  if (v === undefined) throw missing(missingPath);
  return v;
}

function childOf(parent: Container, key: string): JsonValue | undefined {
  if (Array.isArray(parent)) {
    const idx = arrayIndex(key);
    return idx === undefined ? undefined : parent[idx];
  }
  return getOwn(parent, key);
}

/** The container holding the last token, or parent: undefined if any step is missing. */
function resolveParent(doc: JsonValue, tokens: string[]): { parent: Container | undefined; key: string } {
  let cur: JsonValue | undefined = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return { parent: undefined, key: '' };
    cur = childOf(cur, tokens[i]!);
  }
  if (cur === null || cur === undefined || typeof cur !== 'object') return { parent: undefined, key: '' };
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

/** RFC 6901: "" is the whole document; otherwise "/"-separated reference tokens. */
export function parsePointer(pointer: string, kind = 'pointer'): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw invalid(`${kind} operation does not apply: invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((t) => {
      if (/~[^01]|~$/.test(t)) {
        throw invalid(`${kind} operation does not apply: invalid escape in JSON pointer ${JSON.stringify(pointer)}`);
      }
      return t.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Encodes one reference token (the inverse of the unescaping in parsePointer). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

function requirePath(op: JsonObject, member: 'path' | 'from', kind: string): string {
  const v = getOwn(op, member);
  if (typeof v !== 'string') {
    throw missing(member === 'path' ? `${kind} operation failed to decode path: operation missing path field` : `${kind} operation failed to decode from: operation, missing from field`);
  }
  return v;
}

function requireValue(op: JsonObject, kind: string): JsonValue {
  if (!hasOwn(op, 'value') || op.value === undefined) throw missing(`${kind} operation does not apply: operation, missing value field`);
  return clone(op.value);
}

function missing(message: string): PatchError {
  return invalid(`${message}: missing value`);
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
