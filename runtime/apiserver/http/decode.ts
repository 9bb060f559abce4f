/**
 * Decoding what a client sends, refusing with 400 (never failing with 500): JSON bodies bounded
 * in nesting depth, and integer query parameters parsed as Go's strconv does.
 */
import { goQuote } from '../../../lib/api/labels.ts';
import { errors } from '../status.ts';

/**
 * Deepest nesting of arrays and objects a request body may have. Kubernetes' decoder stops at
 * 10,000 (apimachinery util/json: `exceeded max depth of 10000`); kite's walkers (validation,
 * the patch engines, structuredClone) recurse on the JS stack and run out below that, so the
 * bound is lower here. No Kubernetes object comes near it.
 */
export const MAX_JSON_DEPTH = 1000;

/** JSON.parse, then the depth bound; both refusals are 400s with `what` naming the body. */
export function parseJsonText(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`${what}: ${(e as Error).message}`);
  }
  checkDepth(value, what);
  return value;
}

/** Throws 400 when `value` nests deeper than MAX_JSON_DEPTH (an explicit stack: no recursion). */
export function checkDepth(value: unknown, what: string): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw errors.badRequest(`${what}: exceeded max depth of ${MAX_JSON_DEPTH}`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}

/** How Go's decoder names a JSON value it cannot unmarshal: `json: cannot unmarshal <this> into …`. */
export function jsonTypeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
}

/**
 * An integer query parameter (limit, timeoutSeconds, gracePeriodSeconds, tailLines, …), or
 * undefined when absent. The API server converts them with strconv.ParseInt and answers 400
 * with its error text.
 */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const n = parseGoInt(v);
  if (typeof n === 'string') throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(v)}: ${n}`);
  return n;
}

const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(v, 10, 64): the number, or Go's reason (`invalid syntax`, `value out of range`). */
function parseGoInt(v: string): number | string {
  if (!/^[+-]?\d+$/.test(v)) return 'invalid syntax';
  const big = BigInt(v);
  if (big > INT64_MAX || big < -INT64_MAX - 1n) return 'value out of range';
  return Number(big);
}

/**
 * A resourceVersion parameter: "" and "0" mean "any"; anything else must parse as a uint64
 * (storage's APIObjectVersioner.ParseResourceVersion, reported as a field.Invalid).
 */
export function parseResourceVersion(v: string): number | undefined {
  if (v === '' || v === '0') return undefined;
  let reason: string | undefined;
  if (!/^\d+$/.test(v)) reason = 'invalid syntax';
  else if (BigInt(v) > 2n ** 64n - 1n) reason = 'value out of range';
  if (reason) throw errors.badRequest(`resourceVersion: Invalid value: ${goQuote(v)}: strconv.ParseUint: parsing ${goQuote(v)}: ${reason}`);
  return Number(v);
}
