/** The field.* errors the update rules report, in Kubernetes' wording (apimachinery/pkg/api/validation). */
import type { Diagnostic } from '../diagnostics.ts';
import { invalid } from '../kinds/fields.ts';
import { semanticEqual } from './equal.ts';

/** apimachinery's FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE = 'field is immutable';

/** ValidateImmutableField: `<path>: Invalid value: <new>: field is immutable` when the value changed. */
export function immutableField(out: Diagnostic[], path: string, next: unknown, old: unknown): void {
  if (!semanticEqual(next, old)) invalid(out, path, next ?? null, FIELD_IMMUTABLE);
}
