/**
 * JSON value helpers shared by the patch engines.
 *
 * All engines work on plain JSON data (what JSON.parse / the `yaml` package produce). Property
 * access always goes through own-property checks so that keys such as `constructor` or
 * `__proto__` in a patch are ordinary data, never prototype lookups or prototype writes.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** `o[k]` if `k` is an own property, else undefined. */
export function getOwn(o: JsonObject, k: string): JsonValue | undefined {
  return hasOwn(o, k) ? o[k] : undefined;
}

/** `o[k] = v`, safe for `__proto__` (defines an own data property instead of re-prototyping). */
export function setOwn(o: JsonObject, k: string, v: JsonValue): void {
  if (k === '__proto__') {
    Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  } else {
    o[k] = v;
  }
}

/** Deep copy of JSON data (undefined members are dropped, like JSON.stringify would). */
export function clone<T>(v: T): T {
  return cloneValue(v as unknown) as T;
}

function cloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) {
      const child = v[k];
      if (child !== undefined) setOwn(out, k, cloneValue(child) as JsonValue);
    }
    return out;
  }
  return v;
}


/** Go-ish rendering of a value for error messages (`map[a:1 b:x]`, `[1 2]`). */
export function goFormat(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(' ')}]`;
  }
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}
