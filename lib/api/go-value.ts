/**
 * A bad value printed as Kubernetes 1.32's field.Error.ErrorBody prints it
 * (k8s.io/apimachinery/pkg/util/validation/field/errors.go): Go's scalars with `%v` (strings
 * `%q`), nil as `"null"`, types with a String() method by it, everything else with `%#v`
 * (`map[string]string{"app":"yy"}`, `[]string{"a", "b"}`, `map[string]string(nil)`).
 *
 * A JS value does not carry its Go type, so where the type shows in the text (maps, slices,
 * nil maps, structs) the caller says it with a GoTyped value; untyped JS objects and arrays are
 * printed as the Go type JSON decodes them to (`map[string]interface {}`, `[]interface {}`),
 * except that all-string maps and arrays read as `map[string]string` and `[]string`, the types
 * they almost always are in the Kubernetes API.
 */
import { goQuote, quoteBadValue } from './labels.ts';
import type { LabelSelector } from './selector.ts';

/** A value with its Go type: `map[string]string`, `[]string`, `[]core.IPFamily`, `*v1.LabelSelector`. */
export interface GoTyped {
  readonly goType: string;
  /** undefined is the type's nil. */
  readonly value?: unknown;
}

export function isGoTyped(v: unknown): v is GoTyped {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { goType?: unknown }).goType === 'string' && Object.keys(v).every((k) => k === 'goType' || k === 'value');
}

/** A `map[string]string` (labels, selectors); undefined is a nil map. */
export const goStringMap = (value: Readonly<Record<string, string>> | undefined): GoTyped => ({ goType: 'map[string]string', value });

/** A slice of a string type (`[]string`, `[]core.IPFamily`); undefined is a nil slice. */
export const goStringSlice = (value: readonly string[] | undefined, elem = 'string'): GoTyped => ({ goType: `[]${elem}`, value });

/** A `*metav1.LabelSelector`, printed by its generated (gogo protobuf) String(). */
export const goLabelSelector = (value: LabelSelector): GoTyped => ({ goType: '*v1.LabelSelector', value });

/** A struct value already written as Go's `%#v` prints it (`core.ServicePort{...}`). */
export const goLiteral = (text: string): GoTyped => ({ goType: GO_LITERAL, value: text });
const GO_LITERAL = '<literal>';

/** The text of `value` after `Invalid value: ` (or `Duplicate value: `, ...). */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return quoteBadValue(value);
  if (isGoTyped(value)) return formatTyped(value);
  return sharpV(value);
}

function formatTyped({ goType, value }: GoTyped): string {
  if (goType === GO_LITERAL) return String(value);
  if (goType === '*v1.LabelSelector') return value === undefined ? '"null"' : labelSelectorString(value as LabelSelector);
  if (value === undefined) return goType.startsWith('*') ? '"null"' : `${goType}(nil)`;
  if (goType.startsWith('map[')) return `${goType}{${mapEntries(value as Record<string, unknown>)}}`;
  if (goType.startsWith('[]')) return `${goType}{${(value as unknown[]).map(sharpV).join(', ')}}`;
  return sharpV(value);
}

/** Go's `%#v` of what JSON decodes to (strings quoted, numbers as float64 prints them). */
function sharpV(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  switch (typeof v) {
    case 'string':
      return goQuote(v);
    case 'number':
      return formatFloat(v);
    case 'boolean':
    case 'bigint':
      return String(v);
  }
  if (isGoTyped(v)) return formatTyped(v);
  if (Array.isArray(v)) return `${v.every((x) => typeof x === 'string') ? '[]string' : '[]interface {}'}{${v.map(sharpV).join(', ')}}`;
  const o = v as Record<string, unknown>;
  const type = Object.values(o).every((x) => typeof x === 'string') ? 'map[string]string' : 'map[string]interface {}';
  return `${type}{${mapEntries(o)}}`;
}

/** `"a":"x", "b":"y"`: fmt prints map keys sorted. */
function mapEntries(m: Record<string, unknown>): string {
  return Object.keys(m)
    .sort(byBytes)
    .map((k) => `${goQuote(k)}:${sharpV(m[k])}`)
    .join(', ');
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `%v` of a float64 (strconv 'g', shortest, exponent below 1e-4 and from 1e21, two exponent digits at least). */
function formatFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e21) return String(n);
  return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

/** metav1.LabelSelector's generated String(): `&LabelSelector{MatchLabels:map[string]string{app: x,},MatchExpressions:[]LabelSelectorRequirement{},}`. */
function labelSelectorString(ls: LabelSelector): string {
  const labels = Object.keys(ls.matchLabels ?? {})
    .sort(byBytes)
    .map((k) => `${k}: ${ls.matchLabels![k]},`)
    .join('');
  const exprs = (ls.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
