/**
 * The apps/v1 workloads' update rules: the registry strategies' ValidateUpdate
 * (pkg/registry/apps/{replicaset,deployment,daemonset}/strategy.go: the selector may not change
 * outside extensions/v1beta1) and ValidateStatefulSetUpdate (pkg/apis/apps/validation).
 */
import type { Diagnostic } from '../diagnostics.ts';
import { asObj, forbidden, type Obj } from '../kinds/fields.ts';
import { goLabelSelector } from '../go-value.ts';
import { sanitizeSelector } from '../kinds/replicaset.ts';
import { semanticEqual } from './equal.ts';
import { immutableField } from './rules.ts';

/** ReplicaSet, Deployment, DaemonSet: `spec.selector` is immutable. */
export function validateSelectorUpdate(out: Diagnostic[], next: Obj, old: Obj): void {
  const selector = (spec: unknown) => {
    const sel = asObj(asObj(spec)?.selector);
    return sel && goLabelSelector(sanitizeSelector(sel));
  };
  immutableField(out, 'spec.selector', selector(next.spec), selector(old.spec));
}

/** What ValidateStatefulSetUpdate lets change; everything else in spec is Forbidden. */
const STATEFULSET_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSetUpdate(out: Diagnostic[], next: Obj, old: Obj): void {
  const strip = (spec: unknown): Obj => {
    const s = { ...(asObj(spec) ?? {}) };
    for (const f of STATEFULSET_MUTABLE) delete s[f];
    return s;
  };
  if (!semanticEqual(strip(next.spec), strip(old.spec))) {
    forbidden(
      out,
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  }
}
