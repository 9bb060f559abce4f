import { applyDefaults } from '../../lib/api/defaults.ts';
import { admitEventCreate } from '../../lib/api/event-create.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { admitStatusWrite as admitLooseStatusWrite } from '../../lib/api/status-write.ts';
import { validateManifest } from '../../lib/api/validate.ts';
import type { ResourceDef } from './resources.ts';
import { errors } from './status.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Pods, Services and endpoints of the local runtime live on loopback addresses. */
const LOCAL = { allowLoopbackIPs: true };

export interface Admitted {
  object: KubeObject;
  /** `Warning` headers for the response (deprecations, dropped unknown fields). */
  warnings: string[];
}

/**
 * Admission as the API server runs it: decode (unknown fields per fieldValidation), default,
 * validate with lib/api. Throws an ApiError (400 strict decoding, 422 Invalid) on refusal.
 */
export function admit(r: ResourceDef, input: KubeObject, fieldValidation: FieldValidation, mode: 'create' | 'update'): Admitted {
  if (mode === 'create' && r.kind === 'Event' && r.apiVersion === 'v1') {
    // The recorders' Events (4 of a pod's 7 writes) without the generic decoder; anything else as any create.
    const event = admitEventCreate(input);
    if (event) return { object: event, warnings: [] };
  }
  const warnings: string[] = [];
  let candidate: unknown = input;
  let result = validateManifest(candidate, LOCAL);
  const unknown = result.diagnostics.filter((d) => d.code === 'unknown-field');
  if (unknown.length > 0) {
    const fields = unknown.map((d) => d.message);
    if (fieldValidation === 'Strict') {
      throw errors.badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: strict decoding error: ${fields.join(', ')}`);
    }
    if (fieldValidation === 'Warn') warnings.push(...fields);
    candidate = withoutPaths(input, unknown.map((d) => d.path));
    result = validateManifest(candidate, LOCAL);
  }
  for (const d of result.diagnostics) if (d.severity === 'warning') warnings.push(d.message);
  const errs = result.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length > 0 || !result.object) {
    throw errors.invalid(r, input.metadata?.name ?? '', errs);
  }
  // validateManifest's object is its own fresh copy of the input: default it in place.
  const defaulted = applyDefaults(result.object, { mode, owned: true });
  return { object: defaulted, warnings };
}

/**
 * Admission of a status subresource write (`merged`: the stored object with the request's
 * status, as prepareForUpdate made it). Pods, ReplicaSets, ReplicationControllers and
 * Deployments are validated as upstream's ValidateXStatusUpdate does — their status, not the
 * unchanged spec they keep (lib/api/status-write.ts); anything else as any update.
 */
export function admitStatusWrite(r: ResourceDef, merged: KubeObject, old: KubeObject, fieldValidation: FieldValidation): Admitted {
  const kept = admitLooseStatusWrite(merged, old);
  return kept ? { object: kept, warnings: [] } : admit(r, merged, fieldValidation, 'update');
}

/** A copy of `obj` without the fields at the given paths (`spec.containers[0].foo`). */
function withoutPaths(obj: unknown, paths: string[]): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  for (const path of paths) {
    const segs = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
    let node: unknown = copy;
    for (let i = 0; i < segs.length - 1 && node && typeof node === 'object'; i++) node = (node as Record<string | number, unknown>)[segs[i]!];
    if (node && typeof node === 'object') delete (node as Record<string | number, unknown>)[segs[segs.length - 1]!];
  }
  return copy;
}
