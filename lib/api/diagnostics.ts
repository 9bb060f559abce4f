/**
 * Errors are values: every problem found in user input is a Diagnostic, collected and
 * rendered once at the edge (lib/api/field-error.ts: the API server's Status, the CLI), like zod
 * issues or Terraform diagnostics.
 */
export type Severity = 'error' | 'warning';

/**
 * The codes of Kubernetes' field.ErrorType (k8s.io/apimachinery/pkg/util/validation/field):
 * a Diagnostic with one of them renders as field.Error does, `<path>: <Type>: <value>: <detail>`.
 */
export type FieldErrorCode = 'invalid' | 'invalid-type' | 'required' | 'duplicate' | 'unsupported' | 'forbidden' | 'too-long' | 'too-many' | 'not-found' | 'internal';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code: a FieldErrorCode, or kite's own ('unknown-field', 'yaml', 'deprecated', 'construct', ...). */
  code: string;
  /** Field path inside the object, Kubernetes style: `spec.ports[0].port`, `metadata.labels[app]`. Empty for whole-object problems. */
  path: string;
  /**
   * For a field error: the bad value (field.Error.BadValue), printed as Go prints it (see
   * go-value.ts; a GoTyped value where the Go type shows). Absent: the error prints no value.
   */
  value?: unknown;
  /** For a field error its detail (`must be between 1 and 65535, inclusive`, may be empty); otherwise the whole message. */
  message: string;
  /** The object, `namespace/Kind/name` (or `Kind/name` when cluster-scoped or unnamespaced). */
  object?: string;
  /** For objects synthesized from a program: the construct path (`shop/prod/api`). */
  construct?: string;
  /** Where inside a construct library the object was made (`team-lib/src/web-service.ts:40`), when `file` is the user's line that used the library. */
  via?: string;
  file?: string;
  line?: number;
  col?: number;
}

/** A diagnostic of kite's own (not a field error): its message is the whole text. */
export function error(path: string, message: string, code: string): Diagnostic {
  return { severity: 'error', code, path, message };
}

export function warning(path: string, message: string, code = 'warning'): Diagnostic {
  return { severity: 'warning', code, path, message };
}

/** A field error carrying its bad value: `fieldError('invalid', 'spec.ports[0].port', 0, 'must be ...')`. */
export function fieldError(code: FieldErrorCode, path: string, value: unknown, detail = ''): Diagnostic {
  return { severity: 'error', code, path, value, message: detail };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Join a parent path and a child key the way Kubernetes field paths read. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}
