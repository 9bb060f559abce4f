/**
 * What a plan records of each live object it acts on, so that apply can tell whether the object
 * changed since: a hash of the object with its status and the server's bookkeeping left out.
 * Status moves on its own (a ReplicaSet counting ready pods, a load balancer's address) and is
 * not what anyone reviewed; anything else that changed — a field the plan changes, an annotation
 * someone added, a finalizer, an owner — makes a saved plan stale.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../api/canonical-json.ts';
import type { KubeObject } from '../api/meta.ts';

/** Metadata the server maintains: it moves with every write, status writes included. */
const BOOKKEEPING = ['resourceVersion', 'managedFields', 'generation'] as const;

/** `sha256:<base64url>` of the object's content, status and bookkeeping aside, keys sorted. */
export function liveHash(obj: KubeObject): string {
  const { status: _status, apiVersion: _v, kind: _k, ...rest } = obj as KubeObject & { status?: unknown };
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const f of BOOKKEEPING) delete metadata[f];
  return `sha256:${createHash('sha256').update(canonicalJson({ ...rest, metadata })).digest('base64url')}`;
}
