/**
 * Loose accessors for describe: objects are decoded JSON from any server, so a missing or
 * mistyped field prints as Go's zero value instead of failing.
 */
import type { Obj } from '../../api/kinds/fields.ts';
import { humanDuration, parseTimestamp } from '../../api/pod-status.ts';
import { parseQuantity, type Quantity } from '../../api/quantity.ts';
import { goSprint } from '../go-sprint.ts';

export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
export function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : goSprint(x))) : [];
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : goSprint(v);
}
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = str(x);
  return out;
}
export function stringOrNone(s: string): string {
  return s.length > 0 ? s : '<none>';
}
/** A metav1.Time's HumanDuration since now (`<unknown>` when unset). */
export function since(ts: unknown, now: number): string {
  const t = parseTimestamp(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
/** Quantity.String() of a stored quantity (its canonical form), the raw text if unparsable. */
export function quantityString(v: unknown): string {
  const q = quantity(v);
  return q ? q.toString() : str(v);
}
export function quantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}
export function printBool(v: unknown): string {
  return v === true ? 'True' : 'False';
}
