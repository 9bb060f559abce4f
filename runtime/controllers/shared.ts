/**
 * What the controllers share beyond runtime/client: their options and small object helpers
 * (owner references, finalizers, pod activity). Controllers reach the cluster only through the
 * ApiClient.
 */
import type { Obj } from '../client/client.ts';
import type { InformerFactory } from '../client/informer-factory.ts';

export type { Obj };

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

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.GetControllerOf */
export function controllerOf(obj: Obj): OwnerRef | undefined {
  const refs = obj.metadata?.ownerReferences as OwnerRef[] | undefined;
  if (!refs) return undefined;
  for (const r of refs) if (r.controller === true) return r;
  return undefined;
}

export function ownerRefsOf(obj: Obj): readonly OwnerRef[] {
  return (obj.metadata?.ownerReferences as OwnerRef[] | undefined) ?? [];
}

export function isBeingDeleted(obj: Obj): boolean {
  return !!obj.metadata?.deletionTimestamp;
}

export function hasFinalizer(obj: Obj, f: string): boolean {
  return ((obj.metadata?.finalizers as string[] | undefined) ?? []).includes(f);
}

/** controller.IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(pod: Obj): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
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
