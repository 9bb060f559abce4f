/**
 * Client-side apply's record, `kubectl.kubernetes.io/last-applied-configuration`, as the API
 * server's field manager treats it when `kubectl` applies server-side
 * (k8s.io/apimachinery/pkg/util/managedfields/internal: lastappliedmanager.go, which lets the
 * first server-side apply take over what client-side apply set, and lastappliedupdater.go,
 * which keeps the record in step with what is applied server-side).
 */
import type { FieldSet } from './fieldset.ts';
import { getOwn, isObject, type JsonObject } from './json.ts';
import { changedFields, fieldSetOf } from './ssa.ts';
import { goJsonLine } from '../../../lib/api/go-json.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Only kubectl's own server-side applier upgrades from, and keeps up, client-side apply. */
export const KUBECTL_APPLIER = 'kubectl';

function lastAppliedOf(obj: JsonObject): string | undefined {
  const meta = getOwn(obj, 'metadata');
  const annotations = isObject(meta) ? getOwn(meta, 'annotations') : undefined;
  const v = isObject(annotations) ? getOwn(annotations, LAST_APPLIED_ANNOTATION) : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * allowedConflictsFromLastApplied: the fields the last client-side apply set that still have the
 * value it set, which a kubectl server-side apply may take over without a conflict. Undefined
 * when there is no readable record of the resource's apiVersion.
 */
export function takeoverFromLastApplied(live: JsonObject, apiVersion: string, kind: string): FieldSet | undefined {
  const raw = lastAppliedOf(live);
  if (raw === undefined) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(record) || record.apiVersion !== apiVersion) return undefined;
  return fieldSetOf(record, kind).difference(changedFields(record, live, kind));
}

/**
 * lastAppliedUpdater: after a kubectl server-side apply, an object that carries a client-side
 * record gets the applied configuration as its record (without the record itself), encoded as
 * Go's encoding/json does.
 */
export function keepLastAppliedInStep(result: JsonObject, applied: JsonObject): void {
  if (lastAppliedOf(result) === undefined) return;
  const meta = result.metadata as JsonObject;
  meta.annotations = { ...(meta.annotations as JsonObject), [LAST_APPLIED_ANNOTATION]: buildLastApplied(applied) };
}

function buildLastApplied(applied: JsonObject): string {
  const meta = getOwn(applied, 'metadata');
  const annotations = isObject(meta) ? getOwn(meta, 'annotations') : undefined;
  if (!isObject(meta) || !isObject(annotations)) return goJsonLine(applied);
  const rest: JsonObject = { ...annotations };
  delete rest[LAST_APPLIED_ANNOTATION];
  return goJsonLine({ ...applied, metadata: { ...meta, annotations: rest } });
}
