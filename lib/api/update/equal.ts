import { jsonEqual } from '../equal.ts';

/**
 * apiequality.Semantic.DeepEqual on decoded JSON: as jsonEqual, and a nil list or map is the same
 * as an empty one (Go's `omitempty` would not serialize either), null the same as absent.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return jsonEqual(normalize(a), normalize(b));
}

function normalize(v: unknown): unknown {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const n = normalize(x);
    if (n !== undefined) out[k] = n;
  }
  return out;
}
