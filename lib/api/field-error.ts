/**
 * The one renderer of Diagnostics, used by the API server (422 messages and causes) and by the
 * CLI (`kite validate`, plan), so a user reads Kubernetes' own wording everywhere:
 * field.Error's `<path>: <Type>: <value>: <detail>` and ErrorList.ToAggregate's `[e1, e2]`
 * (k8s.io/apimachinery/pkg/util/validation/field/errors.go, pkg/util/errors/errors.go, 1.32).
 */
import type { Diagnostic, FieldErrorCode } from './diagnostics.ts';
import { formatGoValue } from './go-value.ts';

interface FieldErrorType {
  /** field.ErrorType, the StatusCause `reason` of the API server. */
  reason: string;
  /** ErrorType.String(). */
  text: string;
  /** ErrorBody prints no value for these, whatever the error holds. */
  omitsValue?: true;
}

const FIELD_ERROR_TYPES: Readonly<Record<FieldErrorCode, FieldErrorType>> = {
  'not-found': { reason: 'FieldValueNotFound', text: 'Not found' },
  required: { reason: 'FieldValueRequired', text: 'Required value', omitsValue: true },
  duplicate: { reason: 'FieldValueDuplicate', text: 'Duplicate value' },
  invalid: { reason: 'FieldValueInvalid', text: 'Invalid value' },
  unsupported: { reason: 'FieldValueNotSupported', text: 'Unsupported value' },
  forbidden: { reason: 'FieldValueForbidden', text: 'Forbidden', omitsValue: true },
  'too-long': { reason: 'FieldValueTooLong', text: 'Too long', omitsValue: true },
  'too-many': { reason: 'FieldValueTooMany', text: 'Too many' },
  internal: { reason: 'InternalError', text: 'Internal error', omitsValue: true },
  'invalid-type': { reason: 'FieldValueTypeInvalid', text: 'Invalid value' },
};

function typeOf(d: Pick<Diagnostic, 'code'>): FieldErrorType | undefined {
  return Object.hasOwn(FIELD_ERROR_TYPES, d.code) ? FIELD_ERROR_TYPES[d.code as FieldErrorCode] : undefined;
}

/** The StatusCause reason (`FieldValueInvalid`, ...) of a diagnostic; kite's own codes count as invalid values. */
export function causeReason(d: Pick<Diagnostic, 'code'>): string {
  return typeOf(d)?.reason ?? 'FieldValueInvalid';
}

/** field.Error.ErrorBody(): `Invalid value: 0: must be between 1 and 65535, inclusive`; a non-field diagnostic's message. */
export function fieldErrorBody(d: Pick<Diagnostic, 'code' | 'message' | 'value'>): string {
  const type = typeOf(d);
  if (!type) return d.message;
  let s = type.text;
  if (!type.omitsValue && d.value !== undefined) s += `: ${formatGoValue(d.value)}`;
  if (d.message) s += `: ${d.message}`;
  return s;
}

/** field.Error.Error(): `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. */
export function formatFieldError(d: Pick<Diagnostic, 'code' | 'message' | 'value' | 'path'>): string {
  const body = fieldErrorBody(d);
  return d.path ? `${d.path}: ${body}` : body;
}

/**
 * ErrorList.ToAggregate().Error(): each message once, one alone as it is, several as
 * `[first, second]`; empty when there is none.
 */
export function aggregateMessages(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : unique.length === 0 ? '' : `[${unique.join(', ')}]`;
}

/** kite's CLI line: `file:line:col: ns/Kind/name: <field error> (construct a/b)`; warnings marked. */
export function formatDiagnostic(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.file) parts.push(d.line ? `${d.file}:${d.line}${d.col ? `:${d.col}` : ''}` : d.file);
  if (d.object) parts.push(d.object);
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  const where = d.construct ? ` (construct ${d.construct}${d.via ? `, via ${d.via}` : ''})` : d.via ? ` (via ${d.via})` : '';
  const text = d.path ? `${d.path}: ${prefix}${fieldErrorBody(d)}` : `${prefix}${fieldErrorBody(d)}`;
  return `${parts.length ? parts.join(': ') + ': ' : ''}${text}${where}`;
}
