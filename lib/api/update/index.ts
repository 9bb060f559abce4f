/**
 * The update rules of the Kubernetes API server, one table for every kind kite knows: what an
 * update (PUT, PATCH, server-side apply) may not change, as each kind's ValidateUpdate decides.
 * The local API server enforces them (422 Invalid, one cause per diagnostic) and the planner
 * predicts a replace exactly when they would refuse the update, from this same function.
 *
 * Both objects are whole, defaulted objects of one kind: `next` what the update would store,
 * `old` the stored object. Status subresource writes are not checked here (they keep the spec).
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Obj } from '../kinds/fields.ts';
import type { KubeObject } from '../meta.ts';
import { validateConfigMapUpdate, validateSecretUpdate } from './config.ts';
import { validateObjectMetaUpdate } from './meta.ts';
import { validatePodUpdate } from './pod.ts';
import { validateServiceUpdate } from './service.ts';
import { validateServiceStatusUpdate } from './service-status.ts';
import { validateSelectorUpdate, validateStatefulSetUpdate } from './workloads.ts';

/** One kind's rule beyond ValidateObjectMetaUpdate; pushes Diagnostics. */
export type UpdateRule = (out: Diagnostic[], next: Obj, old: Obj) => void;

/**
 * `apiVersion|kind` -> rule. Kinds not listed (Namespace, Endpoints, ReplicationController — whose
 * selector is mutable —, Node, Event, ...) have only the metadata rules.
 */
export const UPDATE_RULES: Readonly<Record<string, UpdateRule>> = {
  'v1|Pod': validatePodUpdate,
  'v1|Service': validateServiceUpdate,
  'v1|Secret': validateSecretUpdate,
  'v1|ConfigMap': validateConfigMapUpdate,
  'apps/v1|ReplicaSet': validateSelectorUpdate,
  'apps/v1|Deployment': validateSelectorUpdate,
  'apps/v1|DaemonSet': validateSelectorUpdate,
  'apps/v1|StatefulSet': validateStatefulSetUpdate,
};

/** Why the API server would refuse to update `old` to `next` (empty: it would not). */
export function validateUpdate(next: KubeObject, old: KubeObject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const n = next as unknown as Obj;
  const o = old as unknown as Obj;
  validateObjectMetaUpdate(out, next.metadata as Obj, old.metadata as Obj);
  UPDATE_RULES[`${next.apiVersion}|${next.kind}`]?.(out, n, o);
  return out;
}

/** `apiVersion|kind` -> the rule of a write to its status subresource (ValidateXStatusUpdate). */
export const STATUS_UPDATE_RULES: Readonly<Record<string, UpdateRule>> = {
  'v1|Service': validateServiceStatusUpdate,
};

/** Why the API server would refuse a status subresource write from `old` to `next` (empty: it would not). */
export function validateStatusUpdate(next: KubeObject, old: KubeObject): Diagnostic[] {
  const out: Diagnostic[] = [];
  STATUS_UPDATE_RULES[`${next.apiVersion}|${next.kind}`]?.(out, next as unknown as Obj, old as unknown as Obj);
  return out;
}

export { POD_UPDATE_FORBIDDEN } from './pod.ts';
export { FIELD_IMMUTABLE } from './rules.ts';
