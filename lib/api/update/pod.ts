/**
 * ValidatePodUpdate (pkg/apis/core/validation, Kubernetes 1.32): a Pod's spec is fixed once
 * created, except container and init container images, activeDeadlineSeconds (set, or lowered),
 * tolerations (additions; existing ones may change only their tolerationSeconds) and
 * terminationGracePeriodSeconds (from a negative value to 1). Containers may not be added or
 * removed. The Forbidden message is Kubernetes' own, without the spec diff it appends.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { asArr, asInt, asObj, asStr, forbidden, invalid, required, type Obj } from '../kinds/fields.ts';
import { semanticEqual } from './equal.ts';

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

export function validatePodUpdate(out: Diagnostic[], nextPod: Obj, oldPod: Obj): void {
  const next = asObj(nextPod.spec) ?? {};
  const old = asObj(oldPod.spec) ?? {};
  for (const list of ['containers', 'initContainers'] as const) {
    if (!containerUpdates(out, asArr(next[list]), asArr(old[list]), `spec.${list}`)) return;
  }
  if (!activeDeadlineUpdate(out, next, old)) return;
  onlyAddedTolerations(out, asArr(next.tolerations), asArr(old.tolerations));
  if (!semanticEqual(munged(next, old), old)) forbidden(out, 'spec', POD_UPDATE_FORBIDDEN);
}

/** ValidateContainerUpdates: false (stop) when containers were added or removed. */
function containerUpdates(out: Diagnostic[], next: readonly unknown[], old: readonly unknown[], path: string): boolean {
  if (next.length !== old.length) {
    forbidden(out, path, 'pod updates may not add or remove containers');
    return false;
  }
  next.forEach((c, i) => {
    const image = asStr(asObj(c)?.image) ?? '';
    if (image === '') required(out, `${path}[${i}].image`);
    else if (image.trim() !== image) invalid(out, `${path}[${i}].image`, image, 'must not have leading or trailing whitespace');
  });
  return true;
}

/** From unset to a positive value, or lowered; never removed. False: stop here. */
function activeDeadlineUpdate(out: Diagnostic[], next: Obj, old: Obj): boolean {
  const path = 'spec.activeDeadlineSeconds';
  const n = asInt(next.activeDeadlineSeconds);
  const o = asInt(old.activeDeadlineSeconds);
  if (n !== undefined) {
    if (n <= 0 || n > MAX_INT32) {
      invalid(out, path, n, `must be between 1 and ${MAX_INT32}, inclusive`);
      return false;
    }
    if (o !== undefined && o < n) {
      invalid(out, path, n, 'must be less than or equal to previous value');
      return false;
    }
  } else if (o !== undefined) {
    invalid(out, path, null, 'must not update from a positive integer to nil value');
  }
  return true;
}

/** validateOnlyAddedTolerations: each old toleration is still there, tolerationSeconds aside. */
function onlyAddedTolerations(out: Diagnostic[], next: readonly unknown[], old: readonly unknown[]): void {
  const withoutSeconds = (t: unknown): Obj => {
    const { tolerationSeconds: _s, ...rest } = asObj(t) ?? {};
    return rest;
  };
  const kept = old.every((o) => next.some((n) => semanticEqual(withoutSeconds(o), withoutSeconds(n))));
  if (!kept) forbidden(out, 'spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds');
}

/** The new spec with every field a Pod update may change taken from the old one. */
function munged(next: Obj, old: Obj): Obj {
  const s: Obj = { ...next };
  for (const list of ['containers', 'initContainers'] as const) {
    const oldList = asArr(old[list]);
    if (Array.isArray(next[list])) s[list] = asArr(next[list]).map((c, i) => ({ ...asObj(c), image: asObj(oldList[i])?.image }));
  }
  s.activeDeadlineSeconds = old.activeDeadlineSeconds;
  s.tolerations = old.tolerations;
  const oldGrace = asInt(old.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && next.terminationGracePeriodSeconds === 1) s.terminationGracePeriodSeconds = oldGrace;
  // The API server's ephemeral containers have their own subresource; an update never changes them.
  s.ephemeralContainers = old.ephemeralContainers;
  return s;
}
