/**
 * ReplicaSet apps/v1 (spec.replicas, minReadySeconds, selector, template) and
 * ValidateReplicaSet / ValidateReplicaSetSpec / ValidatePodTemplateSpecForReplicaSet from
 * pkg/apis/apps/validation. The deprecated extensions/v1beta1 and apps/v1beta2 ReplicaSets
 * are converted to apps/v1 by `convertReplicaSet`.
 */
import { z } from 'zod';
import { clusterWritten, type ReplicaSetStatus } from './status.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { labelSelectorAsSelector, validateLabelSelector, type LabelSelector, type LabelSelectorRequirement } from '../selector.ts';
import {
  asArr,
  asObj,
  asStr,
  asStrMap,
  checkNonNegative,
  invalid,
  zInt,
  zStr,
  zStringMap,
  zStrList,
  looseEnum,
  type Obj,
  type Out,
} from './fields.ts';
import { PodTemplateSpecSchema, validateControllerTemplate, validatePodTemplateSpec } from './pod.ts';

export const LabelSelectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export const LabelSelectorRequirementSchema = z.strictObject({
  key: zStr,
  operator: looseEnum(LabelSelectorOperators),
  values: zStrList.optional(),
});

export const LabelSelectorSchema = z.strictObject({
  matchLabels: zStringMap.optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});

export const ReplicaSetSpecSchema = z.strictObject({
  replicas: zInt.optional(),
  minReadySeconds: zInt.optional(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
});

export const ReplicaSetSchema = z.strictObject({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('ReplicaSet'),
  metadata: ObjectMetaSchema,
  spec: ReplicaSetSpecSchema,
  status: clusterWritten<ReplicaSetStatus>().optional(),
});

export type LabelSelectorInput = z.input<typeof LabelSelectorSchema>;
export type ReplicaSetSpec = z.output<typeof ReplicaSetSpecSchema>;
export type ReplicaSetSpecInput = z.input<typeof ReplicaSetSpecSchema>;
export type ReplicaSet = z.output<typeof ReplicaSetSchema>;
export type ReplicaSetInput = z.input<typeof ReplicaSetSchema>;

/** ReplicaSet apiVersions accepted on input and converted to apps/v1. */
export const DEPRECATED_REPLICASET_VERSIONS = ['extensions/v1beta1', 'apps/v1beta2'] as const;

/**
 * Converts a deprecated ReplicaSet to apps/v1 (fields are identical). extensions/v1beta1 still
 * defaulted an absent selector to the template labels (SetDefaults_ReplicaSet); apps/v1 requires
 * it, so that default is applied here.
 */
export function convertReplicaSet(raw: Obj): Obj {
  const from = raw.apiVersion;
  const out: Obj = { ...raw, apiVersion: 'apps/v1' };
  const spec = asObj(raw.spec);
  if (from === 'extensions/v1beta1' && spec && spec.selector === undefined) {
    const labels = asObj(asObj(asObj(spec.template)?.metadata)?.labels);
    if (labels && Object.keys(labels).length > 0) out.spec = { ...spec, selector: { matchLabels: labels } };
  }
  return out;
}

/** The well-typed part of a (possibly malformed) selector, safe to hand to selector.ts. */
export function sanitizeSelector(raw: Obj): LabelSelector {
  const ls: LabelSelector = {};
  const ml = asStrMap(raw.matchLabels);
  if (ml) ls.matchLabels = ml;
  if (Array.isArray(raw.matchExpressions)) {
    const exprs: LabelSelectorRequirement[] = [];
    for (const e of asArr(raw.matchExpressions)) {
      const r = asObj(e);
      const key = asStr(r?.key);
      const operator = asStr(r?.operator);
      if (!r || key === undefined || operator === undefined) continue;
      const req: LabelSelectorRequirement = { key, operator: operator as LabelSelectorRequirement['operator'] };
      if (Array.isArray(r.values)) req.values = r.values.filter((v): v is string => typeof v === 'string');
      exprs.push(req);
    }
    ls.matchExpressions = exprs;
  }
  return ls;
}

/** ValidateReplicaSet (create). */
export function validateReplicaSet(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const spec = asObj(raw.spec);
  if (!spec) return;
  checkNonNegative(out, 'spec.replicas', spec.replicas);
  checkNonNegative(out, 'spec.minReadySeconds', spec.minReadySeconds);
  const rawSel = asObj(spec.selector);
  const template = asObj(spec.template);
  if (rawSel) {
    const ls = sanitizeSelector(rawSel);
    const selErrs = validateLabelSelector(ls, 'spec.selector');
    out.push(...selErrs);
    const n = Object.keys(ls.matchLabels ?? {}).length + asArr(rawSel.matchExpressions).length;
    if (n === 0) invalid(out, 'spec.selector', rawSel, 'empty selector is invalid for deployment');
    if (selErrs.length === 0 && n > 0 && template) {
      const labels = asStrMap(asObj(template.metadata)?.labels) ?? {};
      try {
        const selector = labelSelectorAsSelector(ls);
        if (!selector.isEmpty() && !selector.matches(labels)) {
          invalid(out, 'spec.template.metadata.labels', labels, 'selector does not match template labels');
        }
      } catch {
        invalid(out, 'spec.selector', rawSel, 'invalid label selector');
      }
    }
  }
  if (template) {
    validatePodTemplateSpec(out, 'spec.template', template);
    validateControllerTemplate(out, 'spec.template', template, 'ReplicaSet');
  }
}
