/**
 * Field selectors (`?fieldSelector=`): the string language of apimachinery pkg/fields
 * (ParseSelector: `=`, `==`, `!=`, comma for AND, `\` escapes in values), the per-kind field
 * label conversions the API server applies before listing (k/k pkg/apis/core/v1/conversion.go
 * AddFieldLabelConversionFunc, else runtime.DefaultMetaV1FieldSelectorConversion), and the
 * field sets each registry matches against (the strategies' ToSelectableFields / GetAttrs).
 *
 * Errors carry the server's message; the API answers them as 400 BadRequest with it verbatim.
 */
import { compareGoStrings } from '../../lib/api/label-format.ts';
import { resourceName, strategyForResource } from './kinds/index.ts';
import { obj, str } from './kinds/strategy.ts';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  /** The unescaped value. */
  value: string;
}

export interface FieldSelector {
  /** Terms in upstream order (sorted by their source text), ANDed. */
  readonly requirements: readonly FieldRequirement[];
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** True when nothing is required (the empty selector). */
  isEmpty(): boolean;
  /** RequiresExactMatch: the value an `=`/`==` term requires of `field`, if any. */
  requiresExactMatch(field: string): string | undefined;
  /** Canonical form: `a=b,c!=d` with values escaped. */
  toString(): string;
}

export class FieldSelectorError extends Error {
  override name = 'FieldSelectorError';
}

// ---------------------------------------------------------------------------------------------
// the string language

/** fields.EscapeValue: `\` `,` `=` get a backslash. */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue. Throws FieldSelectorError (InvalidEscapeSequence / UnescapedRune). */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // %v of a rune prints its code point
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** splitTerms: split on commas not escaped by a backslash (the backslash is kept). */
export function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS: readonly FieldOperator[] = ['!=', '==', '='];

/** splitTerm: the first operator occurrence splits lhs from the (still escaped) rhs. */
export function splitTerm(term: string): { lhs: string; op: FieldOperator; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}


class Selector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  matches(fields: Readonly<Record<string, string>>): boolean {
    for (const r of this.requirements) {
      const have = Object.hasOwn(fields, r.field) ? fields[r.field]! : '';
      if ((have === r.value) === (r.operator === '!=')) return false;
    }
    return true;
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeValue(r.value)}`).join(',');
  }
}

/** fields.Everything() */
export function everything(): FieldSelector {
  return new Selector([]);
}

/** fields.ParseSelector. Throws FieldSelectorError with upstream's message. */
export function parseFieldSelectorString(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(compareGoStrings);
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    requirements.push({ field: t.lhs, operator: t.op, value: unescapeValue(t.rhs) });
  }
  return new Selector(requirements);
}

/** fields.SelectorFromSet: equality on every pair. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  return new Selector(Object.entries(set).map(([field, value]) => ({ field, operator: '=' as const, value })));
}

// ---------------------------------------------------------------------------------------------
// per-resource field labels

interface FieldLabelConversion {
  /** Accepted labels, mapped to the label matched (e.g. the legacy `spec.host` -> `spec.nodeName`). */
  accepted: Readonly<Record<string, string>>;
  /** The message for an unsupported label. */
  reject(label: string): string;
}

/** runtime.DefaultMetaV1FieldSelectorConversion, for kinds without a conversion func. */
const DEFAULT_LABELS: FieldLabelConversion = {
  accepted: { 'metadata.name': 'metadata.name', 'metadata.namespace': 'metadata.namespace' },
  reject: (label) => `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/** The conversion func registered for the resource's served version (its strategy's field labels). */
function conversionFor(resource: string): FieldLabelConversion {
  const labels = strategyForResource(resource)?.fieldLabels;
  if (!labels) return DEFAULT_LABELS;
  const accepted: Record<string, string> = { ...labels.renames };
  for (const l of labels.labels) accepted[l] = l;
  return { accepted, reject: (label) => `field label not supported: ${label}` };
}

/** Cluster-scoped resources: no metadata.namespace in their field set. */
const CLUSTER_SCOPED = new Set([
  'namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'storageclasses', 'priorityclasses',
  'customresourcedefinitions', 'ingressclasses', 'componentstatuses',
]);

/** The field labels `resource` accepts in a field selector (after the legacy renames). */
export function supportedFieldLabels(resource: string): string[] {
  return Object.keys(conversionFor(resource).accepted);
}

/**
 * ConvertFieldLabel applied to every term (Selector.Transform): renames legacy labels and
 * rejects the ones the resource does not support.
 */
export function convertFieldSelector(resource: string, selector: FieldSelector): FieldSelector {
  const conv = conversionFor(resource);
  return new Selector(
    selector.requirements.map((r) => {
      const field = Object.hasOwn(conv.accepted, r.field) ? conv.accepted[r.field] : undefined;
      if (field === undefined) throw new FieldSelectorError(conv.reject(r.field));
      return { ...r, field };
    }),
  );
}

/**
 * Parses `?fieldSelector=` as the API server does for a list or watch of `resource` (REST
 * plural, e.g. `pods`; omit it to parse only): the string language, then the resource's
 * field label conversion. Never throws; `error` is the message of the 400 BadRequest.
 */
export function parseFieldSelector(s: string, resource?: string): { selector: FieldSelector } | { error: string } {
  try {
    const parsed = parseFieldSelectorString(s);
    return { selector: resource === undefined ? parsed : convertFieldSelector(resource, parsed) };
  } catch (e) {
    if (e instanceof FieldSelectorError) return { error: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// the field sets objects are matched against

/**
 * The selectable fields of `o` (a stored object of `resource`): generic.ObjectMetaFieldsSet
 * (`metadata.name`, plus `metadata.namespace` when namespaced) merged with the resource's
 * own fields, valued as the registries compute them (absent fields are '').
 */
export function fieldsFor(resource: string, o: Readonly<Record<string, unknown>>): Record<string, string> {
  const meta = obj(o.metadata);
  const fields: Record<string, string> = { 'metadata.name': str(meta.name) };
  if (!CLUSTER_SCOPED.has(resourceName(resource))) fields['metadata.namespace'] = str(meta.namespace);
  const own = strategyForResource(resource)?.selectableFields?.(o);
  return own ? Object.assign(fields, own) : fields;
}

/** parseFieldSelector + fieldsFor in one matcher; `error` as parseFieldSelector. */
export function fieldSelectorMatcher(resource: string, s: string): { matches: (o: Readonly<Record<string, unknown>>) => boolean } | { error: string } {
  const parsed = parseFieldSelector(s, resource);
  if ('error' in parsed) return parsed;
  const { selector } = parsed;
  if (selector.isEmpty()) return { matches: () => true };
  return { matches: (o) => selector.matches(fieldsFor(resource, o)) };
}
