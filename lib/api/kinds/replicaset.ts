/**
 * ReplicaSet apps/v1 (spec.replicas, minReadySeconds, selector, template) and
 * ValidateReplicaSet / ValidateReplicaSetSpec / ValidatePodTemplateSpecForReplicaSet from
 * pkg/apis/apps/validation. The deprecated extensions/v1beta1 and apps/v1beta2 ReplicaSets
 * are converted to apps/v1 by `convertReplicaSet`.
 */
import { z } from 'zod';
import { clusterWritten, type ReplicaSetStatus } from './status.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { goLabelSelector, goStringMap } from '../go-value.ts';
import { labelSelectorAsSelector, validateLabelSelector, type LabelSelector, type LabelSelectorRequirement, type Selector } from '../selector.ts';
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

/** ValidatePodTemplateSpecForReplicaSet's (and ...ForRC's) detail. */
export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/** ValidateReplicaSet (create). */
export function validateReplicaSet(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const spec = asObj(raw.spec);
  if (!spec) return;
  checkNonNegative(out, 'spec.replicas', spec.replicas);
  checkNonNegative(out, 'spec.minReadySeconds', spec.minReadySeconds);
  // An absent selector is the schema's `spec.selector: Required value`; it then selects nothing,
  // so the template labels do not match it either: Kubernetes reports both.
  const rawSel = asObj(spec.selector);
  const ls = rawSel ? sanitizeSelector(rawSel) : undefined;
  if (rawSel && ls) {
    out.push(...validateLabelSelector(ls, 'spec.selector'));
    if (Object.keys(ls.matchLabels ?? {}).length + asArr(rawSel.matchExpressions).length === 0) {
      invalid(out, 'spec.selector', goLabelSelector(ls), 'empty selector is invalid for deployment');
    }
  }
  const template = asObj(spec.template);
  let selector: Selector | undefined;
  try {
    selector = labelSelectorAsSelector(ls);
  } catch {
    invalid(out, 'spec.selector', goLabelSelector(ls ?? {}), 'invalid label selector');
  }
  if (selector && template) {
    const labels = asStrMap(asObj(template.metadata)?.labels);
    if (!selector.isEmpty() && !selector.matches(labels ?? {})) {
      invalid(out, 'spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH);
    }
  }
  if (template) {
    validatePodTemplateSpec(out, 'spec.template', template);
    validateControllerTemplate(out, 'spec.template', template, 'ReplicaSet');
  }
}
