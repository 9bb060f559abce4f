import {
  applyJsonMergePatch,
  applyJsonPatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  PatchError,
  recordUpdateManager,
} from './patch/index.ts';
import { ApiError } from './status.ts';

type Obj = Record<string, any>;

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
export function applyPatch(type: PatchType, old: Obj | undefined, patch: unknown, ctx: PatchContext): { object: Obj; unchanged: boolean } {
  const result = patchOnce(type, old, patch, ctx);
  return { ...result, object: withoutEmptyMetaLists(result.object) };
}

/** Go omits empty lists: a patch that removes the last owner or finalizer leaves none, not []. */
function withoutEmptyMetaLists(o: Obj): Obj {
  const m = o.metadata;
  if (!m || !((Array.isArray(m.ownerReferences) && m.ownerReferences.length === 0) || (Array.isArray(m.finalizers) && m.finalizers.length === 0))) return o;
  const metadata = { ...m };
  if (metadata.ownerReferences?.length === 0) delete metadata.ownerReferences;
  if (metadata.finalizers?.length === 0) delete metadata.finalizers;
  return { ...o, metadata };
}

function patchOnce(type: PatchType, old: Obj | undefined, patch: unknown, ctx: PatchContext): { object: Obj; unchanged: boolean } {
  try {
    switch (type) {
      case 'json':
        return { object: applyJsonPatch(old ?? {}, patch) as Obj, unchanged: false };
      case 'merge':
        return { object: applyJsonMergePatch(old ?? {}, patch) as Obj, unchanged: false };
      case 'strategic':
        return { object: applyStrategicMergePatch(old ?? {}, patch, ctx.kind) as Obj, unchanged: false };
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
        return { object: result.object as Obj, unchanged: !result.changed };
      }
    }
  } catch (e) {
    if (e instanceof PatchError) throw new ApiError(e.status, e.reason, e.message);
    throw e;
  }
}

/** managedFields for an ordinary write that names its field manager (so apply can conflict with it). */
export function trackManager(old: Obj | undefined, next: Obj, manager: string | undefined, ctx: { kind: string; apiVersion: string; now: Date; subresource?: 'status' }): Obj {
  if (!manager) return next;
  return recordUpdateManager(old, next, manager, 'Update', ctx.now, {
    kind: ctx.kind,
    apiVersion: ctx.apiVersion,
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
  }) as Obj;
}
