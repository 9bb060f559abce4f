/**
 * What a plan records of each live object it acts on, so that apply can tell whether the object
 * changed since: a hash of the object with its status and the server's bookkeeping left out.
 * Status moves on its own (a ReplicaSet counting ready pods, a load balancer's address) and is
 * not what anyone reviewed; anything else that changed — a field the plan changes, an annotation
 * someone added, a finalizer, an owner — makes a saved plan stale.
 */
import { createHash } from 'node:crypto';
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

/** JSON with object keys sorted (so that equal content hashes alike whatever the key order). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${canonicalJson(o[k])}`);
  return `{${parts.join(',')}}`;
}
