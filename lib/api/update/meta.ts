/**
 * ValidateObjectMetaUpdate (k8s.io/apimachinery/pkg/api/validation/objectmeta.go): the identity and
 * server-owned fields of metadata never change, and a deleting object gains no finalizers.
 * (The resourceVersion check is left out: kite, like every built-in kind's strategy with
 * AllowUnconditionalUpdate, fills it in before validation.)
 */
import { joinPath, type Diagnostic } from '../diagnostics.ts';
import { formatGoValue, goStringSlice } from '../go-value.ts';
import { asObj, asStrList, forbidden, type Obj } from '../kinds/fields.ts';
import { immutableField } from './rules.ts';

const IMMUTABLE_META = ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const;

export function validateObjectMetaUpdate(out: Diagnostic[], next: Obj, old: Obj, path = 'metadata'): void {
  const n = asObj(next) ?? {};
  const o = asObj(old) ?? {};
  if (o.deletionTimestamp !== undefined && o.deletionTimestamp !== null) {
    const had = new Set(asStrList(o.finalizers));
    const added = asStrList(n.finalizers).filter((f) => !had.has(f));
    if (added.length > 0) {
      forbidden(out, joinPath(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${formatGoValue(goStringSlice(added.sort()))}`);
    }
  }
  for (const f of IMMUTABLE_META) immutableField(out, joinPath(path, f), n[f], o[f]);
}
