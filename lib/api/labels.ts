/**
 * Label keys and values, annotations (apimachinery validation IsQualifiedName /
 * IsValidLabelValue, metav1 validation ValidateLabels, api/validation ValidateAnnotations).
 */
import { fieldError, type Diagnostic } from './diagnostics.ts';
import { byteLength, EMPTY_ERROR, isDNS1123Subdomain, maxLenError, regexError } from './names.ts';

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MAX_LENGTH = 63;
const QUALIFIED_NAME_ERR = regexError(
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc');
const TOO_MANY_SLASHES_ERR = `a qualified name ${QUALIFIED_NAME_ERR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;

/** A label key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63. */
/**
 * Qualified names already found valid. Label and annotation keys repeat across every object of a
 * stack (`app.kubernetes.io/name` on thousands of them): each is checked once. Bounded, so that a
 * client sending ever new keys cannot grow it.
 */
const validQualifiedNames = new Set<string>();
const VALID_QUALIFIED_NAMES_KEPT = 4096;

export function isQualifiedName(value: string): string[] {
  if (validQualifiedNames.has(value)) return [];
  const errs = qualifiedNameErrors(value);
  if (errs.length === 0 && validQualifiedNames.size < VALID_QUALIFIED_NAMES_KEPT) validQualifiedNames.add(value);
  return errs;
}

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const slash = value.indexOf('/');
  let name = value;
  if (slash >= 0) {
    if (value.indexOf('/', slash + 1) >= 0) return [TOO_MANY_SLASHES_ERR];
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${QUALIFIED_NAME_ERR}`);
  return errs;
}

export const LABEL_VALUE_MAX_LENGTH = 63;
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_ERR = regexError(
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345');

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) errs.push(LABEL_VALUE_ERR);
  return errs;
}

const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Longest bad value (in characters) a message shows whole: a 1 MB name must not make a 4 MB response. */
export const MAX_SHOWN_VALUE = 256;

const truncated = (s: string) => `...(truncated, ${s.length} characters in all)`;

/** A value shown cut short when it is longer than MAX_SHOWN_VALUE: its head and how long it was. */
export function truncateForMessage(s: string): string {
  return s.length <= MAX_SHOWN_VALUE ? s : s.slice(0, MAX_SHOWN_VALUE) + truncated(s);
}

/** goQuote of a bad value for a message, truncated as truncateForMessage does. */
export function quoteBadValue(s: string): string {
  return s.length <= MAX_SHOWN_VALUE ? goQuote(s) : goQuote(s.slice(0, MAX_SHOWN_VALUE)) + truncated(s);
}

/** Go's %q (strconv.Quote), so quoted bad values read exactly as the API server prints them. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 11) out += '\\v';
    else if (c === 12) out += '\\f';
    else if (c === 13) out += '\\r';
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c < 0xd800 || c > 0xdfff) && PRINTABLE_RE.test(ch)) out += ch; // lone surrogates get escaped
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/**
 * metadata.labels (ValidateLabels). Key problems are reported at `path` with the key as
 * the bad value, as upstream; value problems at `path[key]`, so the key is always named.
 * Non-string values are left to the schema.
 */
export function validateLabels(labels: Record<string, string>, path: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) diags.push(fieldError('invalid', path, k, msg));
    if (typeof v !== 'string') continue;
    for (const msg of isValidLabelValue(v)) diags.push(fieldError('invalid', `${path}[${k}]`, v, msg));
  }
  return diags;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** metadata.annotations: keys are qualified names ignoring case; keys+values at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string>, path: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) diags.push(fieldError('invalid', path, k, msg));
    total += byteLength(k) + (typeof v === 'string' ? byteLength(v) : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    diags.push(fieldError('too-long', path, undefined, `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes`));
  }
  return diags;
}
