/**
 * Shared building blocks for the object model:
 *  - zod schema helpers (integers, int-or-string, quantities, sorted string maps),
 *  - defensive accessors used by semantic validation (which also runs on input that failed
 *    the schema, so it must never assume a shape),
 *  - `field.*`-style error constructors producing Kubernetes-worded Diagnostics.
 */
import { z } from 'zod';
import { fieldError, type Diagnostic } from '../diagnostics.ts';
import { goQuote } from '../labels.ts';
import { inclusiveRangeError } from '../names.ts';

// ---------------------------------------------------------------------------------------------
// Schema helpers (built once; zod schemas are immutable and safe to share)

/** Every numeric field in the core/v1 and apps/v1 subset we model is an integer (int32/int64). */
export const zInt = z.int();
export const zStr = z.string();
export const zBool = z.boolean();
export const zStrList = z.array(z.string());

/** intstr.IntOrString: a JSON number (integer) or a string. */
export const zIntOrString = z.union([z.int(), z.string()]);
export type IntOrString = number | string;

function byKey<V>(m: Record<string, V>): Record<string, V> {
  // Go's encoding/json marshals maps with sorted keys: that is the canonical order.
  const keys = Object.keys(m);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return m;
  keys.sort();
  const out: Record<string, V> = {};
  for (const k of keys) out[k] = m[k]!;
  return out;
}

/** map[string]string (labels, annotations, selectors, nodeSelector): keys emitted sorted. */
export const zStringMap = z.record(z.string(), z.string()).transform(byKey);

/**
 * resource.Quantity: users may write `500m`, `1.5`, `128Mi` or a bare YAML number. The value is
 * kept as written (numbers become their decimal string, `cpu: 1` -> `"1"`); validity is checked
 * semantically with parseQuantity so that the Kubernetes message is reported.
 */
export const zQuantity = z.union([z.string(), z.number()], { error: 'expected a quantity (string or number)' }).transform((v): string => (typeof v === 'number' ? String(v) : v));
export type QuantityInput = string | number;

/** v1.ResourceList: resource name -> quantity, keys sorted. */
export const zQuantityMap = z.record(z.string(), zQuantity).transform(byKey);

/**
 * A string field whose TypeScript type is a union of known values, but which accepts any string
 * at runtime so that semantic validation can report Kubernetes' own message for bad values
 * (e.g. label selector operators: `not a valid selector operator`).
 */
export function looseEnum<const T extends readonly string[]>(values: T): z.ZodType<T[number], T[number]> {
  void values;
  return z.string() as unknown as z.ZodType<T[number], T[number]>;
}

/** Loosely typed subtrees (status, affinity terms, managedFields): any JSON object. */
export const zAnyObject = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------------------------------------
// Defensive accessors

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function asArr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asStr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function asBool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** The string-valued entries of a map (non-string values were already reported by the schema). */
export function asStrMap(v: unknown): Record<string, string> | undefined {
  const o = asObj(v);
  if (!o) return undefined;
  let clean = true;
  for (const k in o) {
    if (typeof o[k] !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return o as Record<string, string>;
  const out: Record<string, string> = {};
  for (const k in o) if (typeof o[k] === 'string') out[k] = o[k];
  return out;
}

export function asStrList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

// ---------------------------------------------------------------------------------------------
// field.* error constructors (k8s.io/apimachinery/pkg/util/validation/field): each pushes a
// Diagnostic with the bad value; lib/api/field-error.ts renders it as field.Error does.

export type Out = Diagnostic[];

export function required(out: Out, path: string, detail = ''): void {
  out.push(fieldError('required', path, undefined, detail));
}

/** field.Invalid; `value` as Go holds it (go-value.ts: a GoTyped value for maps, slices, structs). */
export function invalid(out: Out, path: string, value: unknown, detail: string): void {
  out.push(fieldError('invalid', path, value ?? null, detail));
}

export function notSupported(out: Out, path: string, value: unknown, valid: readonly string[]): void {
  const list = valid.map((s) => goQuote(s)).join(', ');
  out.push(fieldError('unsupported', path, value ?? null, list ? `supported values: ${list}` : ''));
}

export function forbidden(out: Out, path: string, detail: string): void {
  out.push(fieldError('forbidden', path, undefined, detail));
}

export function duplicate(out: Out, path: string, value: unknown): void {
  out.push(fieldError('duplicate', path, value ?? null));
}

/** field.NotFound; its detail is empty upstream, kite adds one where the reason helps. */
export function notFound(out: Out, path: string, value: unknown, detail = ''): void {
  out.push(fieldError('not-found', path, value ?? null, detail));
}

/** field.TooLong: the value is never printed. */
export function tooLong(out: Out, path: string, max: number): void {
  out.push(fieldError('too-long', path, undefined, `must have at most ${max} bytes`));
}

/** field.TooMany */
export function tooMany(out: Out, path: string, actual: number, max: number): void {
  out.push(fieldError('too-many', path, actual, `must have at most ${max} items`));
}

/** An integer outside [lo, hi]: `Invalid value: 0: must be between 1 and 65535, inclusive` (validation.InclusiveRangeError). */
export function checkRange(out: Out, path: string, v: unknown, lo: number, hi: number): void {
  const n = asInt(v);
  if (n !== undefined && (n < lo || n > hi)) invalid(out, path, n, inclusiveRangeError(lo, hi));
}

/** apimachinery ValidateNonnegativeField. */
export function checkNonNegative(out: Out, path: string, v: unknown): void {
  const n = asInt(v);
  if (n !== undefined && n < 0) invalid(out, path, n, 'must be greater than or equal to 0');
}

/** field.Path.Key: map keys render as `path[key]`, as Kubernetes prints them. */
export function keyPath(path: string, key: string): string {
  return `${path}[${key}]`;
}

/** Report every message of a string validator (names.ts style) as Invalid value. */
export function invalidEach(out: Out, path: string, value: string, msgs: readonly string[]): void {
  for (const m of msgs) invalid(out, path, value, m);
}
