/**
 * Admission of a Pod status write (PUT/PATCH pods/{name}/status) as upstream validates it:
 * podStatusStrategy.ValidateUpdate (pkg/registry/core/pod/strategy.go) runs
 * ValidatePodStatusUpdate (pkg/apis/core/validation/validation.go), which checks the object
 * metadata against the old object's and the status — not the spec, which the status strategy's
 * PrepareForUpdate copied from the stored object and which was validated when it was written.
 *
 * kite models a Pod's status loosely (any object: `clusterWritten` in kinds/pod.ts), so what is
 * left to decide for such a write is that the status is an object, after `field: null` members
 * are dropped as decoding does. The spec and metadata of the stored Pod are kept as they are
 * (the stored, frozen values: no copy, no re-validation).
 */
import type { KubeObject } from './meta.ts';
import { PodSchema } from './kinds/pod.ts';
import { stripNulls } from './validate.ts';

const POD_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/**
 * The admitted object of a status write whose spec and metadata are the stored Pod's own (as
 * the status strategy leaves them), or undefined when `next` is anything else — then the
 * caller validates the whole object as before, so every refusal keeps its wording.
 */
export function admitPodStatusWrite(next: KubeObject, old: KubeObject): KubeObject | undefined {
  if (next.kind !== 'Pod' || next.apiVersion !== 'v1' || old.kind !== 'Pod' || old.apiVersion !== 'v1') return undefined;
  const n = next as unknown as Record<string, unknown>;
  const o = old as unknown as Record<string, unknown>;
  if (n.spec === undefined || n.spec !== o.spec || !sameMembers(next.metadata, old.metadata)) return undefined;
  for (const k of Object.keys(n)) if (!POD_KEYS.has(k)) return undefined;
  const raw = n.status;
  if (raw === null || raw === undefined) return { apiVersion: 'v1', kind: 'Pod', metadata: { ...old.metadata }, spec: o.spec, status: {} } as KubeObject;
  const parsed = PodSchema.shape.status.safeParse(stripNulls(raw));
  if (!parsed.success) return undefined;
  // SetDefaults_Pod leaves a status it is given as it is; canonical key order as the schema's.
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...old.metadata }, spec: o.spec, status: parsed.data ?? {} } as KubeObject;
}

/** Whether two objects have the same keys with identical (===) values. */
function sameMembers(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k] || !(k in b)) return false;
  return true;
}
