/**
 * What the controllers share beyond runtime/client: their options and small object helpers
 * (owner references, finalizers, pod activity). Controllers reach the cluster only through the
 * ApiClient.
 */
import type { KubeObject, OwnerReference } from '../../lib/api/meta.ts';
import type { Pod } from '../../lib/api/model.ts';
import type { InformerFactory } from '../client/informer-factory.ts';

/** Options every controller accepts. */
export interface ControllerOptions {
  /** Shared informers (one list+watch per resource for all controllers); a private one if absent. */
  informers?: InformerFactory;
  /** The controller's clock (default: the API server's). */
  clock?: () => Date;
  /** Concurrent syncs (different keys). */
  workers?: number;
  /** Called when a sync fails (it is retried with backoff). */
  onError?: (controller: string, key: string, error: unknown) => void;
}

// ---------------------------------------------------------------------------------------------
// object helpers

/** metav1.GetControllerOf */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function ownerRefsOf(obj: KubeObject): readonly OwnerReference[] {
  return obj.metadata.ownerReferences ?? [];
}

export function isBeingDeleted(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp;
}

export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(f);
}

/** controller.IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Label maps equal regardless of key order (reflect.DeepEqual on maps; nil == empty here). */
export function stringMapsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!b || !Object.hasOwn(b, k) || b[k] !== a![k]) return false;
  return true;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
