import { jsonEqual } from '../../lib/api/equal.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { strategyFor } from './kinds/index.ts';
import type { ResourceDef } from './resources.ts';
import { errors } from './status.ts';
import { validateStatusUpdate as validateObjectStatusUpdate, validateUpdate as validateObjectUpdate } from '../../lib/api/update/index.ts';

/**
 * Per-kind rules of the real API server's registry strategies (PrepareForCreate,
 * PrepareForUpdate, ValidateUpdate) that are not validation of a single object.
 */

/** What the server sets on create, whatever the client sent: the kind's PrepareForCreate. */
export function prepareForCreate(r: ResourceDef, obj: KubeObject): void {
  strategyFor(r.kind)?.prepareForCreate?.(obj);
}

/** AllowUnconditionalUpdate: whether an update may leave out the resourceVersion. */
export function allowsUnconditionalUpdate(r: ResourceDef): boolean {
  return strategyFor(r.kind)?.allowUnconditionalUpdate ?? true;
}

/** An update of the main resource keeps the stored status; a status update keeps the rest. */
export function prepareForUpdate(r: ResourceDef, next: KubeObject, old: KubeObject, subresource: 'status' | undefined): KubeObject {
  const hasStatus = r.subresources.includes('status');
  let out: KubeObject;
  if (subresource === 'status') {
    out = { ...old, status: next.status };
    // Metadata changes through /status are ignored, except what the status writer may not touch anyway.
    out.metadata = { ...old.metadata };
  } else {
    out = strategyFor(r.kind)?.prepareForUpdate?.(next, old) ?? { ...next };
    if (hasStatus) {
      if (old.status === undefined) delete out.status;
      else out.status = old.status;
    }
  }
  // Identity and server-owned metadata cannot be changed by a client.
  const m: Record<string, unknown> = (out.metadata = { ...out.metadata });
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
    if (old.metadata[f] === undefined) delete m[f];
    else m[f] = old.metadata[f];
  }
  if (r.tracksGeneration && subresource !== 'status' && !jsonEqual(specOf(out), specOf(old))) {
    m.generation = (old.metadata.generation ?? 1) + 1;
  }
  return out;
}

function specOf(o: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

/** The update rules of lib/api (ValidateUpdate of each kind). Throws 422 Invalid, a cause per diagnostic. */
export function validateUpdate(r: ResourceDef, next: KubeObject, old: KubeObject): void {
  const diagnostics = validateObjectUpdate(next, old).filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) throw errors.invalid(r, old.metadata.name ?? '', diagnostics);
}

/** The status subresource's rules (ValidateXStatusUpdate of the kinds lib/api has them for). Throws 422 Invalid. */
export function validateStatusUpdate(r: ResourceDef, next: KubeObject, old: KubeObject): void {
  const diagnostics = validateObjectStatusUpdate(next, old).filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) throw errors.invalid(r, old.metadata.name ?? '', diagnostics);
}

export type { KubeObject };
