/**
 * ValidateSecretUpdate and ValidateConfigMapUpdate (pkg/apis/core/validation): a Secret's type
 * never changes; once `immutable: true`, the flag and the data stay as they are.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { forbidden, type Obj } from '../kinds/fields.ts';
import { mergeStringData } from '../kinds/secret.ts';
import { semanticEqual } from './equal.ts';
import { immutableField } from './rules.ts';

const WHEN_IMMUTABLE = 'field is immutable when `immutable` is set';

/** SetDefaults_Secret: an untyped Secret is Opaque. */
const secretType = (o: Obj): unknown => o.type ?? 'Opaque';

export function validateSecretUpdate(out: Diagnostic[], next: Obj, old: Obj): void {
  immutableField(out, 'type', secretType(next), secretType(old));
  // The v1 -> internal conversion folds stringData into data before validation runs.
  frozenData(out, mergeStringData(next), mergeStringData(old), ['data']);
}


export function validateConfigMapUpdate(out: Diagnostic[], next: Obj, old: Obj): void {
  frozenData(out, next, old, ['data', 'binaryData']);
}

function frozenData(out: Diagnostic[], next: Obj, old: Obj, fields: readonly string[]): void {
  if (old.immutable !== true) return;
  if (next.immutable !== true) forbidden(out, 'immutable', WHEN_IMMUTABLE);
  for (const f of fields) if (!semanticEqual(next[f], old[f])) forbidden(out, f, WHEN_IMMUTABLE);
}
