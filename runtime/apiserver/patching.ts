import {
  applyJsonMergePatch,
  applyJsonPatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  managerFromUserAgent,
  PatchError,
  recordUpdateManager,
  type JsonValue,
} from './patch/index.ts';
import { isObject } from './patch/json.ts';
import { ApiError } from './status.ts';
import type { KubeObject, ObjectMeta } from '../../lib/api/meta.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchContext {
  kind: string;
  apiVersion: string;
  manager: string;
  force: boolean;
  now: Date;
  subresource?: 'status';
}

/**
 * The object after a patch of the given type, or `unchanged` for a no-op apply. Refusals are
 * ApiErrors with the patch library's status (400, 409 apply conflicts, 413, 415, 422).
 */
export function applyPatch(type: PatchType, old: KubeObject | undefined, patch: unknown, ctx: PatchContext): { object: KubeObject; unchanged: boolean } {
  const result = patchOnce(type, old, patch, ctx);
  return { ...result, object: withoutEmptyMetaLists(result.object) };
}

/** Go omits empty lists: a patch that removes the last owner or finalizer leaves none, not []. */
function withoutEmptyMetaLists(o: KubeObject): KubeObject {
  const m = o.metadata;
  if (!(m.ownerReferences?.length === 0 || m.finalizers?.length === 0)) return o;
  const metadata = { ...m };
  if (metadata.ownerReferences?.length === 0) delete metadata.ownerReferences;
  if (metadata.finalizers?.length === 0) delete metadata.finalizers;
  return { ...o, metadata };
}

function patchOnce(type: PatchType, old: KubeObject | undefined, patch: unknown, ctx: PatchContext): { object: KubeObject; unchanged: boolean } {
  try {
    switch (type) {
      case 'json':
        return { object: patched(applyJsonPatch(old ?? {}, patch)), unchanged: false };
      case 'merge':
        return { object: patched(applyJsonMergePatch(old ?? {}, patch)), unchanged: false };
      case 'strategic':
        return { object: patched(applyStrategicMergePatch(old ?? {}, patch, ctx.kind)), unchanged: false };
      case 'apply': {
        const result = applyServerSideApply(old, patch, {
          manager: ctx.manager || 'unknown',
          force: ctx.force,
          kind: ctx.kind,
          apiVersion: ctx.apiVersion,
          now: ctx.now,
          ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
        });
        if (!result.ok) {
          const causes = result.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field }));
          throw new ApiError(409, 'Conflict', result.message, { causes });
        }
        return { object: patched(result.object ?? {}), unchanged: !result.changed };
      }
    }
  } catch (e) {
    if (e instanceof PatchError) throw new ApiError(e.status, e.reason, e.message);
    throw e;
  }
}

/**
 * managedFields for an ordinary write: by its `fieldManager`, else by its User-Agent's prefix
 * (an HTTP request always has one, if only ''), else (an in-process write) attributed to nobody.
 */
export function trackManager(
  old: KubeObject | undefined,
  next: KubeObject,
  who: { fieldManager?: string; userAgent?: string },
  ctx: { kind: string; apiVersion: string; now: Date; subresource?: 'status' },
): KubeObject {
  const manager = who.fieldManager ?? (who.userAgent !== undefined ? managerFromUserAgent(who.userAgent) : undefined);
  return patched(
    recordUpdateManager(old, next, manager, 'Update', ctx.now, {
      kind: ctx.kind,
      apiVersion: ctx.apiVersion,
      ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
    }),
  );
}

/**
 * A patch engine's output as the object the registry goes on with. A patch can leave JSON of
 * any shape: what is not an object (or has no object metadata) is taken as empty, and admission
 * refuses whatever is not a valid object of the kind, apiVersion and kind included.
 */
function patched(v: JsonValue): KubeObject {
  const o = isObject(v) ? v : {};
  const metadata: ObjectMeta = isObject(o.metadata) ? o.metadata : {};
  return { ...o, metadata } as KubeObject;
}
