/**
 * TypeMeta, ObjectMeta, OwnerReference and the generic KubeObject, plus ValidateObjectMeta
 * (k8s.io/apimachinery/pkg/api/validation/objectmeta.go + core's finalizer rule).
 *
 * Schema key order is the Go struct order of metav1.ObjectMeta; the parsed output is what
 * gets emitted, so it never depends on the order the user wrote keys in.
 */
import { z } from 'zod';
import { joinPath } from './diagnostics.ts';
import { isQualifiedName, validateAnnotations, validateLabels } from './labels.ts';
import {
  asArr,
  asBool,
  asObj,
  asStr,
  asStrMap,
  checkNonNegative,
  forbidden,
  invalid,
  invalidEach,
  required,
  zAnyObject,
  zBool,
  zInt,
  zStr,
  zStringMap,
  type Out,
} from './kinds/fields.ts';
import { validateName, type NameRule } from './kinds/formats.ts';
import { formatObjectRef } from './object-ref.ts';

export const OwnerReferenceSchema = z.strictObject({
  apiVersion: zStr,
  kind: zStr,
  name: zStr,
  uid: zStr,
  controller: zBool.optional(),
  blockOwnerDeletion: zBool.optional(),
});

export const ObjectMetaSchema = z.strictObject({
  name: zStr.optional(),
  generateName: zStr.optional(),
  namespace: zStr.optional(),
  selfLink: zStr.optional(),
  uid: zStr.optional(),
  resourceVersion: zStr.optional(),
  generation: zInt.optional(),
  creationTimestamp: zStr.optional(),
  deletionTimestamp: zStr.optional(),
  deletionGracePeriodSeconds: zInt.optional(),
  labels: zStringMap.optional(),
  annotations: zStringMap.optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
  finalizers: z.array(zStr).optional(),
  managedFields: z.array(zAnyObject).optional(),
});

export type OwnerReference = z.output<typeof OwnerReferenceSchema>;
export type OwnerReferenceInput = z.input<typeof OwnerReferenceSchema>;
export type ObjectMeta = z.output<typeof ObjectMetaSchema>;
export type ObjectMetaInput = z.input<typeof ObjectMetaSchema>;

export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

/** Any manifest after validation: known kinds are fully typed, others pass through. */
export interface KubeObject extends TypeMeta {
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Schema for kinds we do not model: TypeMeta + strict ObjectMeta, any other top-level fields. */
export const GenericObjectSchema = z.looseObject({
  apiVersion: zStr,
  kind: zStr,
  metadata: ObjectMetaSchema,
});

/** `namespace/Kind/name`, `Kind/name`, or `Kind/<unnamed>`: the object part of a Diagnostic. */
export function objectRef(doc: unknown): string {
  const o = asObj(doc);
  const kind = asStr(o?.kind) || '<unknown kind>';
  const meta = asObj(o?.metadata);
  const name = asStr(meta?.name) || '<unnamed>';
  const ns = asStr(meta?.namespace);
  return formatObjectRef({ kind, name, ...(ns ? { namespace: ns } : {}) });
}

export { formatObjectRef, groupOf, identityKey, namespacedKey, parseApiVersion, splitNamespacedKey } from './object-ref.ts';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function validateFinalizers(out: Out, path: string, v: unknown): void {
  const list = asArr(v);
  let orphan = false;
  let foreground = false;
  list.forEach((f, i) => {
    if (typeof f !== 'string') return;
    const p = joinPath(path, i);
    invalidEach(out, p, f, isQualifiedName(f));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      invalid(out, p, f, 'name is neither a standard finalizer name nor is it fully qualified');
    }
    if (f === 'orphan') orphan = true;
    if (f === 'foregroundDeletion') foreground = true;
  });
  if (orphan && foreground) invalid(out, path, list, 'finalizer orphan and foregroundDeletion cannot be both set');
}

function validateOwnerReferences(out: Out, path: string, v: unknown): void {
  const controllers: string[] = [];
  asArr(v).forEach((r, i) => {
    const ref = asObj(r);
    if (!ref) return;
    const p = joinPath(path, i);
    const check = (key: string, what: string): void => {
      if (asStr(ref[key]) === '') invalid(out, joinPath(p, key), '', `${what} must not be empty`);
    };
    check('apiVersion', 'version');
    check('kind', 'kind');
    check('name', 'name');
    check('uid', 'uid');
    if (ref.kind === 'Event' && (ref.apiVersion === 'v1' || ref.apiVersion === 'events.k8s.io/v1')) {
      invalid(out, p, ref, `${String(ref.apiVersion)}, Kind=Event is disallowed from being an owner`);
    }
    if (asBool(ref.controller) === true) controllers.push(`${String(ref.kind)}/${String(ref.name)}`);
  });
  if (controllers.length > 1) {
    invalid(out, path, v, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`);
  }
}

export interface ObjectMetaRules {
  /** Name format of this kind. */
  nameRule: NameRule;
  /** false: cluster-scoped (metadata.namespace forbidden); true/undefined: namespace optional here. */
  namespaced: boolean | undefined;
}

/** ValidateObjectMeta for a top-level object's metadata (raw, possibly malformed input). */
export function validateObjectMeta(out: Out, raw: unknown, rules: ObjectMetaRules, path = 'metadata'): void {
  const meta = asObj(raw);
  if (!meta) return; // missing or not an object: reported by the schema
  const name = asStr(meta.name);
  const generateName = asStr(meta.generateName);
  if (!name) {
    if (!generateName && (meta.name === undefined || meta.name === '')) {
      required(out, joinPath(path, 'name'), 'name or generateName is required');
    }
  } else {
    invalidEach(out, joinPath(path, 'name'), name, validateName(rules.nameRule, name, false));
  }
  if (generateName) invalidEach(out, joinPath(path, 'generateName'), generateName, validateName(rules.nameRule, generateName, true));

  const ns = asStr(meta.namespace);
  if (ns) {
    if (rules.namespaced === false) forbidden(out, joinPath(path, 'namespace'), 'not allowed on this type');
    else invalidEach(out, joinPath(path, 'namespace'), ns, validateName('dns-label', ns, false));
  }
  checkNonNegative(out, joinPath(path, 'generation'), meta.generation);
  validateTemplateMeta(out, meta, path);
  validateOwnerReferences(out, joinPath(path, 'ownerReferences'), meta.ownerReferences);
  validateFinalizers(out, joinPath(path, 'finalizers'), meta.finalizers);
}

/** What ValidatePodTemplateSpec checks of a template's metadata: labels and annotations. */
export function validateTemplateMeta(out: Out, meta: Record<string, unknown>, path: string): void {
  const labels = asStrMap(meta.labels);
  if (labels) out.push(...validateLabels(labels, joinPath(path, 'labels')));
  const annotations = asStrMap(meta.annotations);
  if (annotations) out.push(...validateAnnotations(annotations, joinPath(path, 'annotations')));
}
