/**
 * PATCH support for kite's API server: pure functions, no I/O.
 *
 *   applyJsonMergePatch       RFC 7386, application/merge-patch+json
 *   applyJsonPatch            RFC 6902, application/json-patch+json
 *   applyStrategicMergePatch  Kubernetes SMP, application/strategic-merge-patch+json
 *   applyServerSideApply      server-side apply, application/apply-patch+yaml
 *   recordUpdateManager       managedFields for ordinary writes (create/update/patch)
 *   managerFromUserAgent      the field manager of a write that names none
 *   decodePatch               Content-Type dispatch + body parsing
 *
 * Every failure is a PatchError carrying the HTTP status/reason to answer with; apply
 * conflicts are returned as values (ApplyResult.conflicts -> 409 FieldManagerConflict).
 */
export { PatchError, isPatchError, type PatchErrorReason, type PatchErrorStatus } from './errors.ts';
export { type JsonObject, type JsonValue } from './json.ts';
export { applyJsonMergePatch } from './merge-patch.ts';
export {
  applyJsonPatch,
  escapePointerToken,
  MAX_JSON_PATCH_OPERATIONS,
  parsePointer,
  type JsonPatchOperation,
} from './json-patch.ts';
export { applyStrategicMergePatch, SMP_UNSUPPORTED_MESSAGE } from './strategic.ts';
export {
  applyServerSideApply,
  formatTimeOf,
  managerFromUserAgent,
  readManagedFields,
  recordUpdateManager,
  type ApplyOptions,
  type ApplyResult,
  type UpdateManagerOptions,
} from './field-manager.ts';
export { formatApplyConflictMessage, type ApplyConflict } from './ssa.ts';
export { type ManagedFieldsEntry, type ManagedFieldsOperation } from './managed-fields.ts';
export { FieldSet, pathToString } from './fieldset.ts';
export { type FieldSchema, type MapKey, type TypeSchema } from './schema.ts';
export { supportsStrategicMergePatch } from './kind-schemas.ts';
export {
  decodePatch,
  PATCH_CONTENT_TYPES,
  patchTypeForContentType,
  UNSUPPORTED_PATCH_MEDIA_TYPE_MESSAGE,
  type PatchType,
} from './decode.ts';
