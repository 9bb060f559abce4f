/**
 * JSON Merge Patch, RFC 7386 (`application/merge-patch+json`).
 *
 *   define MergePatch(Target, Patch):
 *     if Patch is an Object:
 *       if Target is not an Object: Target = {}
 *       for each Name/Value pair in Patch:
 *         if Value is null: remove Name from Target (if present)
 *         else: Target[Name] = MergePatch(Target[Name], Value)
 *       return Target
 *     else:
 *       return Patch
 *
 * Lists are always replaced wholesale — which is exactly why kubectl does not use this for
 * built-in kinds (see strategic.ts). Inputs are never mutated.
 */
import { clone, getOwn, hasOwn, isObject, setOwn, type JsonObject, type JsonValue } from './json.ts';

export function applyJsonMergePatch(target: unknown, patch: unknown): JsonValue {
  return mergeInto(isObject(patch) ? clone(target as JsonValue) : undefined, patch as JsonValue);
}

function mergeInto(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? target : {};
  for (const k of Object.keys(patch)) {
    const v = patch[k]!;
    if (v === null) {
      if (hasOwn(out, k)) delete out[k];
    } else {
      setOwn(out, k, mergeInto(getOwn(out, k), v));
    }
  }
  return out;
}
