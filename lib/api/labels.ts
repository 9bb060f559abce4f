// STUB: signatures agreed; implementation in progress (helper A).
import type { Diagnostic } from './diagnostics.ts';
export function isQualifiedName(value: string): string[] { void value; throw new Error('not implemented'); }
export function isValidLabelValue(value: string): string[] { void value; throw new Error('not implemented'); }
/** metadata.labels: each key a qualified name, each value a label value. */
export function validateLabels(labels: Record<string, string>, path: string): Diagnostic[] { void labels; void path; throw new Error('not implemented'); }
/** metadata.annotations: keys are qualified names (checked lower-cased), total size <= 256 KiB. */
export function validateAnnotations(annotations: Record<string, string>, path: string): Diagnostic[] { void annotations; void path; throw new Error('not implemented'); }
