/**
 * Errors are values: every problem found in user input is a Diagnostic, collected and
 * rendered once at the edge (the CLI), like zod issues or Terraform diagnostics.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code: 'invalid', 'required', 'unknown-field', 'yaml', 'duplicate', 'deprecated', ... */
  code: string;
  /** Field path inside the object, kubectl style: `spec.ports[0].port`. Empty for whole-object problems. */
  path: string;
  /** The reason, e.g. `expected 1..65535, got 0`. */
  message: string;
  /** The object, `namespace/Kind/name` (or `Kind/name` when cluster-scoped or unnamespaced). */
  object?: string;
  /** For objects synthesized from a program: the construct path (`shop/prod/api`). */
  construct?: string;
  file?: string;
  line?: number;
  col?: number;
}

export function error(path: string, message: string, code = 'invalid'): Diagnostic {
  return { severity: 'error', code, path, message };
}

export function warning(path: string, message: string, code = 'warning'): Diagnostic {
  return { severity: 'warning', code, path, message };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** `file:line:col: ns/Kind/name: spec.ports[0].port: expected 1..65535, got 0` */
export function formatDiagnostic(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.file) parts.push(d.line ? `${d.file}:${d.line}${d.col ? `:${d.col}` : ''}` : d.file);
  if (d.object) parts.push(d.object);
  if (d.path) parts.push(d.path);
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  const where = d.construct ? ` (construct ${d.construct})` : '';
  return `${parts.length ? parts.join(': ') + ': ' : ''}${prefix}${d.message}${where}`;
}

/** Join a parent path and a child key the way Kubernetes field paths read. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}
