import { hasErrors, type Diagnostic } from '../lib/api/diagnostics.ts';
import { formatDiagnostic } from '../lib/api/field-error.ts';
import { KiteError, type KiteErrorInit } from '../lib/errors.ts';

/** Where a command writes: injectable so commands are testable in process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Prints diagnostics (errors after warnings, each once) to stderr; true if any is an error. */
export function reportDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): boolean {
  const sorted = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  for (const line of new Set(sorted.map(formatDiagnostic))) io.err(`${line}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) io.err(`${errors} error${errors === 1 ? '' : 's'}\n`);
  return hasErrors(diagnostics);
}

/** A user mistake detected by a command (a bad argument, a missing control plane): exit 1. */
export class UserError extends KiteError {
  constructor(message: string, init: KiteErrorInit = { code: 'usage' }) {
    super(message, init);
  }
}
